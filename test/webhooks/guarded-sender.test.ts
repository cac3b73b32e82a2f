// The server's webhook sender never reaches loopback or private addresses — by a literal IP or by
// a name that resolves to one — unless the operator allows that address; allowed, it delivers
// like fetch does, with the status and the start of the answer.
import { afterEach, describe, expect, it } from "vitest";
import { guardedSender } from "../../src/integrations/webhooks/guarded-sender.js";
import { startReceiver, type Receiver } from "./receiver.js";

let receiver: Receiver | undefined;
afterEach(async () => receiver?.close());

const post = (url: string) => ({
  url,
  headers: { "content-type": "application/json" },
  body: '{"type":"webhook.test"}',
  timeoutMs: 2_000,
});

describe("the guarded webhook sender", () => {
  it("refuses a loopback address, written as an IP or as a name, and sends nothing", async () => {
    receiver = await startReceiver([200]);
    const send = guardedSender();
    const byIp = await send(post(receiver.url));
    expect(byIp).toMatchObject({ ok: false, statusCode: null });
    expect(byIp.error).toContain("internal address");
    const byName = await send(post(receiver.url.replace("127.0.0.1", "localhost")));
    expect(byName).toMatchObject({ ok: false, statusCode: null });
    expect(byName.error).toContain("internal address");
    expect(receiver.received).toHaveLength(0);
  });

  it("delivers to an address the operator allowed, with status and answer", async () => {
    receiver = await startReceiver([503]);
    const send = guardedSender({ allowAddresses: ["127.0.0.0/8", "::1"] });
    const res = await send(post(receiver.url.replace("127.0.0.1", "localhost")));
    expect(res).toMatchObject({ ok: false, statusCode: 503, error: "The receiver answered 503" });
    expect(res.response).toMatch(/^answer 503/);
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]!.body.toString()).toBe('{"type":"webhook.test"}');
  });

  it("counts a receiver that does not answer in time as a timeout", async () => {
    receiver = await startReceiver(["hang"]);
    const send = guardedSender({ allowAddresses: ["127.0.0.1"] });
    const res = await send({ ...post(receiver.url), timeoutMs: 300 });
    expect(res).toMatchObject({ ok: false, statusCode: null });
    expect(res.error).toContain("timeout");
  });
});
