// Revision requests, one per round.
import type { PresetAction, RevisionSource } from "../domain/revisions.js";
import type { Workroom } from "../domain/types.js";
import { json, parseJson, type Exec } from "./exec.js";
import { newId } from "./ids.js";
import type { Selectable } from "kysely";
import type { RevisionTable } from "./schema.js";

export const REVISION_STATUSES = ["running", "completed", "failed"] as const;

export interface Revision {
  id: string;
  round: number;
  presetSlug: string;
  action: PresetAction;
  instruction: string;
  args: Record<string, string>;
  source: RevisionSource;
  status: (typeof REVISION_STATUSES)[number];
  error: string | null;
  credits: number;
  requestedBy: string;
  createdAt: number;
  finishedAt: number | null;
}

export async function insertRevision(
  ex: Exec,
  room: Workroom,
  r: {
    round: number;
    presetSlug: string;
    action: PresetAction;
    instruction: string;
    args: Record<string, string>;
    source: RevisionSource;
    credits: number;
    requestedBy: string;
  },
  now: Date,
): Promise<string> {
  const id = newId("revision");
  await ex.db
    .insertInto("revisions")
    .values({
      id,
      workspace_id: room.workspaceId,
      workroom_id: room.id,
      round: r.round,
      preset_slug: r.presetSlug,
      action: r.action,
      instruction: ex.seal(room.workspaceId, r.instruction),
      args: ex.seal(room.workspaceId, json(r.args)),
      source: r.source,
      status: "running",
      error: null,
      credits: r.credits,
      requested_by: r.requestedBy,
      created_at: now.getTime(),
      finished_at: null,
    })
    .execute();
  return id;
}

type RevisionRow = Selectable<RevisionTable>;

const toRevision = (r: RevisionRow): Revision => ({
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
});

export async function findRevision(
  ex: Exec,
  room: Pick<Workroom, "id" | "workspaceId">,
  round: number,
): Promise<Revision | undefined> {
  const r = await ex.db
    .selectFrom("revisions")
    .selectAll()
    .where("workroom_id", "=", room.id)
    .where("workspace_id", "=", room.workspaceId)
    .where("round", "=", round)
    .executeTakeFirst();
  return r && toRevision(r);
}

/** Every revision round of a room, oldest first (the revision panel and GET …/revisions). */
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
  return rows.map(toRevision);
}

export async function finishRevision(
  ex: Exec,
  id: string,
  status: "completed" | "failed",
  error: string | null,
  now: Date,
): Promise<void> {
  await ex.db
    .updateTable("revisions")
    .set({ status, error, finished_at: now.getTime() })
    .where("id", "=", id)
    .execute();
}
