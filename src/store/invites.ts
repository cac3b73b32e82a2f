// Invites to a workspace: only the SHA-256 of the link's token is stored; accepting is a
// conditional update, so a link is used once even when two people click it at the same moment.
import type { WorkspaceId } from "../domain/ids.js";
import type { Role } from "../domain/roles.js";
import type { Exec } from "./exec.js";
import type { InviteTable } from "./schema.js";

export interface Invite {
  id: string;
  workspaceId: WorkspaceId;
  email: string;
  role: Role;
  invitedBy: string;
  createdAt: number;
  expiresAt: number;
  acceptedAt: number | null;
  acceptedBy: string | null;
  revokedAt: number | null;
}

const toInvite = (r: InviteTable): Invite => ({
  id: r.id,
  workspaceId: r.workspace_id as WorkspaceId,
  email: r.email,
  role: r.role as Role,
  invitedBy: r.invited_by,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  acceptedAt: r.accepted_at,
  acceptedBy: r.accepted_by,
  revokedAt: r.revoked_at,
});

export async function insertInvite(ex: Exec, row: InviteTable): Promise<Invite> {
  await ex.db.insertInto("invites").values(row).execute();
  return toInvite(row);
}

export async function findInviteByHash(ex: Exec, tokenHash: string): Promise<Invite | undefined> {
  const r = await ex.db
    .selectFrom("invites")
    .selectAll()
    .where("token_hash", "=", tokenHash)
    .executeTakeFirst();
  return r && toInvite(r);
}

export async function findInvite(
  ex: Exec,
  workspaceId: WorkspaceId,
  id: string,
): Promise<Invite | undefined> {
  const r = await ex.db
    .selectFrom("invites")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .executeTakeFirst();
  return r && toInvite(r);
}

/** Invites not used, revoked or expired, newest first. */
export async function listPendingInvites(
  ex: Exec,
  workspaceId: WorkspaceId,
  now: Date,
): Promise<Invite[]> {
  const rows = await ex.db
    .selectFrom("invites")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("accepted_at", "is", null)
    .where("revoked_at", "is", null)
    .where("expires_at", ">", now.getTime())
    .orderBy("created_at", "desc")
    .execute();
  return rows.map(toInvite);
}

export async function countPendingInvites(
  ex: Exec,
  workspaceId: WorkspaceId,
  now: Date,
): Promise<number> {
  const r = await ex.db
    .selectFrom("invites")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("workspace_id", "=", workspaceId)
    .where("accepted_at", "is", null)
    .where("revoked_at", "is", null)
    .where("expires_at", ">", now.getTime())
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** True when this call revoked it (false: already used or revoked). */
export async function revokeInvite(
  ex: Exec,
  workspaceId: WorkspaceId,
  id: string,
  now: Date,
): Promise<boolean> {
  const r = await ex.db
    .updateTable("invites")
    .set({ revoked_at: now.getTime() })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .where("accepted_at", "is", null)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** True when this call used the invite; false when someone else used it first. */
export async function markInviteAccepted(
  ex: Exec,
  id: string,
  userId: string,
  now: Date,
): Promise<boolean> {
  const r = await ex.db
    .updateTable("invites")
    .set({ accepted_at: now.getTime(), accepted_by: userId })
    .where("id", "=", id)
    .where("accepted_at", "is", null)
    .where("revoked_at", "is", null)
    .where("expires_at", ">", now.getTime())
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
