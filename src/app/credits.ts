// Credit use cases: balance, ledger, top-ups, and the estimates people see before starting a room.
import { DomainError } from "../domain/errors.js";
import type { Agent, Task, Workspace } from "../domain/types.js";
import { poolExec } from "../engine/deps.js";
import { withTx } from "../engine/tx.js";
import { currentWorkspace } from "../engine/metering.js";
import type { WorkroomState } from "../domain/workroom.js";
import { audit } from "../store/audit.js";
import {
  ledgerRowByKey,
  listLedger,
  pageLedger,
  topUp,
  type LedgerEntry,
} from "../store/ledger.js";
import { findWorkspace, listAgents, roomAgents } from "../store/workspaces.js";
import { providerCredentials } from "../store/workspace-secrets.js";
import { chosenModel } from "../engine/models.js";
import type { ProviderCredentials } from "../models/config.js";
import type { Exec } from "../store/exec.js";
import { findUser } from "../store/users.js";
import { allowanceDue, MAX_TOPUP } from "../domain/credits.js";
import { estimateCredits, TYPICAL_AGENT_TASKS, type Estimate } from "../domain/estimate.js";
import { checkInputLimits, type InputBlock } from "../domain/inputs.js";
import { agentsForNewRoom } from "../domain/room-agents.js";
import { priceOf, ratesOf } from "../models/pricing.js";
import { listTasks } from "../store/tasks.js";
import { findWorkroom, listInputs, listWorkrooms } from "../store/workrooms.js";
import { actorTrail, authorize, type Actor, type AppDeps } from "./context.js";

export interface BalanceView {
  allowance: number;
  topup: number;
  total: number;
  monthlyAllowance: number;
  /** What this month's grant gave (the plan's allowance when the month began). */
  granted: number;
  period: string;
}

export async function balance(deps: AppDeps, actor: Actor): Promise<BalanceView> {
  authorize(actor, "credits.read");
  const ws = await withTx(deps, async (tx) => {
    const w = await findWorkspace(tx.ex, actor.workspaceId);
    if (!w) throw new DomainError("not_found", "No such workspace.");
    // The month turned: expire and grant with the row locked, from the balance as it is now.
    return allowanceDue(w.allowancePeriod, tx.now) ? currentWorkspace(tx, w.id) : w;
  });
  return {
    allowance: ws.allowanceCredits,
    topup: ws.topupCredits,
    total: ws.allowanceCredits + ws.topupCredits,
    monthlyAllowance: ws.monthlyAllowance,
    granted: ws.allowanceGranted,
    period: ws.allowancePeriod,
  };
}

/** The ledger line of a top-up: who added it, by name (the audit log keeps the ids). */
async function toppedUpBy(ex: Exec, actor: Actor): Promise<string> {
  const person = actor.userId && (await findUser(ex, actor.userId));
  if (person) return `Top-up by ${person.name}${actor.apiKeyId ? " (API key)" : ""}`;
  return actor.id === "cli" ? "Top-up from the CLI" : "Top-up";
}

/** Adds a top-up pack; `key` makes a retried request harmless. */
export async function addTopUp(
  deps: AppDeps,
  actor: Actor,
  amount: number,
  key: string,
): Promise<BalanceView> {
  authorize(actor, "credits.manage");
  if (!Number.isInteger(amount) || amount <= 0 || amount > MAX_TOPUP)
    throw new DomainError(
      "invalid_input",
      `A top-up is a whole number of credits from 1 to ${MAX_TOPUP.toLocaleString("en-US")}.`,
    );
  await withTx(deps, async (tx) => {
    const ledgerKey = `topup:${actor.workspaceId}:${key}`;
    const added = await topUp(
      tx.ex,
      actor.workspaceId,
      amount,
      ledgerKey,
      await toppedUpBy(tx.ex, actor),
      tx.now,
    );
    // A replay is harmless only if it asks for what the key was first used for.
    const first = added ? undefined : await ledgerRowByKey(tx.ex, ledgerKey);
    if (first && first.topup_delta !== amount)
      throw new DomainError(
        "conflict",
        `This idempotency key was used for a top-up of ${first.topup_delta.toLocaleString("en-US")} credits; use a new key for another top-up.`,
      );
    // A replayed request changes nothing, so it is not a change to record either.
    if (added)
      await audit(
        tx.ex,
        actor.workspaceId,
        {
          actor: actor.id,
          action: "credits.topped_up",
          data: { amount, ...actorTrail(actor) },
        },
        tx.now,
      );
  });
  return balance(deps, actor);
}

export async function ledger(deps: AppDeps, actor: Actor): Promise<LedgerEntry[]> {
  authorize(actor, "credits.read");
  return listLedger(poolExec(deps), actor.workspaceId);
}

export const LEDGER_PAGE_MAX = 200;

/** One page of the ledger, newest first; `nextBefore` continues it (null on the last page). */
export async function ledgerPage(
  deps: AppDeps,
  actor: Actor,
  opts: { limit?: number; before?: number } = {},
): Promise<{ entries: LedgerEntry[]; nextBefore: number | null }> {
  authorize(actor, "credits.read");
  const limit = Math.min(Math.max(opts.limit ?? 50, 1), LEDGER_PAGE_MAX);
  const rows = await pageLedger(poolExec(deps), actor.workspaceId, {
    limit: limit + 1,
    ...(opts.before !== undefined ? { beforeId: opts.before } : {}),
  });
  const entries = rows.slice(0, limit);
  return { entries, nextBefore: rows.length > limit ? entries[entries.length - 1]!.id : null };
}

export interface RoomCost {
  id: string;
  title: string;
  client: string | null;
  state: WorkroomState;
  creditsSpent: number;
  maxCredits: number | null;
}

/** What each workroom has spent, most expensive first (the credits screen's chart). */
export async function costByWorkroom(deps: AppDeps, actor: Actor): Promise<RoomCost[]> {
  authorize(actor, "credits.read");
  const rooms = await listWorkrooms(poolExec(deps), actor.workspaceId);
  return rooms
    .map((r) => ({
      id: r.id,
      title: r.title,
      client: r.client,
      state: r.state,
      creditsSpent: r.creditsSpent,
      maxCredits: r.maxCredits,
    }))
    .sort((a, b) => b.creditsSpent - a.creditsSpent);
}

/**
 * Pasted material priced call by call with the model that will make it, as the engine picks it
 * (engine/models.ts): the Planner's, each agent task's agent's, the Composer's; an
 * OpenAI-compatible model is priced as local when the base URL its calls use (the workspace's own,
 * else the environment's) is on this machine. `tasks` null before planning: a typical plan's
 * tasks are shared out among the attached custom agents (the workspace default when none).
 */
function estimateOf(
  deps: AppDeps,
  ws: Workspace,
  credentials: ProviderCredentials | undefined,
  inputs: readonly { content: string }[],
  agents: readonly Agent[],
  tasks: readonly Pick<Task, "type" | "agentId">[] | null,
): Estimate {
  const tokens = deps.models.countTokens({
    model: ws.defaultModel,
    system: "",
    messages: inputs.map((i) => ({ role: "user" as const, content: i.content })),
  });
  const rates = (model: string) =>
    ratesOf(priceOf(model, deps.config.pricing, deps.models.isLocal(model, credentials)));
  const agent = (id: string | null) => agents.find((a) => a.id === id) ?? null;
  const bot = (type: Agent["botType"]) => agents.find((a) => a.botType === type) ?? null;
  const custom = agents.filter((a) => a.botType === "custom");
  const agentTasks = tasks
    ? tasks.filter((t) => t.type === "agent_work" || t.type === "tool_call").map((t) => t.agentId)
    : Array.from({ length: TYPICAL_AGENT_TASKS }, (_, i) => custom[i % custom.length]?.id ?? null);
  const composition = tasks?.find((t) => t.type === "composition");
  return estimateCredits({
    inputTokens: tokens,
    plannerRates: rates(chosenModel(ws, bot("planner"), "plan")),
    taskRates: agentTasks.map((id) => rates(chosenModel(ws, agent(id), "other"))),
    composerRates: rates(
      chosenModel(ws, agent(composition?.agentId ?? null) ?? bot("composer"), "other"),
    ),
  });
}

const withCap = (estimate: Estimate, maxCredits: number | null) => ({
  ...estimate,
  maxCredits,
  exceedsCap: maxCredits !== null && estimate.expected > maxCredits,
});

/** The credit estimate of a room before (or after) planning, with whether it fits the room's cap. */
export async function estimateRoom(
  deps: AppDeps,
  actor: Actor,
  roomId: string,
): Promise<Estimate & { maxCredits: number | null; exceedsCap: boolean }> {
  authorize(actor, "workroom.read");
  const ex = poolExec(deps);
  const room = await findWorkroom(ex, actor.workspaceId, roomId);
  if (!room) throw new DomainError("not_found", `No workroom ${roomId} in this workspace.`);
  const ws = (await findWorkspace(ex, actor.workspaceId))!;
  const [inputs, tasks, agents, credentials] = await Promise.all([
    listInputs(ex, room.workspaceId, room.id),
    listTasks(ex, room, room.generation),
    roomAgents(ex, room.workspaceId, room.id),
    providerCredentials(ex, room.workspaceId),
  ]);
  const estimate = estimateOf(deps, ws, credentials, inputs, agents, tasks.length ? tasks : null);
  return withCap(estimate, room.maxCredits);
}

export interface DraftEstimate extends Estimate {
  maxCredits: number | null;
  exceedsCap: boolean;
  /** The workspace balance now, and whether the expected cost is above it. */
  balance: number;
  exceedsBalance: boolean;
}

/**
 * The estimate of a workroom not created yet (the new-workroom form), exactly as the room's own
 * estimate would be once created: its inputs are held to the same limits as a create request.
 */
export async function estimateDraft(
  deps: AppDeps,
  actor: Actor,
  draft: {
    inputs: readonly InputBlock[];
    max_credits?: number | undefined;
    agent_ids?: readonly string[] | undefined;
  },
): Promise<DraftEstimate> {
  authorize(actor, "workroom.write");
  const limits = checkInputLimits(draft.inputs);
  if (!limits.ok) throw limits.error;
  const ex = poolExec(deps);
  const [ws, all, credentials] = await Promise.all([
    findWorkspace(ex, actor.workspaceId),
    listAgents(ex, actor.workspaceId),
    providerCredentials(ex, actor.workspaceId),
  ]);
  // The agents the room will have, refused as the create request would refuse them.
  const agents = agentsForNewRoom(all, draft.agent_ids ?? []);
  const estimate = withCap(
    estimateOf(deps, ws!, credentials, draft.inputs, agents, null),
    draft.max_credits ?? null,
  );
  const { total } = await balance(deps, actor);
  return { ...estimate, balance: total, exceedsBalance: estimate.expected > total };
}
