// The audit log: changes by people and API keys outside a workroom's own history.
import type { WorkspaceId } from "../domain/ids.js";
import { json, parseJson, type Exec } from "./exec.js";
import { precompiledInsert } from "./prepared.js";

export interface AuditEntry {
  id: number;
  actor: string;
  action: string;
  target: string | null;
  data: Record<string, unknown>;
  at: number;
}

// Precompiled: rooms are created and started through it as often as they are.
const INSERT_AUDIT = precompiledInsert("audit_log", [
  "workspace_id",
  "actor",
  "action",
  "target",
  "data",
  "at",
]);

export async function audit(
  ex: Exec,
  workspaceId: string,
  entry: { actor: string; action: string; target?: string | null; data?: Record<string, unknown> },
  now: Date,
): Promise<void> {
  await INSERT_AUDIT(ex, [
    {
      workspace_id: workspaceId,
      actor: entry.actor,
      action: entry.action,
      target: entry.target ?? null,
      data: json(entry.data ?? {}),
      at: now.getTime(),
    },
  ]);
}

/** Newest first. */
export async function listAudit(
  ex: Exec,
  workspaceId: WorkspaceId,
  limit = 500,
  /** Continues a listing: only entries older than this id. */
  beforeId?: number,
): Promise<AuditEntry[]> {
  let q = ex.db.selectFrom("audit_log").selectAll().where("workspace_id", "=", workspaceId);
  if (beforeId !== undefined) q = q.where("id", "<", beforeId);
  const rows = await q.orderBy("id", "desc").limit(limit).execute();
  return rows.map((r) => ({
    id: r.id,
    actor: r.actor,
    action: r.action,
    target: r.target,
    data: parseJson(r.data),
    at: r.at,
  }));
}
