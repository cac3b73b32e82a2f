// An open event stream lasts only as long as its caller may read the workspace: removing the
// member, signing the session out, revoking (or rotating) the key ends it, and nothing written
// after that reaches it — also when the stream is held by another PostgreSQL replica.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorkroom, startWorkroom } from "../../src/app/workrooms.js";
import type { AppDeps } from "../../src/app/context.js";
import { startApi, type ApiWorld, type Person } from "../support/api.js";
import { openSse, type SseMessage, type SseStream } from "../support/sse.js";
import { proposalRoom } from "../support/fixtures.js";
import { startReplica } from "../support/replica.js";

const cookie = (p: Person) => ({ cookie: p.session.cookie });
const bearer = (p: Person) => ({ authorization: `Bearer ${p.key}` });

/** Every message until the server ends the stream. */
async function rest(stream: SseStream): Promise<SseMessage[]> {
  const got: SseMessage[] = [];
  for (;;) {
    try {
      got.push(await stream.next());
    } catch {
      return got;
    }
  }
}

async function keyIdOf(world: ApiWorld, p: Person): Promise<string> {
  const res = await world.call<{ api_keys: { id: string; prefix: string }[] }>(
    "GET",
    "/api/v1/api-keys",
    { key: p.key },
  );
  return res.body.api_keys.find((k) => p.key.startsWith(k.prefix))!.id;
}

describe("open event streams after access ends", () => {
  let world: ApiWorld;
  let deps: AppDeps;

  beforeAll(async () => {
    // Asked before every write, so "nothing after the removal" is exact in the test.
    world = await startApi("sqlite", { streams: { accessTtlMs: 0 } });
    deps = world.server.harness.runtime.deps;
  });
  afterAll(async () => world?.close());

  it("ends a removed member's workspace stream, and the next room never reaches it", async () => {
    const { owner, viewer } = world.people;
    const stream = await openSse(`${world.url}/api/v1/stream`, cookie(viewer));
    expect(stream.status).toBe(200);
    const before = await createWorkroom(deps, owner.actor, proposalRoom({ title: "Before" }));
    expect((await stream.next()).id).toBe(`${before.id}:1`);
    const removed = await world.call("DELETE", `/api/v1/members/${viewer.userId}`, { as: owner });
    expect(removed.status).toBe(204);
    await createWorkroom(deps, owner.actor, proposalRoom({ title: "After removal CONFIDENTIAL" }));
    const after = await rest(stream);
    await stream.ended;
    expect(after.map((m) => m.data).join("\n")).not.toContain("CONFIDENTIAL");
    expect(after).toEqual([]);
  });

  it("ends a signed-out session's stream", async () => {
    const { owner, admin } = world.people;
    const stream = await openSse(`${world.url}/api/v1/stream`, cookie(admin));
    expect(stream.status).toBe(200);
    const out = await world.call("DELETE", "/api/v1/session", { as: admin });
    expect(out.status).toBe(204);
    await createWorkroom(deps, owner.actor, proposalRoom({ title: "After sign-out SECRET" }));
    expect(await rest(stream)).toEqual([]);
  });

  it("ends a revoked key's room stream", async () => {
    const { owner, member } = world.people;
    const room = await createWorkroom(deps, owner.actor, proposalRoom({ title: "Followed" }));
    const stream = await openSse(`${world.url}/api/v1/workrooms/${room.id}/stream`, bearer(member));
    expect(stream.status).toBe(200);
    expect((await stream.next()).event).toBe("workroom.created");
    const id = await keyIdOf(world, member);
    expect((await world.call("DELETE", `/api/v1/api-keys/${id}`, { as: owner })).status).toBe(204);
    await startWorkroom(deps, owner.actor, room.id);
    expect(await rest(stream)).toEqual([]);
  });

  it("ends an idle stream without waiting for an event", async () => {
    const other = await startApi("sqlite", { streams: { accessTtlMs: 0 } });
    try {
      const { owner, member } = other.people;
      const stream = await openSse(`${other.url}/api/v1/stream`, bearer(member));
      expect(stream.status).toBe(200);
      const id = await keyIdOf(other, member);
      await other.call("POST", `/api/v1/api-keys/${id}/rotate`, { as: owner });
      await stream.ended;
      expect(other.server.app.streams.size).toBe(0);
    } finally {
      await other.close();
    }
  });

  it("keeps the stream of a caller who still may read", async () => {
    const { owner } = world.people;
    const stream = await openSse(`${world.url}/api/v1/stream`, bearer(owner));
    const room = await createWorkroom(deps, owner.actor, proposalRoom({ title: "Still mine" }));
    expect((await stream.next()).id).toBe(`${room.id}:1`);
    stream.close();
  });
});

describe("open event streams after access ends, on PostgreSQL", () => {
  it("ends a removed member's stream held by another replica", async () => {
    const world = await startApi("postgres");
    const replica = await startReplica(world, { accessTtlMs: 0 });
    try {
      const { owner, viewer } = world.people;
      const stream = await openSse(`${replica.url}/api/v1/stream`, cookie(viewer));
      expect(stream.status).toBe(200);
      const removed = await world.call("DELETE", `/api/v1/members/${viewer.userId}`, {
        as: owner,
      });
      expect(removed.status).toBe(204);
      const deps = world.server.harness.runtime.deps;
      await createWorkroom(
        deps,
        owner.actor,
        proposalRoom({ title: "After removal CONFIDENTIAL" }),
      );
      expect(await rest(stream)).toEqual([]);
    } finally {
      await replica.close();
      await world.close();
    }
  });
});
