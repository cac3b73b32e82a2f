// A page of a workspace's workrooms, newest first, filtered by state and client. Keyset paging on
// (created_at, id) so pages stay stable while rooms are being created; an offset is also taken for
// clients that number their pages.
import type { WorkspaceId } from "../domain/ids.js";
import type { Workroom } from "../domain/types.js";
import type { WorkroomState } from "../domain/workroom.js";
import type { Exec } from "./exec.js";
import { toWorkroom } from "./workrooms.js";

export interface RoomPageQuery {
  states?: readonly WorkroomState[];
  /** Exact client name. */
  client?: string;
  limit: number;
  /** The last room of the previous page. */
  before?: { createdAt: number; id: string };
  offset?: number;
}

/** Up to `limit + 1` rooms: the extra one tells the caller whether another page follows. */
export async function pageWorkrooms(
  ex: Exec,
  workspaceId: WorkspaceId,
  q: RoomPageQuery,
): Promise<Workroom[]> {
  let query = ex.db.selectFrom("workrooms").selectAll().where("workspace_id", "=", workspaceId);
  if (q.states?.length) query = query.where("state", "in", [...q.states]);
  if (q.client !== undefined) query = query.where("client", "=", q.client);
  const before = q.before;
  if (before)
    query = query.where((eb) =>
      eb.or([
        eb("created_at", "<", before.createdAt),
        eb.and([eb("created_at", "=", before.createdAt), eb("id", "<", before.id)]),
      ]),
    );
  query = query
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(q.limit + 1);
  if (q.offset) query = query.offset(q.offset);
  return (await query.execute()).map(toWorkroom);
}
