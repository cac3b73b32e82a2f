// Open event streams survive the PostgreSQL bus losing its LISTEN connection (an idle timeout, a
// proxy, a failover): the replica keeps them open and catches them up from the history with what
// other processes committed while no notification could reach it. They used to end, all of them,
// at every reconnect.
import { describe, expect, it } from "vitest";
import pg from "pg";
import {
  control,
  createWorkroom,
  startWorkroom,
  workroomHistory,
} from "../../src/app/workrooms.js";
import type { Bus, BusMessage } from "../../src/engine/bus.js";
import { BUS_APPLICATION_NAME } from "../../src/store/pg-bus.js";
import { startApi } from "../support/api.js";
import { openSse, type SseStream } from "../support/sse.js";
import { proposalRoom } from "../support/fixtures.js";
import { startReplica } from "../support/replica.js";

const heard = (bus: Bus, type: BusMessage["type"]) =>
  new Promise<void>((resolve) => {
    const off = bus.subscribe((m) => {
      if (m.type === type) {
        off();
        resolve();
      }
    });
  });

/** Ends every process's listening connection, as an idle timeout on the server would. */
async function killBusConnections(url: string): Promise<number> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    const killed = await admin.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()",
      [BUS_APPLICATION_NAME],
    );
    return killed.rowCount ?? 0;
  } finally {
    await admin.end();
  }
}

/** The next `count` messages' ids, in the order they came. */
async function ids(stream: SseStream, count: number): Promise<string[]> {
  const got: string[] = [];
  while (got.length < count) got.push((await stream.next()).id!);
  return got;
}

describe("live events when the PostgreSQL bus reconnects", () => {
  it("keep room and workspace streams open and catch them up, in order, without gaps or duplicates", async () => {
    // The world's server writes (no worker: nothing happens unless the test does it); the replica
    // serves the streams and hears of the writes only over LISTEN/NOTIFY.
    const world = await startApi("postgres", { harness: { worker: false } });
    const replica = await startReplica(world);
    try {
      const owner = world.people.owner;
      const deps = world.server.harness.runtime.deps;
      const auth = { authorization: `Bearer ${owner.key}` };
      const room = await createWorkroom(deps, owner.actor, proposalRoom({ title: "Followed" }));
      const roomStream = await openSse(`${replica.url}/api/v1/workrooms/${room.id}/stream`, auth);
      const workspaceStream = await openSse(`${replica.url}/api/v1/stream`, auth);
      expect(await ids(roomStream, 1)).toEqual(["1"]);

      const reconnected = heard(replica.deps.bus, "bus_reconnected");
      // Both processes' listeners (the world's and the replica's).
      expect(await killBusConnections(world.server.harness.db.url)).toBe(2);
      // Committed by the other process while the replica is not listening.
      await startWorkroom(deps, owner.actor, room.id);
      const away = await createWorkroom(deps, owner.actor, proposalRoom({ title: "While away" }));
      await reconnected;
      // And after it listens again.
      await control(deps, owner.actor, room.id, { type: "pause" });
      const after = await createWorkroom(deps, owner.actor, proposalRoom({ title: "After" }));

      const history = (await workroomHistory(deps, owner.actor, room.id)).map((e) => e.seq);
      const missed = history.slice(1).map(String);
      expect(missed.length).toBeGreaterThan(1);
      expect(await ids(roomStream, missed.length)).toEqual(missed);

      const expected = [...missed.map((s) => `${room.id}:${s}`), `${away.id}:1`, `${after.id}:1`];
      const got = await ids(workspaceStream, expected.length);
      // Each room in order; rooms may interleave.
      for (const id of [room.id, away.id, after.id])
        expect(got.filter((g) => g.startsWith(`${id}:`))).toEqual(
          expected.filter((e) => e.startsWith(`${id}:`)),
        );

      // Still the same streams, and still live: the next event reaches both.
      await control(deps, owner.actor, room.id, { type: "resume" });
      const next = (await workroomHistory(deps, owner.actor, room.id)).at(-1)!.seq;
      expect(await ids(roomStream, 1)).toEqual([String(next)]);
      expect(await ids(workspaceStream, 1)).toEqual([`${room.id}:${next}`]);
      roomStream.close();
      workspaceStream.close();
    } finally {
      await replica.close();
      await world.close();
    }
  });
});
