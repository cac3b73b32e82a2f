// Reads the live streams need beyond one room's history: where every room of a workspace stands,
// where one event sits in the workspace's order, and the workspace's history after that point.
// The workspace order is the history's row id (an identity column), then seq within a row; a
// room's own order is its seq.
import type { WorkspaceId } from "../domain/ids.js";
import type { HistoryEvent } from "../domain/types.js";
import type { Exec } from "./exec.js";
import { eventsOfRow } from "./events.js";

/** The last seq of every room of the workspace (rooms with no history yet are at 0). */
export async function roomPositions(ex: Exec, workspaceId: string): Promise<Map<string, number>> {
  const rows = await ex.db
    .selectFrom("workrooms")
    .select(["id", "event_seq"])
    .where("workspace_id", "=", workspaceId)
    .execute();
  return new Map(rows.map((r) => [r.id, r.event_seq]));
}

/**
 * Where an event sits in the workspace's order: the row that holds it (rows are numbered in the
 * order they were written; a row holds one transaction's events of one room), and its room and
 * seq within the row.
 */
export interface FeedPosition {
  row: number;
  workroomId: string;
  seq: number;
}

/** The position of a room's event `seq`, if the room is the workspace's and the event exists. */
export async function eventPosition(
  ex: Exec,
  workspaceId: string,
  workroomId: string,
  seq: number,
): Promise<FeedPosition | undefined> {
  const row = await ex.db
    .selectFrom("history")
    .select(["id", "first_seq"])
    .where("workspace_id", "=", workspaceId)
    .where("workroom_id", "=", workroomId)
    .where("last_seq", ">=", seq)
    .orderBy("last_seq")
    .limit(1)
    .executeTakeFirst();
  return row && row.first_seq <= seq ? { row: row.id, workroomId, seq } : undefined;
}

/** A page of the workspace's history, and where the next one starts. */
export interface FeedPage {
  events: HistoryEvent[];
  /** Everything after the page's last row (the page holds its rows whole). */
  next: { row: number };
  /** Whether rows may follow: the page read as many as it was allowed. */
  more: boolean;
}

/**
 * The workspace's history after `after` (the position of an event, or a row for everything after
 * it), in order: the events of at most `limit` rows.
 */
export async function listWorkspaceEvents(
  ex: Exec,
  workspaceId: WorkspaceId | string,
  after: FeedPosition | { row: number },
  limit: number,
): Promise<FeedPage> {
  // The row of an event's position may hold later events: that row is read again, past its seq.
  const within = "seq" in after ? after : undefined;
  const rows = await ex.db
    .selectFrom("history")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("id", within ? ">=" : ">", after.row)
    .orderBy("id")
    .limit(limit)
    .execute();
  const events: HistoryEvent[] = [];
  for (const r of rows)
    for (const e of eventsOfRow(r))
      if (!within || e.id !== within.row || e.seq > within.seq) events.push(e);
  return { events, next: { row: rows.at(-1)?.id ?? after.row }, more: rows.length === limit };
}
