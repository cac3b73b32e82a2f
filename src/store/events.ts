// The append-only history. Sequence numbers are per room and gapless: the room's `event_seq` is
// bumped in the same transaction as the insert, which also serialises writers of one room. What a
// transaction appends to a room is one row, sealed once (migration 0007): a transaction that
// finishes a task and starts the next appends three or four events, and one row and one envelope
// cost about a third of three or four. Readers get the events one by one, as before.
import type { WorkroomId } from "../domain/ids.js";
import type { Selectable } from "kysely";
import type { HistoryEvent, Workroom } from "../domain/types.js";
import { json, parseJson, type Exec } from "./exec.js";
import { precompiled } from "./prepared.js";
import type { HistoryTable } from "./schema.js";

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
  const one = events.length === 1 ? events[0]! : undefined;
  await INSERT_HISTORY.execute(ex, {
    workspaceId: room.workspaceId,
    roomId: room.id,
    firstSeq: eventSeq - events.length + 1,
    lastSeq: eventSeq,
    type: one?.type ?? null,
    actor: one?.actor ?? null,
    data: ex.seal(
      room.workspaceId,
      json(one ? one.data : events.map((e): StoredEvent => [e.type, e.actor, e.data])),
    ),
    at: now.getTime(),
  });
  return eventSeq;
}

/** An event in a row of several: its type, actor and data (its seq is the row's first + index). */
type StoredEvent = [type: string, actor: string, data: Record<string, unknown>];

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

const INSERT_HISTORY = precompiled((db, s) =>
  db.insertInto("history").values({
    workspace_id: s.text("workspaceId"),
    workroom_id: s.text("roomId"),
    first_seq: s.number("firstSeq"),
    last_seq: s.number("lastSeq"),
    type: s.nullableText("type"),
    actor: s.nullableText("actor"),
    data: s.text("data"),
    at: s.number("at"),
  }),
);

/** A history row as read (its data opened by the store). */
export type HistoryRow = Selectable<HistoryTable>;

/** The events a history row holds, in sequence order. */
export function eventsOfRow(r: HistoryRow): HistoryEvent[] {
  const row = { id: r.id, workroomId: r.workroom_id as WorkroomId, at: r.at };
  if (r.type !== null)
    return [
      { ...row, seq: r.first_seq, type: r.type, actor: r.actor ?? "", data: parseJson(r.data) },
    ];
  const stored = parseJson<StoredEvent[]>(r.data);
  if (stored.length !== r.last_seq - r.first_seq + 1)
    throw new Error(
      `history row ${r.id} of ${r.workroom_id} holds ${stored.length} events for seq ${r.first_seq}..${r.last_seq}`,
    );
  return stored.map(([type, actor, data], i) => ({
    ...row,
    seq: r.first_seq + i,
    type,
    actor,
    data,
  }));
}

/** A room's events after `afterSeq`, in order, at most `limit` of them. */
export async function listEvents(
  ex: Exec,
  room: Pick<Workroom, "id" | "workspaceId">,
  opts: { afterSeq?: number; limit?: number } = {},
): Promise<HistoryEvent[]> {
  const afterSeq = opts.afterSeq ?? 0;
  const limit = opts.limit ?? 10_000;
  // Every row holds at least one event, so `limit` rows hold enough.
  const rows = await ex.db
    .selectFrom("history")
    .selectAll()
    .where("workroom_id", "=", room.id)
    .where("workspace_id", "=", room.workspaceId)
    .where("last_seq", ">", afterSeq)
    .orderBy("last_seq")
    .limit(limit)
    .execute();
  const events: HistoryEvent[] = [];
  for (const r of rows)
    for (const e of eventsOfRow(r)) {
      if (e.seq <= afterSeq) continue;
      if (events.length === limit) return events;
      events.push(e);
    }
  return events;
}
