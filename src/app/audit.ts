// The audit log as people read it (SPEC 1): newest first, a page at a time, each entry with who did
// it — the person, or the API key (its name and visible prefix) and the member who issued it.
import type { Exec } from "../store/exec.js";
import { findApiKey } from "../store/api-keys.js";
import { listAudit, type AuditEntry } from "../store/audit.js";
import { findUser } from "../store/users.js";
import { poolExec } from "../engine/deps.js";
import { authorize, type Actor, type AppDeps } from "./context.js";

export const AUDIT_PAGE_MAX = 200;

/** Who an audit entry's actor id stands for; `kind: "system"` for the CLI and the engine. */
export type AuditActor =
  | { kind: "user"; id: string; name: string | null; email: string | null }
  | {
      kind: "api_key";
      id: string;
      name: string | null;
      prefix: string | null;
      user: { id: string; name: string } | null;
    }
  | { kind: "system"; id: string };

export interface AuditPage {
  entries: (AuditEntry & { who: AuditActor })[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextBefore: number | null;
}

async function whoIs(ex: Exec, actor: Actor, id: string): Promise<AuditActor> {
  if (id.startsWith("usr_")) {
    const u = await findUser(ex, id);
    return { kind: "user", id, name: u?.name ?? null, email: u?.email ?? null };
  }
  if (id.startsWith("key_")) {
    const k = await findApiKey(ex, actor.workspaceId, id);
    const issuer = k ? await findUser(ex, k.userId) : undefined;
    return {
      kind: "api_key",
      id,
      name: k?.name ?? null,
      prefix: k?.prefix ?? null,
      user: issuer ? { id: issuer.id, name: issuer.name } : null,
    };
  }
  return { kind: "system", id };
}

/** One page of the workspace's audit log (owners and admins). */
export async function auditLog(
  deps: AppDeps,
  actor: Actor,
  opts: { limit?: number; before?: number } = {},
): Promise<AuditPage> {
  authorize(actor, "audit.read");
  const limit = Math.min(Math.max(opts.limit ?? 50, 1), AUDIT_PAGE_MAX);
  const ex = poolExec(deps);
  // One more than asked says whether an older page exists.
  const rows = await listAudit(ex, actor.workspaceId, limit + 1, opts.before);
  const page = rows.slice(0, limit);
  const ids = [...new Set(page.map((e) => e.actor))];
  const who = new Map(
    await Promise.all(ids.map(async (id) => [id, await whoIs(ex, actor, id)] as const)),
  );
  return {
    entries: page.map((e) => ({ ...e, who: who.get(e.actor)! })),
    nextBefore: rows.length > limit ? page[page.length - 1]!.id : null,
  };
}
