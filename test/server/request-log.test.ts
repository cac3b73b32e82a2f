// The request log never holds an invite token: its link's page, its preview and its acceptance are
// logged with the token cut out, while ordinary addresses (and an invite's id) stay readable.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redactUrl } from "../../src/server/request-log.js";
import { newId } from "../../src/store/ids.js";
import { PASSWORD, startApi, type ApiWorld } from "../support/api.js";

const lines: string[] = [];
let world: ApiWorld;
beforeAll(async () => {
  world = await startApi("sqlite", {
    config: { logLevel: "info" },
    logStream: { write: (line: string) => void lines.push(line) },
  });
});
afterAll(async () => world?.close());

describe("the request log", () => {
  it("keeps invite tokens out of the addresses it records", async () => {
    const created = await world.call<{ token: string }>("POST", "/api/v1/invites", {
      as: world.people.owner,
      body: { email: "dana@agency.test", role: "member" },
    });
    const token = created.body.token;
    await fetch(`${world.url}/invite/${token}`, { headers: { accept: "text/html" } });
    expect((await world.call("GET", `/api/v1/invites/${token}`)).status).toBe(200);
    const accepted = await world.call("POST", `/api/v1/invites/${token}/accept`, {
      body: { name: "Dana", password: PASSWORD },
    });
    expect(accepted.status).toBe(200);
    const urls = lines
      .map((l) => JSON.parse(l) as { req?: { url: string } })
      .flatMap((l) => (l.req ? [l.req.url] : []));
    expect(urls).toEqual(
      expect.arrayContaining([
        "/invite/[redacted]",
        "/api/v1/invites/[redacted]",
        "/api/v1/invites/[redacted]/accept",
        "/api/v1/invites",
      ]),
    );
    expect(lines.join("\n")).not.toContain(token);
  });

  it("keeps invite ids and ordinary queries, and cuts secret-looking query values", () => {
    const id = newId("invite");
    expect(redactUrl(`/api/v1/invites/${id}`)).toBe(`/api/v1/invites/${id}`);
    expect(redactUrl("/api/v1/stream?last_event_id=room_1:3")).toBe(
      "/api/v1/stream?last_event_id=room_1:3",
    );
    expect(redactUrl("/api/v1/members?access_token=abc&limit=5")).toBe(
      "/api/v1/members?access_token=[redacted]&limit=5",
    );
  });
});
