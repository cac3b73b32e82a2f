// The history is stored a transaction at a time (one row per room and transaction) and read an
// event at a time: a room's history pages exactly from any seq, the workspace's feed resumes after
// any event (one in the middle of a row too), and a database whose history was written before
// migration 0007, one row per event, reads the same after it and goes on from where it was (also
// when the migration's copy committed on SQLite but the process died before it was recorded).
import { describe, expect, it } from "vitest";
import type { Kysely } from "kysely";
import type { HistoryEvent, Workroom } from "../../src/domain/types.js";
import { execOf, json, type Exec } from "../../src/store/exec.js";
import { appendEvents, listEvents, type NewEvent } from "../../src/store/events.js";
import { eventPosition, listWorkspaceEvents } from "../../src/store/event-feed.js";
import { migrateTo, migrateToLatest } from "../../src/store/migrations.js";
import { insertWorkspace } from "../../src/store/workspaces.js";
import { insertWorkroom } from "../../src/store/workrooms.js";
import { DIALECTS, useTestStores } from "../support/databases.js";
import { bareRoom } from "../support/fixtures.js";

const openTestStore = useTestStores();

async function twoRooms(ex: Exec, now: Date) {
  const ws = await insertWorkspace(ex, { name: "W", plan: "solo", defaultModel: "m", now });
  const room = (title: string) => insertWorkroom(ex, ws.id, bareRoom(title), now);
  return { ws, a: await room("A"), b: await room("B") };
}

const events = (room: Pick<Workroom, "id">, from: number, count: number): NewEvent[] =>
  Array.from({ length: count }, (_, i) => ({
    type: `step.${from + i}`,
    actor: i % 2 ? "engine" : "usr_1",
    data: { room: room.id, n: from + i, text: `note ${from + i} — “quoted”` },
  }));

/** What a reader sees of an event (its row id aside). */
const seen = (e: HistoryEvent) => [e.workroomId, e.seq, e.type, e.actor, e.data];

/** The whole workspace feed after `after`, read `limit` rows at a time. */
async function feedAfter(
  ex: Exec,
  workspaceId: string,
  after: Parameters<typeof listWorkspaceEvents>[2],
  limit: number,
) {
  const out: HistoryEvent[] = [];
  for (let from = after, more = true; more;) {
    const page = await listWorkspaceEvents(ex, workspaceId, from, limit);
    out.push(...page.events);
    from = page.next;
    more = page.more;
  }
  return out;
}

describe.each(DIALECTS)("the history on %s", (dialect) => {
  it("stores a transaction's events as one row and reads them one by one from any seq", async () => {
    const store = await openTestStore(dialect);
    const ex = execOf(store);
    const now = new Date("2026-12-07T09:00:00Z");
    const { a, b } = await twoRooms(ex, now);
    // Transactions of 1, 3, 2 and 4 events in room A, interleaved with room B's.
    const written: NewEvent[] = [];
    let next = 1;
    for (const size of [1, 3, 2, 4]) {
      const batch = events(a, next, size);
      await store.transaction(async (tx) => {
        expect(await appendEvents(store.execIn(tx), a, batch, now)).toBe(next + size - 1);
      });
      await appendEvents(ex, b, events(b, 1, 2), now);
      written.push(...batch);
      next += size;
    }
    const rows = await store.db
      .selectFrom("history")
      .select(["first_seq", "last_seq"])
      .where("workroom_id", "=", a.id)
      .orderBy("last_seq")
      .execute();
    expect(rows).toEqual([
      { first_seq: 1, last_seq: 1 },
      { first_seq: 2, last_seq: 4 },
      { first_seq: 5, last_seq: 6 },
      { first_seq: 7, last_seq: 10 },
    ]);
    const expected = written.map((e, i) => [a.id, i + 1, e.type, e.actor, e.data]);
    expect((await listEvents(ex, a)).map(seen)).toEqual(expected);
    for (let after = 0; after <= 10; after++)
      for (const limit of [1, 2, 3, 20])
        expect((await listEvents(ex, a, { afterSeq: after, limit })).map(seen)).toEqual(
          expected.slice(after, after + limit),
        );
  });

  it("resumes the workspace's feed after any event, in the middle of a row too", async () => {
    const store = await openTestStore(dialect);
    const ex = execOf(store);
    const now = new Date("2026-12-07T09:00:00Z");
    const { ws, a, b } = await twoRooms(ex, now);
    const seqs = { [a.id]: 1, [b.id]: 1 };
    for (const [room, size] of [
      [a, 3],
      [b, 1],
      [a, 1],
      [b, 4],
      [a, 2],
    ] as const) {
      await appendEvents(ex, room, events(room, seqs[room.id]!, size), now);
      seqs[room.id]! += size;
    }
    const all = await feedAfter(ex, ws.id, { row: 0 }, 100);
    expect(all.map((e) => `${e.workroomId === a.id ? "a" : "b"}${e.seq}`)).toEqual([
      "a1",
      "a2",
      "a3",
      "b1",
      "a4",
      "b2",
      "b3",
      "b4",
      "b5",
      "a5",
      "a6",
    ]);
    for (const [i, e] of all.entries()) {
      const position = await eventPosition(ex, ws.id, e.workroomId, e.seq);
      expect(position).toEqual({ row: e.id, workroomId: e.workroomId, seq: e.seq });
      for (const limit of [1, 2, 100])
        expect((await feedAfter(ex, ws.id, position!, limit)).map(seen)).toEqual(
          all.slice(i + 1).map(seen),
        );
    }
    // An event that does not exist, or not in this workspace, has no position.
    expect(await eventPosition(ex, ws.id, a.id, 7)).toBeUndefined();
    expect(await eventPosition(ex, ws.id, a.id, 0)).toBeUndefined();
    expect(await eventPosition(ex, "ws_other", a.id, 1)).toBeUndefined();
  });

  it("reads a history written before 0007 the same after it, and goes on from there", async () => {
    const store = await openTestStore(dialect, { migrate: false });
    await migrateTo(store.db as Kysely<unknown>, dialect, "0006_agents_version");
    const ex = execOf(store);
    const now = new Date("2026-12-07T09:00:00Z");
    const { ws, a, b } = await twoRooms(ex, now);
    // Before 0007: one `events` row per event, its data sealed on its own.
    const old = store.db as unknown as Kysely<Record<string, Record<string, unknown>>>;
    const before = [
      [a, 1, "workroom.created"],
      [b, 1, "workroom.created"],
      [a, 2, "state.changed"],
      [a, 3, "task.started"],
    ] as const;
    for (const [room, seq, type] of before) {
      await old
        .insertInto("events")
        .values({
          workspace_id: ws.id,
          workroom_id: room.id,
          seq,
          type,
          actor: "engine",
          data: ex.seal(ws.id, json({ seq, room: room.title })),
          at: now.getTime() + seq,
        })
        .execute();
      await old
        .updateTable("workrooms")
        .set({ event_seq: seq })
        .where("id", "=", room.id)
        .execute();
    }

    expect(await migrateToLatest(store.db as Kysely<unknown>, dialect)).toEqual([
      "0007_history_rows",
      "0008_style_drafts",
      "0009_workroom_requests",
      "0010_allowance_granted",
      "0011_resume_at",
      "0012_workroom_state_index",
    ]);

    const expected = before.map(([room, seq, type]) => [
      room.id,
      seq,
      type,
      "engine",
      { seq, room: room.title },
    ]);
    const feed = await feedAfter(ex, ws.id, { row: 0 }, 2);
    expect(feed.map(seen)).toEqual(expected);
    expect(feed.map((e) => e.at)).toEqual(before.map(([, seq]) => now.getTime() + seq));
    expect((await listEvents(ex, a)).map(seen)).toEqual(expected.filter(([room]) => room === a.id));
    // The rooms go on from their last seq, in rows after the old ones.
    expect(await appendEvents(ex, a, events(a, 4, 2), now)).toBe(5);
    expect(await appendEvents(ex, b, events(b, 2, 1), now)).toBe(2);
    const after = await feedAfter(ex, ws.id, (await eventPosition(ex, ws.id, a.id, 3))!, 100);
    expect(after.map((e) => `${e.workroomId === a.id ? "a" : "b"}${e.seq}`)).toEqual([
      "a4",
      "a5",
      "b2",
    ]);
    expect(Math.min(...after.map((e) => e.id))).toBeGreaterThan(Math.max(...feed.map((e) => e.id)));
  });
});

describe("migration 0007 on SQLite", () => {
  it("has nothing left to do when its copy committed but the process died before it was recorded", async () => {
    // An earlier Atelya ran SQLite's DDL outside Kysely's migration transaction: the copy committed
    // on its own, and Kysely recorded the migration after it. A process killed between the two left
    // this state, which an upgrade must still take.
    const store = await openTestStore("sqlite");
    const ex = execOf(store);
    const now = new Date("2026-12-07T09:00:00Z");
    const { a } = await twoRooms(ex, now);
    await appendEvents(ex, a, events(a, 1, 3), now);
    const before = await listEvents(ex, a);
    // Later migrations had not run yet (and each can run again, so their tables may stay).
    await store.db
      .deleteFrom("kysely_migration" as never)
      .where("name" as never, ">=", "0007_history_rows" as never)
      .execute();

    expect(await migrateToLatest(store.db as Kysely<unknown>, "sqlite")).toEqual([
      "0007_history_rows",
      "0008_style_drafts",
      "0009_workroom_requests",
      "0010_allowance_granted",
      "0011_resume_at",
      "0012_workroom_state_index",
    ]);
    expect(await listEvents(ex, a)).toEqual(before);
    expect(await appendEvents(ex, a, events(a, 4, 1), now)).toBe(4);
  });
});
