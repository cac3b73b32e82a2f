// What every use case receives: the engine's dependencies and who is acting.
import { DomainError } from "../domain/errors.js";
import type { UserId, WorkspaceId } from "../domain/ids.js";
import { can, type Action, type PlanName, type Role } from "../domain/roles.js";
import type { EngineDeps } from "../engine/deps.js";
import type { Tx } from "../engine/tx.js";
import { audit } from "../store/audit.js";
import { findRole, lockWorkspace } from "../store/users.js";

export type AppDeps = EngineDeps;

export interface Actor {
  /** `usr_…`, `key_…` or `cli` */
  id: string;
  workspaceId: WorkspaceId;
  role: Role;
  /** The person acting: the signed-in user, or the member who issued the API key. */
  userId?: UserId;
  /** Set when the request came with an API key (then `id` is that key's id). */
  apiKeyId?: string;
}

/** What an audit record adds about the actor: the person behind an API key. */
export const actorTrail = (actor: Actor): Record<string, unknown> =>
  actor.apiKeyId ? { api_key: actor.apiKeyId, user: actor.userId ?? null } : {};

/** Records a change by `actor` in the workspace's audit log, inside the change's transaction. */
export const auditBy = (
  tx: Tx,
  actor: Actor,
  action: string,
  target: string,
  data: Record<string, unknown> = {},
): Promise<void> =>
  audit(
    tx.ex,
    actor.workspaceId,
    { actor: actor.id, action, target, data: { ...data, ...actorTrail(actor) } },
    tx.now,
  );

/** The one permission check of every use case. */
export function authorize(actor: Actor, action: Action): void {
  if (!can(actor.role, action))
    throw new DomainError(
      "forbidden",
      `Your role (${actor.role}) does not allow ${action.replace(".", ": ")}. Ask ${can("admin", action) ? "an owner or admin" : "the owner"}.`,
    );
}

/**
 * Locks the workspace row for the transaction and returns its plan. A workspace deleted by a
 * request that held the lock first is not found: the request waited on nothing left to change.
 */
export async function lockExistingWorkspace(tx: Tx, workspaceId: WorkspaceId): Promise<PlanName> {
  const plan = await lockWorkspace(tx.ex, workspaceId);
  if (!plan) throw new DomainError("not_found", "This workspace no longer exists.");
  return plan;
}

/**
 * The permission check of a change to the workspace's people, API keys, invites, plan or
 * existence, made under the workspace lock. The caller's role was read when their request
 * arrived; they may have been demoted or removed while it waited on the lock, so it is read
 * again here, and `action` checked against the role they have now. Returns the caller with that
 * role (for any further check) and the workspace's plan. The CLI acts for the installation and
 * has no membership to read again. Use cases still `authorize` first, to refuse before any work;
 * this is the check that decides.
 */
export async function authorizeLocked(
  tx: Tx,
  actor: Actor,
  action: Action,
): Promise<{ actor: Actor; plan: PlanName }> {
  const plan = await lockExistingWorkspace(tx, actor.workspaceId);
  if (!actor.userId) {
    authorize(actor, action);
    return { actor, plan };
  }
  const role = await findRole(tx.ex, actor.workspaceId, actor.userId);
  if (!role)
    throw new DomainError(
      "forbidden",
      "You are no longer a member of this workspace, so nothing was changed. Ask its owner or an admin to invite you again.",
    );
  const now = { ...actor, role };
  authorize(now, action);
  return { actor: now, plan };
}
