// A resume position past what a room's history can hold (2^31 - 1: PostgreSQL's integer columns)
// is refused with 400 on both stores. PostgreSQL answered 500 (the comparison overflowed), SQLite
// 200.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorkroom } from "../../src/app/workrooms.js";
import { DIALECTS } from "../support/databases.js";
import { proposalRoom } from "../support/fixtures.js";
import { startApi, type ApiWorld } from "../support/api.js";
import { openSse } from "../support/sse.js";

describe.each(DIALECTS)("resume positions on %s", (dialect) => {
  let world: ApiWorld;
  let roomId: string;
  const auth = () => ({ authorization: `Bearer ${world.people.owner.key}` });
  beforeAll(async () => {
    world = await startApi(dialect, { harness: { worker: false } });
    const room = await createWorkroom(
      world.server.harness.runtime.deps,
      world.people.owner.actor,
      proposalRoom(),
    );
    roomId = room.id;
  });
  afterAll(async () => world?.close());

  it("refuses a history page after a seq no room can reach", async () => {
    const res = await world.call<{ error: { code: string; message: string } }>(
      "GET",
      `/api/v1/workrooms/${roomId}/events?after=3000000000`,
      { key: world.people.owner.key },
    );
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_input");
    expect(res.body.error.message).toContain("at most 2147483647");
    const last = await world.call<{ events: unknown[] }>(
      "GET",
      `/api/v1/workrooms/${roomId}/events?after=2147483647`,
      { key: world.people.owner.key },
    );
    expect(last.status).toBe(200);
    expect(last.body.events).toEqual([]);
  });

  it("refuses a stream resumed after a seq no room can reach", async () => {
    const ws = await openSse(`${world.url}/api/v1/stream`, {
      ...auth(),
      "last-event-id": `${roomId}:3000000000`,
    });
    expect(ws.status).toBe(400);
    const room = await openSse(`${world.url}/api/v1/workrooms/${roomId}/stream`, {
      ...auth(),
      "last-event-id": "3000000000",
    });
    expect(room.status).toBe(400);
  });
});
