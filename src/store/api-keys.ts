// Workspace API keys: the row keeps the SHA-256 of the key and its visible prefix, never the key.
import type { WorkspaceId } from "../domain/ids.js";
import type { Exec } from "./exec.js";
import type { ApiKeyTable } from "./schema.js";

export interface ApiKey {
  id: string;
  workspaceId: WorkspaceId;
  /** The member who issued it. */
  userId: string;
  name: string;
  prefix: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export interface ApiKeyListed extends ApiKey {
  issuer: { id: string; name: string; email: string };
}

const toKey = (r: ApiKeyTable): ApiKey => ({
  id: r.id,
  workspaceId: r.workspace_id as WorkspaceId,
  userId: r.user_id,
  name: r.name,
  prefix: r.prefix,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
});

export async function insertApiKey(ex: Exec, row: ApiKeyTable): Promise<ApiKey> {
  await ex.db.insertInto("api_keys").values(row).execute();
  return toKey(row);
}

/** Finds a key by its hash across workspaces: the key itself says which workspace it is for. */
export async function findApiKeyByHash(ex: Exec, keyHash: string): Promise<ApiKey | undefined> {
  const r = await ex.db
    .selectFrom("api_keys")
    .selectAll()
    .where("key_hash", "=", keyHash)
    .executeTakeFirst();
  return r && toKey(r);
}

export async function findApiKey(
  ex: Exec,
  workspaceId: WorkspaceId,
  id: string,
): Promise<ApiKey | undefined> {
  const r = await ex.db
    .selectFrom("api_keys")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .executeTakeFirst();
  return r && toKey(r);
}

/** The workspace's live keys (optionally one member's), newest first, with who issued each. */
export async function listApiKeys(
  ex: Exec,
  workspaceId: WorkspaceId,
  userId?: string,
): Promise<ApiKeyListed[]> {
  let q = ex.db
    .selectFrom("api_keys")
    .innerJoin("users", "users.id", "api_keys.user_id")
    .selectAll("api_keys")
    .select(["users.name as issuer_name", "users.email as issuer_email"])
    .where("api_keys.workspace_id", "=", workspaceId)
    .where("api_keys.revoked_at", "is", null);
  if (userId) q = q.where("api_keys.user_id", "=", userId);
  const rows = await q.orderBy("api_keys.created_at", "desc").execute();
  return rows.map((r) => ({
    ...toKey(r),
    issuer: { id: r.user_id, name: r.issuer_name, email: r.issuer_email },
  }));
}

export async function replaceApiKeySecret(
  ex: Exec,
  workspaceId: WorkspaceId,
  id: string,
  secret: { prefix: string; keyHash: string },
): Promise<void> {
  await ex.db
    .updateTable("api_keys")
    .set({ prefix: secret.prefix, key_hash: secret.keyHash, last_used_at: null })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .execute();
}

export async function revokeApiKey(
  ex: Exec,
  workspaceId: WorkspaceId,
  id: string,
  now: Date,
): Promise<void> {
  await ex.db
    .updateTable("api_keys")
    .set({ revoked_at: now.getTime() })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .where("revoked_at", "is", null)
    .execute();
}

/** Writes the last-used time only if the stored one is older than `staleBefore`. */
export async function touchApiKey(
  ex: Exec,
  id: string,
  at: number,
  staleBefore: number,
): Promise<void> {
  await ex.db
    .updateTable("api_keys")
    .set({ last_used_at: at })
    .where("id", "=", id)
    .where((eb) => eb.or([eb("last_used_at", "is", null), eb("last_used_at", "<", staleBefore)]))
    .execute();
}

/** Revokes every live key a member issued in the workspace (they leave or are removed). */
export async function revokeMemberApiKeys(
  ex: Exec,
  workspaceId: WorkspaceId,
  userId: string,
  now: Date,
): Promise<void> {
  await ex.db
    .updateTable("api_keys")
    .set({ revoked_at: now.getTime() })
    .where("workspace_id", "=", workspaceId)
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null)
    .execute();
}

export interface ApiKeyCaller {
  key: ApiKey;
  user: { id: string; email: string; name: string; createdAt: number };
  /** The issuer's current role; null when they are no longer a member. */
  role: string | null;
  plan: string;
}

/** Everything bearer authentication needs, in one statement (it runs on every API request). */
export async function findApiKeyCaller(
  ex: Exec,
  keyHash: string,
): Promise<ApiKeyCaller | undefined> {
  const r = await ex.db
    .selectFrom("api_keys")
    .innerJoin("users", "users.id", "api_keys.user_id")
    .innerJoin("workspaces", "workspaces.id", "api_keys.workspace_id")
    .leftJoin("memberships", (j) =>
      j
        .onRef("memberships.workspace_id", "=", "api_keys.workspace_id")
        .onRef("memberships.user_id", "=", "api_keys.user_id"),
    )
    .selectAll("api_keys")
    .select([
      "users.email",
      "users.name as user_name",
      "users.created_at as user_created_at",
      "memberships.role",
      "workspaces.plan",
    ])
    .where("api_keys.key_hash", "=", keyHash)
    .executeTakeFirst();
  if (!r) return undefined;
  return {
    key: toKey(r),
    user: { id: r.user_id, email: r.email, name: r.user_name, createdAt: r.user_created_at },
    role: r.role,
    plan: r.plan,
  };
}
