// The append-only history. Sequence numbers are per room and gapless: the room's `event_seq` is
// bumped in the same transaction as the inserts, which also serialises writers of one room.
import type { WorkroomId } from "../domain/ids.js";
import type { HistoryEvent, Workroom } from "../domain/types.js";
import { json, parseJson, type Exec } from "./exec.js";

export interface NewEvent {
  type: string;
  actor: string;
  data: Record<string, unknown>;
}

export async function appendEvents(
  ex: Exec,
  room: Pick<Workroom, "id" | "workspaceId">,
  events: readonly NewEvent[],
  now: Date,
): Promise<number> {
  if (events.length === 0) return 0;
  const { event_seq } = await ex.db
    .updateTable("workrooms")
    .set((eb) => ({ event_seq: eb("event_seq", "+", events.length) }))
    .where("id", "=", room.id)
    .returning("event_seq")
    .executeTakeFirstOrThrow();
  const first = event_seq - events.length + 1;
  const at = now.getTime();
  await ex.db
    .insertInto("events")
    .values(
      events.map((e, i) => ({
        workspace_id: room.workspaceId,
        workroom_id: room.id,
        seq: first + i,
        type: e.type,
        actor: e.actor,
        data: ex.seal(room.workspaceId, json(e.data)),
        at,
      })),
    )
    .execute();
  return event_seq;
}

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
