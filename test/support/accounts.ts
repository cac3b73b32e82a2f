// Small factories for people: the first-run owner, and members added with a given role.
import { setupOwner, type MyWorkspace } from "../../src/app/accounts.js";
import type { Actor, AppDeps } from "../../src/app/context.js";
import { addMember } from "../../src/app/members.js";
import type { Role } from "../../src/domain/roles.js";
import type { PlanName } from "../../src/domain/roles.js";
import type { UserId } from "../../src/domain/ids.js";
import { createWorkspaceInTx } from "../../src/app/workspaces.js";
import { withTx } from "../../src/engine/tx.js";
import { insertMembership } from "../../src/store/users.js";

export const PASSWORD = "correct horse battery";

export const actorOf = (userId: UserId, workspaceId: Actor["workspaceId"], role: Role): Actor => ({
  id: userId,
  userId,
  workspaceId,
  role,
});

/** The installation's owner and workspace (first-run setup). */
export async function setupAgency(deps: AppDeps, plan: PlanName = "agency") {
  const { user, workspace } = await setupOwner(
    deps,
    {
      email: "owner@agency.test",
      name: "Olive Owner",
      password: PASSWORD,
      workspaceName: "Agency",
    },
    { plan, defaultModel: "scripted" },
  );
  return { user, workspace, owner: actorOf(user.id, workspace.id, "owner") };
}

let counter = 0;
/** A new account added to the owner's workspace with `role`. */
export async function addPerson(
  deps: AppDeps,
  owner: Actor,
  role: Exclude<Role, "owner">,
  name = `${role} ${++counter}`,
) {
  const email = `${name.replace(/\s+/g, ".").toLowerCase()}@agency.test`;
  const user = await addMember(deps, owner, { email, name, password: PASSWORD, role });
  return { user, email, actor: actorOf(user.id, owner.workspaceId, role) };
}

/**
 * Another agency on the installation: a workspace that `userId`, a person with no workspace of
 * their own, owns. Written to the store directly: through the server only the owners and admins of
 * a workspace make more (`createWorkspaceForUser`), so on a real installation one of them would
 * make it and transfer its ownership.
 */
export async function anotherAgency(
  deps: AppDeps,
  userId: UserId,
  name: string,
): Promise<MyWorkspace> {
  return withTx(deps, async (tx) => {
    const ws = await createWorkspaceInTx(tx, { name, plan: "agency", defaultModel: "scripted" });
    await insertMembership(tx.ex, ws.id, userId, "owner", tx.now);
    return { id: ws.id, name: ws.name, plan: ws.plan, role: "owner" };
  });
}
