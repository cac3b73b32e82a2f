// Sign-in sessions (only the SHA-256 of the cookie token is stored) and the login throttle, whose
// counters live in the database so every server replica sees the same failures.
import type { ThrottleState } from "../domain/accounts.js";
import type { Exec } from "./exec.js";
import type { SessionTable } from "./schema.js";

export interface SessionRow {
  id: string;
  userId: string;
  workspaceId: string | null;
  csrfToken: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
}

const toSession = (r: SessionTable): SessionRow => ({
  id: r.id,
  userId: r.user_id,
  workspaceId: r.workspace_id,
  csrfToken: r.csrf_token,
  createdAt: r.created_at,
  lastSeenAt: r.last_seen_at,
  expiresAt: r.expires_at,
});

export async function insertSession(ex: Exec, row: SessionTable): Promise<void> {
  await ex.db.insertInto("sessions").values(row).execute();
}

export async function findSessionByHash(
  ex: Exec,
  tokenHash: string,
): Promise<SessionRow | undefined> {
  const r = await ex.db
    .selectFrom("sessions")
    .selectAll()
    .where("token_hash", "=", tokenHash)
    .executeTakeFirst();
  return r && toSession(r);
}

export async function findSession(ex: Exec, id: string): Promise<SessionRow | undefined> {
  const r = await ex.db.selectFrom("sessions").selectAll().where("id", "=", id).executeTakeFirst();
  return r && toSession(r);
}

/** Slides the expiry; conditional on the old last-seen so concurrent requests write once. */
export async function touchSession(
  ex: Exec,
  id: string,
  seenBefore: number,
  at: number,
  expiresAt: number,
): Promise<void> {
  await ex.db
    .updateTable("sessions")
    .set({ last_seen_at: at, expires_at: expiresAt })
    .where("id", "=", id)
    .where("last_seen_at", "=", seenBefore)
    .execute();
}

export async function setSessionWorkspace(
  ex: Exec,
  id: string,
  workspaceId: string | null,
): Promise<void> {
  await ex.db
    .updateTable("sessions")
    .set({ workspace_id: workspaceId })
    .where("id", "=", id)
    .execute();
}

export async function deleteSession(ex: Exec, id: string): Promise<void> {
  await ex.db.deleteFrom("sessions").where("id", "=", id).execute();
}

/** Drops a person's expired sessions (on each new sign-in, so the table does not grow forever). */
export async function deleteExpiredSessions(ex: Exec, userId: string, now: Date): Promise<void> {
  await ex.db
    .deleteFrom("sessions")
    .where("user_id", "=", userId)
    .where("expires_at", "<=", now.getTime())
    .execute();
}

// --- login throttle -----------------------------------------------------------------------------

/**
 * The key's counters, locked for the rest of the transaction (PostgreSQL: the row is created
 * first, so two sign-ins at once cannot both count from the same value; SQLite: BEGIN IMMEDIATE).
 * A key seen for the first time starts with no failures.
 */
export async function lockThrottle(ex: Exec, key: string, now: Date): Promise<ThrottleState> {
  await ex.db
    .insertInto("login_throttle")
    .values({ key, window_start: now.getTime(), failures: 0, locked_until: null })
    .onConflict((oc) => oc.column("key").doNothing())
    .execute();
  let q = ex.db.selectFrom("login_throttle").selectAll().where("key", "=", key);
  if (ex.dialect === "postgres") q = q.forUpdate();
  const r = await q.executeTakeFirstOrThrow();
  return { windowStart: r.window_start, failures: r.failures, lockedUntil: r.locked_until };
}

export async function writeThrottle(ex: Exec, key: string, s: ThrottleState): Promise<void> {
  const values = { window_start: s.windowStart, failures: s.failures, locked_until: s.lockedUntil };
  await ex.db
    .insertInto("login_throttle")
    .values({ key, ...values })
    .onConflict((oc) => oc.column("key").doUpdateSet(values))
    .execute();
}

export async function clearThrottle(ex: Exec, key: string): Promise<void> {
  await ex.db.deleteFrom("login_throttle").where("key", "=", key).execute();
}

/** Ends a person's sessions, all or all but one (a new password signs out everywhere else). */
export async function deleteUserSessions(ex: Exec, userId: string, keepId?: string): Promise<void> {
  let q = ex.db.deleteFrom("sessions").where("user_id", "=", userId);
  if (keepId) q = q.where("id", "!=", keepId);
  await q.execute();
}
