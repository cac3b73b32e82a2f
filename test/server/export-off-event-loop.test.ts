// Regression: exports were drawn on the server's event loop, so one long PDF held every other
// request (/health, event streams, sign-in) until it was done, and a team exporting at once froze
// the server for seconds. Files are now drawn in a render thread; the server keeps answering.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApi, type ApiWorld } from "../support/api.js";
import { longDocument } from "../support/documents.js";
import { proposalRoom } from "../support/fixtures.js";

describe("exporting a long deliverable", () => {
  let api: ApiWorld;
  let roomId: string;
  beforeAll(async () => {
    api = await startApi("sqlite", {
      harness: {
        model: {
          // The Composer writes a deliverable of about a hundred pages.
          respond: (call) =>
            call.prompt.includes("Return the document as JSON") ? longDocument(60) : undefined,
        },
      },
    });
    const key = api.people.member.key;
    const { body: room } = await api.call<{ id: string }>("POST", "/api/v1/workrooms", {
      key,
      body: proposalRoom(),
    });
    roomId = room.id;
    await api.call("POST", `/api/v1/workrooms/${room.id}/start`, { key });
    expect((await api.server.harness.waitFor(room.id, ["completed", "failed"])).state).toBe(
      "completed",
    );
  }, 120_000);
  afterAll(async () => api?.close());

  it("keeps answering other requests while the files are drawn", async () => {
    const key = api.people.member.key;
    let done = false;
    const exports = Promise.all(
      (["pdf", "docx", "pdf"] as const).map((format) =>
        fetch(`${api.url}/api/v1/workrooms/${roomId}/exports/${format}`, {
          headers: { authorization: `Bearer ${key}` },
        }).then(async (res) => ({
          status: res.status,
          bytes: Buffer.from(await res.arrayBuffer()),
        })),
      ),
    ).finally(() => (done = true));
    // One /health after another for as long as the exports run: while the files were drawn on
    // the event loop, none was answered before the last file was done.
    let answered = 0;
    while (!done) {
      const res = await fetch(`${api.url}/api/v1/health`);
      expect(res.status).toBe(200);
      if (!done) answered++;
    }
    const files = await exports;
    expect(answered).toBeGreaterThanOrEqual(10);
    expect(files.map((f) => f.status)).toEqual([200, 200, 200]);
    expect(files[0]!.bytes.subarray(0, 5).toString()).toBe("%PDF-");
    expect(files[1]!.bytes.subarray(0, 2).toString()).toBe("PK");
  }, 120_000);
});
