// The current workspace as its people see it (plan, seats, API access), and changing the plan —
// self-hosters set it from the CLI (SPEC 1); a hosted billing system would call the same.
import { canUseApiAccess, PLAN_LABELS } from "../domain/accounts.js";
import { DomainError } from "../domain/errors.js";
import { PLAN_NAMES, PLANS, type PlanName } from "../domain/roles.js";
import { poolExec } from "../engine/deps.js";
import { withTx } from "../engine/tx.js";
import { audit } from "../store/audit.js";
import { countPendingInvites } from "../store/invites.js";
import { countMembers, setWorkspacePlan } from "../store/users.js";
import { findWorkspace } from "../store/workspaces.js";
import { actorTrail, authorize, authorizeLocked, type Actor, type AppDeps } from "./context.js";

export interface WorkspaceOverview {
  id: string;
  name: string;
  plan: PlanName;
  planLabel: string;
  /** null: unlimited. */
  maxUsers: number | null;
  seatsUsed: { members: number; pendingInvites: number };
  apiAccess: boolean;
  /** The model the workspace's rooms use unless an agent names its own. */
  defaultModel: string;
  /** The caller's role here. */
  role: Actor["role"];
}

export async function describeWorkspace(deps: AppDeps, actor: Actor): Promise<WorkspaceOverview> {
  const ex = poolExec(deps);
  const ws = await findWorkspace(ex, actor.workspaceId);
  if (!ws) throw new DomainError("not_found", "No such workspace.");
  return {
    id: ws.id,
    name: ws.name,
    plan: ws.plan,
    planLabel: PLAN_LABELS[ws.plan],
    maxUsers: PLANS[ws.plan].maxUsers,
    seatsUsed: {
      members: await countMembers(ex, ws.id),
      pendingInvites: await countPendingInvites(ex, ws.id, deps.clock.now()),
    },
    apiAccess: canUseApiAccess(ws.plan),
    defaultModel: ws.defaultModel,
    role: actor.role,
  };
}

export function parsePlan(raw: string): PlanName {
  const plan = raw
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
  if (!(PLAN_NAMES as string[]).includes(plan))
    throw new DomainError("invalid_input", `No plan "${raw}". Plans: ${PLAN_NAMES.join(", ")}.`);
  return plan as PlanName;
}

/**
 * Sets the workspace plan and its monthly allowance (from the next allowance period). Existing
 * members stay when the new plan has fewer seats; new invites are refused until there is room.
 */
export async function setPlan(
  deps: AppDeps,
  actor: Actor,
  plan: PlanName,
): Promise<WorkspaceOverview> {
  authorize(actor, "credits.manage");
  await withTx(deps, async (tx) => {
    const { plan: from } = await authorizeLocked(tx, actor, "credits.manage");
    if (from === plan) return;
    await setWorkspacePlan(tx.ex, actor.workspaceId, plan, PLANS[plan].monthlyCredits);
    await audit(
      tx.ex,
      actor.workspaceId,
      {
        actor: actor.id,
        action: "workspace.plan_changed",
        target: actor.workspaceId,
        data: { from, to: plan, ...actorTrail(actor) },
      },
      tx.now,
    );
  });
  return describeWorkspace(deps, actor);
}
