// Rooms paused for a provider's rate limit whose wait is over: the workers resume them
// (engine/resume-due.ts). Read through the partial index of rooms with a `resume_at`
// (migration 0011), so the look costs a few index entries however many rooms there are.
import { sql } from "kysely";
import type { WorkroomId, WorkspaceId } from "../domain/ids.js";
import type { Exec } from "./exec.js";

export interface DueRoom {
  id: WorkroomId;
  workspaceId: WorkspaceId;
}

/** Up to `limit` rooms whose `resume_at` is at or before `now`, the longest due first. */
export async function roomsDueToResume(ex: Exec, now: number, limit: number): Promise<DueRoom[]> {
  const rows = await ex.db
    .selectFrom("workrooms")
    .select(["id", "workspace_id"])
    .where("resume_at", "<=", now)
    .orderBy("resume_at")
    .limit(sql.lit(Math.max(1, Math.trunc(limit))))
    .execute();
  return rows.map((r) => ({ id: r.id as WorkroomId, workspaceId: r.workspace_id as WorkspaceId }));
}
