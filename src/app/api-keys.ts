// Workspace API keys (SPEC 7): shown once, stored as a SHA-256, prefix visible, rotatable,
// revocable, acting with the issuing member's current role, and only on plans with API access.
import { randomBytes } from "node:crypto";
import {
  API_KEY_PREFIX,
  API_KEY_TOUCH_MS,
  apiKeyPrefix,
  checkApiAccess,
  checkName,
  looksLikeApiKey,
} from "../domain/accounts.js";
import { DomainError } from "../domain/errors.js";
import type { UserId } from "../domain/ids.js";
import { can, type PlanName, type Role } from "../domain/roles.js";
import { poolExec } from "../engine/deps.js";
import { withTx, type Tx } from "../engine/tx.js";
import {
  findApiKey,
  findApiKeyCaller,
  insertApiKey,
  listApiKeys as listKeyRows,
  replaceApiKeySecret,
  revokeApiKey as revokeKeyRow,
  touchApiKey,
  type ApiKey,
  type ApiKeyListed,
} from "../store/api-keys.js";
import { newId } from "../store/ids.js";
import type { User } from "../store/users.js";
import { auditBy, authorize, authorizeLocked, type Actor, type AppDeps } from "./context.js";
import { tokenHash } from "./credentials.js";

export type { ApiKey, ApiKeyListed } from "../store/api-keys.js";

/** A key as created or rotated: `key` is shown this once and never again. */
export interface IssuedApiKey extends ApiKey {
  key: string;
}

const newSecret = () => {
  const key = API_KEY_PREFIX + randomBytes(32).toString("base64url");
  return { key, prefix: apiKeyPrefix(key), keyHash: tokenHash(key) };
};

const record = auditBy;

function issuerOf(actor: Actor): UserId {
  if (!actor.userId)
    throw new DomainError(
      "invalid_input",
      "An API key belongs to a member: create it signed in as that member.",
    );
  return actor.userId;
}

export async function createApiKey(
  deps: AppDeps,
  actor: Actor,
  input: { name: string },
): Promise<IssuedApiKey> {
  authorize(actor, "apikeys.manage_own");
  const userId = issuerOf(actor);
  const name = checkName(input.name, "key name");
  return withTx(deps, async (tx) => {
    checkApiAccess((await authorizeLocked(tx, actor, "apikeys.manage_own")).plan);
    const secret = newSecret();
    const row = await insertApiKey(tx.ex, {
      id: newId("apiKey"),
      workspace_id: actor.workspaceId,
      user_id: userId,
      name,
      prefix: secret.prefix,
      key_hash: secret.keyHash,
      created_at: tx.now.getTime(),
      last_used_at: null,
      revoked_at: null,
    });
    await record(tx, actor, "api_key.created", row.id, { name, prefix: row.prefix });
    return { ...row, key: secret.key };
  });
}

/** Live keys: all of the workspace for owners and admins, one's own for members. */
export async function listApiKeys(deps: AppDeps, actor: Actor): Promise<ApiKeyListed[]> {
  authorize(actor, "apikeys.manage_own");
  const all = can(actor.role, "apikeys.manage_others");
  return listKeyRows(poolExec(deps), actor.workspaceId, all ? undefined : issuerOf(actor));
}

/**
 * Locks the workspace and loads a live key the actor may manage, by their role as it is now:
 * their own, or anyone's for owners and admins.
 */
async function manageable(
  tx: Tx,
  caller: Actor,
  id: string,
): Promise<{ key: ApiKey; plan: PlanName }> {
  const { actor, plan } = await authorizeLocked(tx, caller, "apikeys.manage_own");
  const key = await findApiKey(tx.ex, actor.workspaceId, id);
  if (!key || key.revokedAt !== null)
    throw new DomainError("not_found", `No API key ${id} in this workspace.`);
  if (key.userId !== actor.userId) {
    // A member does not learn whether another member's key id exists.
    if (!can(actor.role, "apikeys.manage_others"))
      throw new DomainError("not_found", `No API key ${id} in this workspace.`);
    authorize(actor, "apikeys.manage_others");
  }
  return { key, plan };
}

/** A new secret for the same key (same id and name); the old secret stops working at once. */
export async function rotateApiKey(deps: AppDeps, actor: Actor, id: string): Promise<IssuedApiKey> {
  return withTx(deps, async (tx) => {
    const { key, plan } = await manageable(tx, actor, id);
    checkApiAccess(plan);
    const secret = newSecret();
    await replaceApiKeySecret(tx.ex, actor.workspaceId, id, secret);
    await record(tx, actor, "api_key.rotated", id, { name: key.name, prefix: secret.prefix });
    return { ...key, prefix: secret.prefix, lastUsedAt: null, key: secret.key };
  });
}

export async function revokeApiKey(deps: AppDeps, actor: Actor, id: string): Promise<void> {
  await withTx(deps, async (tx) => {
    const { key } = await manageable(tx, actor, id);
    await revokeKeyRow(tx.ex, actor.workspaceId, id, tx.now);
    await record(tx, actor, "api_key.revoked", id, { name: key.name, prefix: key.prefix });
  });
}

export interface ApiKeyAuth {
  keyId: string;
  /** The member who issued the key. */
  user: User;
  actor: Actor;
}

/**
 * The actor of a bearer key, or null when the key is unknown, revoked, or its member has left.
 * A workspace whose plan has no API access refuses with `forbidden` naming the plan. The
 * last-used time is written at most once a minute, so the hot read path rarely writes.
 */
export async function authenticateApiKey(deps: AppDeps, key: string): Promise<ApiKeyAuth | null> {
  if (!looksLikeApiKey(key)) return null;
  const ex = poolExec(deps);
  const found = await findApiKeyCaller(ex, tokenHash(key));
  if (!found || found.key.revokedAt !== null || !found.role) return null;
  const { key: row, role } = found;
  const user = { ...found.user, id: found.user.id as UserId };
  checkApiAccess(found.plan as PlanName);
  const now = deps.clock.now().getTime();
  if (row.lastUsedAt === null || now - row.lastUsedAt >= API_KEY_TOUCH_MS)
    await touchApiKey(ex, row.id, now, now - API_KEY_TOUCH_MS);
  return {
    keyId: row.id,
    user,
    actor: {
      id: row.id,
      userId: user.id,
      apiKeyId: row.id,
      workspaceId: row.workspaceId,
      role: role as Role,
    },
  };
}
