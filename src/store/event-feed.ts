// Reads the live streams need beyond one room's history: where every room of a workspace stands,
// where one event sits in the workspace's order, and the workspace's history after that point.
// The workspace order is the events' row id (an identity column); a room's own order is its seq.
import type { WorkroomId, WorkspaceId } from "../domain/ids.js";
import type { HistoryEvent } from "../domain/types.js";
import { parseJson, type Exec } from "./exec.js";

/** The last seq of every room of the workspace (rooms with no history yet are at 0). */
export async function roomPositions(ex: Exec, workspaceId: string): Promise<Map<string, number>> {
  const rows = await ex.db
    .selectFrom("workrooms")
    .select(["id", "event_seq"])
    .where("workspace_id", "=", workspaceId)
    .execute();
  return new Map(rows.map((r) => [r.id, r.event_seq]));
}

/** The row id of a room's event `seq`, if the room is the workspace's and the event exists. */
export async function eventRowId(
  ex: Exec,
  workspaceId: string,
  workroomId: string,
  seq: number,
): Promise<number | undefined> {
  const row = await ex.db
    .selectFrom("events")
    .select("id")
    .where("workspace_id", "=", workspaceId)
    .where("workroom_id", "=", workroomId)
    .where("seq", "=", seq)
    .executeTakeFirst();
  return row?.id;
}

/** The workspace's history after row `afterId`, in row order, at most `limit` events. */
export async function listWorkspaceEvents(
  ex: Exec,
  workspaceId: WorkspaceId | string,
  afterId: number,
  limit: number,
): Promise<HistoryEvent[]> {
  const rows = await ex.db
    .selectFrom("events")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("id", ">", afterId)
    .orderBy("id")
    .limit(limit)
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
