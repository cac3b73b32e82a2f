// The append-only history. Sequence numbers are per room and gapless: the room's `event_seq` is
// bumped in the same transaction as the inserts, which also serialises writers of one room.
import type { WorkroomId } from "../domain/ids.js";
import type { HistoryEvent, Workroom } from "../domain/types.js";
import { json, parseJson, type Exec } from "./exec.js";
import { precompiled, precompiledBy } from "./prepared.js";

export interface NewEvent {
  type: string;
  actor: string;
  data: Record<string, unknown>;
}

/** Credits a transaction adds to a room: to what it spent, and to its base outside revisions. */
export interface CreditDelta {
  credits: number;
  base: number;
}

/**
 * Appends `events` to the room's history and adds `credits` to the room in the same update of its
 * row (one write of the room per transaction, however many steps and calls it commits). Returns
 * the room's last sequence number.
 */
export async function appendEvents(
  ex: Exec,
  room: Pick<Workroom, "id" | "workspaceId">,
  events: readonly NewEvent[],
  now: Date,
  credits: CreditDelta = { credits: 0, base: 0 },
): Promise<number> {
  if (events.length === 0 && credits.credits === 0 && credits.base === 0) return 0;
  const bumped = await BUMP_SEQ.execute(ex, {
    count: events.length,
    credits: credits.credits,
    base: credits.base,
    roomId: room.id,
  });
  const eventSeq = bumped.rows[0]?.event_seq;
  if (eventSeq === undefined) throw new Error(`workroom ${room.id} vanished`);
  if (events.length === 0) return eventSeq;
  const first = eventSeq - events.length + 1;
  const values: Record<string, string | number> = {
    workspaceId: room.workspaceId,
    roomId: room.id,
    at: now.getTime(),
  };
  events.forEach((e, i) => {
    values[`seq${i}`] = first + i;
    values[`type${i}`] = e.type;
    values[`actor${i}`] = e.actor;
    values[`data${i}`] = ex.seal(room.workspaceId, json(e.data));
  });
  await INSERT_EVENTS(events.length).execute(ex, values);
  return eventSeq;
}

const BUMP_SEQ = precompiled((db, s) =>
  db
    .updateTable("workrooms")
    .set((eb) => ({
      event_seq: eb("event_seq", "+", s.number("count")),
      credits_spent: eb("credits_spent", "+", s.number("credits")),
      base_credits: eb("base_credits", "+", s.number("base")),
    }))
    .where("id", "=", s.text("roomId"))
    .returning("event_seq"),
);

const INSERT_EVENTS = precompiledBy((count: number) => (db, s) => {
  const [workspaceId, roomId, at] = [s.text("workspaceId"), s.text("roomId"), s.number("at")];
  return db.insertInto("events").values(
    Array.from({ length: count }, (_, i) => ({
      workspace_id: workspaceId,
      workroom_id: roomId,
      seq: s.number(`seq${i}`),
      type: s.text(`type${i}`),
      actor: s.text(`actor${i}`),
      data: s.text(`data${i}`),
      at,
    })),
  );
});

export async function listEvents(
  ex: Exec,
  room: Pick<Workroom, "id" | "workspaceId">,
  opts: { afterSeq?: number; limit?: number } = {},
): Promise<HistoryEvent[]> {
  const rows = await ex.db
    .selectFrom("events")
    .selectAll()
    .where("workroom_id", "=", room.id)
    .where("workspace_id", "=", room.workspaceId)
    .where("seq", ">", opts.afterSeq ?? 0)
    .orderBy("seq")
    .limit(opts.limit ?? 10_000)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    workroomId: r.workroom_id as WorkroomId,
    seq: r.seq,
    type: r.type,
    actor: r.actor,
    data: parseJson(r.data),
    at: r.at,
  }));
}
