// The people of a workspace: list, change roles (one owner, always), transfer ownership, remove,
// leave, and add an account directly (the CLI). Every change is audited. The workspace row is
// locked first, so two admins changing roles at once cannot end with no owner or two, and the
// caller's role is read again under that lock (`authorizeLocked`): a person demoted or removed
// while their request waited is refused.
import { checkRemovable, checkRoleChange, checkSeat } from "../domain/accounts.js";
import { DomainError } from "../domain/errors.js";
import type { Role } from "../domain/roles.js";
import { poolExec } from "../engine/deps.js";
import { withTx, type Tx } from "../engine/tx.js";
import { revokeMemberApiKeys } from "../store/api-keys.js";
import { countPendingInvites } from "../store/invites.js";
import {
  countMembers,
  deleteMembership,
  findRole,
  findUserByEmail,
  insertMembership,
  insertUser,
  listMembers as listMemberRows,
  setRole,
  type Member,
  type User,
} from "../store/users.js";
import { preparePerson, type NewPerson } from "./accounts.js";
import {
  auditBy,
  authorize,
  authorizeLocked,
  lockExistingWorkspace,
  type Actor,
  type AppDeps,
} from "./context.js";

export type { Member } from "../store/users.js";

export async function listMembers(deps: AppDeps, actor: Actor): Promise<Member[]> {
  authorize(actor, "members.read");
  return listMemberRows(poolExec(deps), actor.workspaceId);
}

async function roleOf(tx: Tx, actor: Actor, userId: string): Promise<Role> {
  const role = await findRole(tx.ex, actor.workspaceId, userId);
  if (!role) throw new DomainError("not_found", `No member ${userId} in this workspace.`);
  return role;
}

const record = auditBy;

/** Changes a member's role; owner is reached only through `transferOwnership`. */
export async function changeRole(
  deps: AppDeps,
  actor: Actor,
  userId: string,
  role: Role,
): Promise<Member> {
  authorize(actor, "members.manage");
  return withTx(deps, async (tx) => {
    await authorizeLocked(tx, actor, "members.manage");
    const current = await roleOf(tx, actor, userId);
    checkRoleChange(current, role);
    if (current !== role) {
      await setRole(tx.ex, actor.workspaceId, userId, role);
      await record(tx, actor, "member.role_changed", userId, { from: current, to: role });
    }
    return (await listMemberRows(tx.ex, actor.workspaceId)).find((m) => m.user.id === userId)!;
  });
}

/** Makes another member the owner; the previous owner becomes an admin. Only the owner may. */
export async function transferOwnership(
  deps: AppDeps,
  actor: Actor,
  userId: string,
): Promise<void> {
  authorize(actor, "ownership.transfer");
  await withTx(deps, async (tx) => {
    await authorizeLocked(tx, actor, "ownership.transfer");
    const members = await listMemberRows(tx.ex, actor.workspaceId);
    const owner = members.find((m) => m.role === "owner");
    const target = members.find((m) => m.user.id === userId);
    if (!target) throw new DomainError("not_found", `No member ${userId} in this workspace.`);
    // Nothing would change and nothing would be recorded: say so rather than answer "done".
    if (target.role === "owner")
      throw new DomainError(
        "conflict",
        target.user.id === actor.userId
          ? "You are already the owner: choose another member to make owner."
          : `${target.user.email} is already the owner of this workspace.`,
      );
    if (owner) await setRole(tx.ex, actor.workspaceId, owner.user.id, "admin");
    await setRole(tx.ex, actor.workspaceId, userId, "owner");
    await record(tx, actor, "ownership.transferred", userId, { from: owner?.user.id ?? null });
  });
}

/** Removes a member (not the owner); their API keys in this workspace are revoked with them. */
export async function removeMember(deps: AppDeps, actor: Actor, userId: string): Promise<void> {
  authorize(actor, "members.manage");
  await withTx(deps, async (tx) => {
    await authorizeLocked(tx, actor, "members.manage");
    checkRemovable(await roleOf(tx, actor, userId));
    await dropMember(tx, actor, userId);
    await record(tx, actor, "member.removed", userId);
  });
}

/** The actor leaves the workspace (the owner transfers ownership first). */
export async function leaveWorkspace(deps: AppDeps, actor: Actor): Promise<void> {
  const userId = actor.userId;
  if (!userId) throw new DomainError("invalid_input", "Only a signed-in member can leave.");
  await withTx(deps, async (tx) => {
    await lockExistingWorkspace(tx, actor.workspaceId);
    checkRemovable(await roleOf(tx, actor, userId));
    await dropMember(tx, actor, userId);
    await record(tx, actor, "member.left", userId);
  });
}

async function dropMember(tx: Tx, actor: Actor, userId: string): Promise<void> {
  await deleteMembership(tx.ex, actor.workspaceId, userId);
  await revokeMemberApiKeys(tx.ex, actor.workspaceId, userId, tx.now);
}

/**
 * Adds a person to the actor's workspace without an invite (CLI administration): creates the
 * account if the e-mail is new. Seats are enforced as for invites.
 */
export async function addMember(
  deps: AppDeps,
  actor: Actor,
  input: NewPerson & { role: Exclude<Role, "owner"> },
): Promise<User> {
  authorize(actor, "members.manage");
  const person = await preparePerson(input);
  return withTx(deps, async (tx) => {
    const { plan } = await authorizeLocked(tx, actor, "members.manage");
    const existing = await findUserByEmail(tx.ex, person.email);
    if (existing && (await findRole(tx.ex, actor.workspaceId, existing.id)))
      throw new DomainError("conflict", `${person.email} is already a member of this workspace.`);
    checkSeat(plan, {
      members: await countMembers(tx.ex, actor.workspaceId),
      pendingInvites: await countPendingInvites(tx.ex, actor.workspaceId, tx.now),
    });
    const user = existing ?? (await insertUser(tx.ex, person, tx.now));
    await insertMembership(tx.ex, actor.workspaceId, user.id, input.role, tx.now);
    await record(tx, actor, "member.added", user.id, { role: input.role });
    return { id: user.id, email: user.email, name: user.name, createdAt: user.createdAt };
  });
}
