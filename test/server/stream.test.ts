// Live events over real HTTP: a room's history streams in order while the scripted model works,
// Last-Event-ID resumes with exactly the missing events, the workspace stream follows every room,
// another workspace's room is a 404, and on PostgreSQL a replica without workers streams what a
// worker on another replica commits.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorkroom, startWorkroom, workroomHistory } from "../../src/app/workrooms.js";
import type { Actor, AppDeps } from "../../src/app/context.js";
import { startApi, type ApiWorld } from "../support/api.js";
import { openSse, type SseMessage } from "../support/sse.js";
import { proposalRoom } from "../support/fixtures.js";
import { startReplica } from "../support/replica.js";

const completed = (m: SseMessage) =>
  m.event === "state.changed" &&
  (JSON.parse(m.data) as { data: { to: string } }).data.to === "completed";
const seqs = (ms: SseMessage[]) => ms.map((m) => (JSON.parse(m.data) as { seq: number }).seq);

async function newRoom(deps: AppDeps, actor: Actor, title = "Streamed proposal") {
  return createWorkroom(deps, actor, proposalRoom({ title }));
}

describe("live events", () => {
  let world: ApiWorld;
  let deps: AppDeps;
  let owner: ApiWorld["people"]["owner"];
  const auth = () => ({ authorization: `Bearer ${owner.key}` });

  beforeAll(async () => {
    world = await startApi("sqlite", { harness: { model: { latencyMs: 5 } } });
    deps = world.server.harness.runtime.deps;
    owner = world.people.owner;
  });
  afterAll(async () => world?.close());

  it("streams a room's events live and in order while it runs", async () => {
    const room = await newRoom(deps, owner.actor);
    const stream = await openSse(`${world.url}/api/v1/workrooms/${room.id}/stream`, auth());
    expect(stream.status).toBe(200);
    expect(stream.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const created = await stream.next();
    expect(created).toMatchObject({ id: "1", event: "workroom.created" });
    await startWorkroom(deps, owner.actor, room.id);
    const rest = await stream.until(completed);
    stream.close();
    const history = await workroomHistory(deps, owner.actor, room.id);
    const got = [created, ...rest];
    expect(seqs(got)).toEqual(history.filter((e) => e.seq <= got.length).map((e) => e.seq));
    expect(got.map((m) => m.id)).toEqual(seqs(got).map(String));
    expect(got.map((m) => m.event)).toEqual(history.slice(0, got.length).map((e) => e.type));
    expect(JSON.parse(got[0]!.data)).toMatchObject({
      workroom_id: room.id,
      seq: 1,
      type: "workroom.created",
      actor: owner.actor.id,
    });
  });

  it("resumes after Last-Event-ID with exactly the missing events", async () => {
    const room = await newRoom(deps, owner.actor);
    const first = await openSse(`${world.url}/api/v1/workrooms/${room.id}/stream`, auth());
    await startWorkroom(deps, owner.actor, room.id);
    const before = await first.until((m) => m.event === "task.started");
    first.close();
    const last = before.at(-1)!.id!;
    const second = await openSse(`${world.url}/api/v1/workrooms/${room.id}/stream`, {
      ...auth(),
      "last-event-id": last,
    });
    const after = await second.until(completed);
    second.close();
    const all = seqs([...before, ...after]);
    expect(all).toEqual(all.map((_, i) => i + 1));
    // EventSource clients that cannot set headers use the query string.
    const third = await openSse(
      `${world.url}/api/v1/workrooms/${room.id}/stream?last_event_id=${all.length - 2}`,
      auth(),
    );
    expect(seqs([await third.next(), await third.next()])).toEqual([all.length - 1, all.length]);
    third.close();
  });

  it("follows every room of the workspace, and resumes it after <room>:<seq>", async () => {
    const stream = await openSse(`${world.url}/api/v1/stream`, auth());
    expect(stream.status).toBe(200);
    const a = await newRoom(deps, owner.actor, "Room A");
    const b = await newRoom(deps, owner.actor, "Room B");
    const got = await stream.until((m) => m.id === `${b.id}:1`);
    stream.close();
    expect(got.map((m) => [m.id, m.event])).toEqual([
      [`${a.id}:1`, "workroom.created"],
      [`${b.id}:1`, "workroom.created"],
    ]);
    const resumed = await openSse(`${world.url}/api/v1/stream`, {
      ...auth(),
      "last-event-id": `${a.id}:1`,
    });
    expect((await resumed.next()).id).toBe(`${b.id}:1`);
    await startWorkroom(deps, owner.actor, a.id);
    expect((await resumed.next()).id).toBe(`${a.id}:2`);
    resumed.close();
  });

  it("resumes the workspace stream after any event of a finished room, one of several committed together too", async () => {
    const room = await newRoom(deps, owner.actor, "Finished room");
    const watch = await openSse(`${world.url}/api/v1/workrooms/${room.id}/stream`, auth());
    await startWorkroom(deps, owner.actor, room.id);
    await watch.until(completed);
    watch.close();
    const history = await workroomHistory(deps, owner.actor, room.id);
    const last = history.at(-1)!.seq;
    // A task's finish, the model call and the next task's start are committed together.
    const started = history.filter((e) => e.type === "task.started").map((e) => e.seq);
    for (const seq of [1, started[1]! - 1, started[1]!, last - 1]) {
      const resumed = await openSse(`${world.url}/api/v1/stream`, {
        ...auth(),
        "last-event-id": `${room.id}:${seq}`,
      });
      const replay = await resumed.until((m) => m.id === `${room.id}:${last}`);
      resumed.close();
      const ours = replay.filter((m) => m.id!.startsWith(`${room.id}:`));
      expect(seqs(ours), `after ${seq}`).toEqual(
        history.filter((e) => e.seq > seq).map((e) => e.seq),
      );
    }
  });

  it("answers another workspace's room with 404 before any stream starts", async () => {
    const theirs = await newRoom(deps, world.outsider.actor, "Their room");
    const res = await openSse(`${world.url}/api/v1/workrooms/${theirs.id}/stream`, auth());
    expect(res.status).toBe(404);
    expect(res.errorBody).toMatchObject({ error: { code: "not_found" } });
    const anonymous = await openSse(`${world.url}/api/v1/stream`);
    expect(anonymous.status).toBe(401);
  });

  it("answers HEAD with the headers and ends it", async () => {
    const room = await newRoom(deps, owner.actor);
    const res = await fetch(`${world.url}/api/v1/workrooms/${room.id}/stream`, {
      method: "HEAD",
      headers: auth(),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(world.server.app.streams.size).toBe(0);
  });

  it("refuses a malformed Last-Event-ID with 400", async () => {
    const room = await newRoom(deps, owner.actor);
    const res = await openSse(`${world.url}/api/v1/workrooms/${room.id}/stream`, {
      ...auth(),
      "last-event-id": "yesterday",
    });
    expect(res.status).toBe(400);
    const ws = await openSse(`${world.url}/api/v1/stream?last_event_id=12`, auth());
    expect(ws.status).toBe(400);
  });

  it("answers a stream asked for while the server stops with a 503 the client can act on", async () => {
    const other = await startApi("sqlite");
    try {
      const room = await newRoom(other.server.harness.runtime.deps, other.people.owner.actor);
      other.server.app.streams.close();
      const res = await fetch(`${other.url}/api/v1/workrooms/${room.id}/stream`, {
        headers: { authorization: `Bearer ${other.people.owner.key}` },
      });
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("1");
      const body = (await res.json()) as { error: { code: string; request_id: string } };
      expect(body.error.code).toBe("unavailable");
      expect(body.error.request_id).toBe(res.headers.get("x-request-id"));
    } finally {
      await other.close();
    }
  });

  it("ends open streams when the server closes", async () => {
    const other = await startApi("sqlite");
    const room = await newRoom(other.server.harness.runtime.deps, other.people.owner.actor);
    const stream = await openSse(`${other.url}/api/v1/workrooms/${room.id}/stream`, {
      authorization: `Bearer ${other.people.owner.key}`,
    });
    await stream.next();
    expect(other.server.app.streams.size).toBe(1);
    await other.close();
    await stream.ended;
    expect(other.server.app.streams.size).toBe(0);
  });
});

describe("live events on PostgreSQL", () => {
  it("reach a client of a replica without workers from a worker on another replica", async () => {
    // Replica 1 works (the world's server runs a worker); replica 2 only serves HTTP, on the same
    // database: its clients hear history over LISTEN/NOTIFY.
    const world = await startApi("postgres", { harness: { model: { latencyMs: 5 } } });
    const replica = await startReplica(world);
    try {
      const owner = world.people.owner;
      const deps = world.server.harness.runtime.deps;
      const room = await newRoom(deps, owner.actor);
      const stream = await openSse(`${replica.url}/api/v1/workrooms/${room.id}/stream`, {
        authorization: `Bearer ${owner.key}`,
      });
      expect(stream.status).toBe(200);
      await stream.next();
      await startWorkroom(deps, owner.actor, room.id);
      const got = await stream.until(completed);
      stream.close();
      expect(seqs(got)).toEqual(got.map((_, i) => i + 2));
    } finally {
      await replica.close();
      await world.close();
    }
  });
});
