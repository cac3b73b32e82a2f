// Invites by e-mail link: single use, expiring (7 days), counted against the plan's seats while
// pending, free of credits. The raw token is returned once, at creation; the link is
// `/invite/<token>` and the database keeps only the token's SHA-256.
import {
  checkInviteRole,
  checkInviteUsable,
  checkSeat,
  inviteExpiry,
  inviteStatus,
  normaliseEmail,
  WRONG_CREDENTIALS,
} from "../domain/accounts.js";
import { DomainError } from "../domain/errors.js";
import type { Role } from "../domain/roles.js";
import type { WorkspaceId } from "../domain/ids.js";
import { poolExec } from "../engine/deps.js";
import { withTx, type Tx } from "../engine/tx.js";
import { newId } from "../store/ids.js";
import {
  countPendingInvites,
  findInvite,
  findInviteByHash,
  insertInvite,
  listPendingInvites,
  markInviteAccepted,
  revokeInvite as revokeInviteRow,
  type Invite,
} from "../store/invites.js";
import {
  countMembers,
  findRole,
  findUser,
  findUserByEmail,
  insertMembership,
  insertUser,
  type MyWorkspace,
  type User,
} from "../store/users.js";
import { findWorkspace } from "../store/workspaces.js";
import { preparePerson, provePassword } from "./accounts.js";
import {
  auditBy,
  authorize,
  authorizeLocked,
  lockExistingWorkspace,
  type Actor,
  type AppDeps,
} from "./context.js";
import { newToken, tokenHash } from "./credentials.js";

export type { Invite } from "../store/invites.js";

const record = auditBy;

/** Invites an e-mail address with a role (not owner). A new invite to the same address replaces the pending one. */
export async function createInvite(
  deps: AppDeps,
  actor: Actor,
  input: { email: string; role: Role },
): Promise<{ invite: Invite; token: string }> {
  authorize(actor, "members.manage");
  checkInviteRole(input.role);
  const email = normaliseEmail(input.email);
  const token = newToken();
  return withTx(deps, async (tx) => {
    const ws = actor.workspaceId;
    const { plan } = await authorizeLocked(tx, actor, "members.manage");
    const user = await findUserByEmail(tx.ex, email);
    if (user && (await findRole(tx.ex, ws, user.id)))
      throw new DomainError("conflict", `${email} is already a member of this workspace.`);
    for (const old of await listPendingInvites(tx.ex, ws, tx.now))
      if (old.email === email) await revokeInviteRow(tx.ex, ws, old.id, tx.now);
    checkSeat(plan, {
      members: await countMembers(tx.ex, ws),
      pendingInvites: await countPendingInvites(tx.ex, ws, tx.now),
    });
    const invite = await insertInvite(tx.ex, {
      id: newId("invite"),
      workspace_id: ws,
      email,
      role: input.role,
      token_hash: tokenHash(token),
      invited_by: actor.userId ?? actor.id,
      created_at: tx.now.getTime(),
      expires_at: inviteExpiry(tx.now),
      accepted_at: null,
      accepted_by: null,
      revoked_at: null,
    });
    await record(tx, actor, "invite.created", invite.id, { email, role: input.role });
    return { invite, token };
  });
}

export async function listInvites(deps: AppDeps, actor: Actor): Promise<Invite[]> {
  authorize(actor, "members.manage");
  return listPendingInvites(poolExec(deps), actor.workspaceId, deps.clock.now());
}

export async function revokeInvite(deps: AppDeps, actor: Actor, id: string): Promise<void> {
  authorize(actor, "members.manage");
  await withTx(deps, async (tx) => {
    await authorizeLocked(tx, actor, "members.manage");
    const invite = await findInvite(tx.ex, actor.workspaceId, id);
    if (!invite) throw new DomainError("not_found", `No invite ${id} in this workspace.`);
    if (!(await revokeInviteRow(tx.ex, actor.workspaceId, id, tx.now)))
      throw new DomainError("conflict", "This invite was already used or revoked.");
    await record(tx, actor, "invite.revoked", id, { email: invite.email });
  });
}

export interface InviteView {
  workspace: { id: WorkspaceId; name: string };
  email: string;
  role: Role;
  expiresAt: number;
  /** Whether the address has an account already (then accepting asks for its password). */
  hasAccount: boolean;
}

async function usableInvite(tx: Pick<Tx, "ex" | "now">, token: string): Promise<Invite> {
  const invite = await findInviteByHash(tx.ex, tokenHash(token));
  if (!invite)
    throw new DomainError(
      "not_found",
      "This invite link is not valid. Check it was copied whole, or ask for a new one.",
    );
  checkInviteUsable(inviteStatus(invite, tx.now));
  return invite;
}

/** What the invite page shows before accepting (public: the token is the credential). */
export async function describeInvite(deps: AppDeps, token: string): Promise<InviteView> {
  const ex = poolExec(deps);
  const invite = await usableInvite({ ex, now: deps.clock.now() }, token);
  const ws = (await findWorkspace(ex, invite.workspaceId))!;
  return {
    workspace: { id: ws.id, name: ws.name },
    email: invite.email,
    role: invite.role,
    expiresAt: invite.expiresAt,
    hasAccount: Boolean(await findUserByEmail(ex, invite.email)),
  };
}

/**
 * Who accepts: a signed-in person (only the account of the invited address), the invited
 * address's existing account, or a new account.
 */
export type Acceptor =
  | { kind: "signed_in"; userId: string }
  /** `ip`: the client's address, for the sign-in throttle this password check shares. */
  | { kind: "existing"; password: string; ip: string }
  | { kind: "new"; name: string; password: string };

/** Uses the invite: the person joins with the invited role. A used, revoked or expired link is refused. */
export async function acceptInvite(
  deps: AppDeps,
  token: string,
  who: Acceptor,
): Promise<{ user: User; workspace: MyWorkspace }> {
  const ex = poolExec(deps);
  const peek = await usableInvite({ ex, now: deps.clock.now() }, token);
  // Slow work (scrypt) before the transaction.
  const person =
    who.kind === "new"
      ? await preparePerson({ email: peek.email, name: who.name, password: who.password })
      : undefined;
  // The invited address's own password, throttled as a sign-in is (else an invite link would
  // let anyone holding it guess that account's password without limit).
  if (who.kind === "existing")
    await provePassword(deps, { email: peek.email, password: who.password, ip: who.ip });
  return withTx(deps, async (tx) => {
    const invite = await usableInvite(tx, token);
    const plan = await lockExistingWorkspace(tx, invite.workspaceId);
    const user = await acceptingUser(tx, invite, who, person);
    if (await findRole(tx.ex, invite.workspaceId, user.id))
      throw new DomainError("conflict", "You are already a member of this workspace.");
    // The pending invite held a seat; a plan made smaller since then may have no room left.
    checkSeat(plan, { members: await countMembers(tx.ex, invite.workspaceId), pendingInvites: 0 });
    if (!(await markInviteAccepted(tx.ex, invite.id, user.id, tx.now)))
      checkInviteUsable("accepted");
    await insertMembership(tx.ex, invite.workspaceId, user.id, invite.role, tx.now);
    const actor: Actor = {
      id: user.id,
      userId: user.id,
      workspaceId: invite.workspaceId,
      role: invite.role,
    };
    await record(tx, actor, "invite.accepted", invite.id, {
      role: invite.role,
      email: invite.email,
    });
    const ws = (await findWorkspace(tx.ex, invite.workspaceId))!;
    return { user, workspace: { id: ws.id, name: ws.name, plan: ws.plan, role: invite.role } };
  });
}

async function acceptingUser(
  tx: Tx,
  invite: Invite,
  who: Acceptor,
  person: { email: string; name: string; passwordHash: string } | undefined,
): Promise<User> {
  switch (who.kind) {
    case "signed_in": {
      const user = await findUser(tx.ex, who.userId);
      if (!user) throw new DomainError("unauthorized", "Sign in again to accept the invite.");
      // The link is made out to one address: holding it is not being that person. The message
      // names only the invited address (the preview shows it too) and the caller's own.
      if (user.email.trim().toLowerCase() !== invite.email)
        throw new DomainError(
          "forbidden",
          `This invite is for ${invite.email}, and you are signed in as ${user.email}. Sign out and accept it as ${invite.email}, or ask for an invite to your own address.`,
        );
      return user;
    }
    case "existing": {
      const user = await findUserByEmail(tx.ex, invite.email);
      if (!user) throw new DomainError("unauthorized", WRONG_CREDENTIALS);
      const { passwordHash: _, ...plain } = user;
      return plain;
    }
    case "new":
      if (await findUserByEmail(tx.ex, invite.email))
        throw new DomainError(
          "conflict",
          `${invite.email} already has an account: accept with its password instead.`,
        );
      return insertUser(tx.ex, person!, tx.now);
  }
}
