// Every revision round of a room, oldest first (the room's revision panel and GET …/revisions).
import type { PresetAction, RevisionSource } from "../domain/revisions.js";
import type { Workroom } from "../domain/types.js";
import { parseJson, type Exec } from "./exec.js";
import type { Revision } from "./revisions.js";

export async function listRevisions(
  ex: Exec,
  room: Pick<Workroom, "id" | "workspaceId">,
): Promise<Revision[]> {
  const rows = await ex.db
    .selectFrom("revisions")
    .selectAll()
    .where("workroom_id", "=", room.id)
    .where("workspace_id", "=", room.workspaceId)
    .orderBy("round")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    round: r.round,
    presetSlug: r.preset_slug,
    action: r.action as PresetAction,
    instruction: r.instruction,
    args: parseJson(r.args),
    source: r.source as RevisionSource,
    status: r.status as Revision["status"],
    error: r.error,
    credits: r.credits,
    requestedBy: r.requested_by,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
  }));
}
