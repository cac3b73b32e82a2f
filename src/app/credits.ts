// Credit use cases: balance, ledger, top-ups.
import { DomainError } from "../domain/errors.js";
import type { Workspace } from "../domain/types.js";
import { poolExec } from "../engine/deps.js";
import { withTx } from "../engine/tx.js";
import { listLedger, refreshAllowance, topUp, type LedgerEntry } from "../store/ledger.js";
import { findWorkspace } from "../store/workspaces.js";
import { allowancePeriod } from "../domain/credits.js";
import { estimateCredits, type Estimate } from "../domain/estimate.js";
import { priceOf, ratesOf } from "../models/pricing.js";
import { listTasks } from "../store/tasks.js";
import { findWorkroom, listInputs } from "../store/workrooms.js";
import { authorize, type Actor, type AppDeps } from "./context.js";

export interface BalanceView {
  allowance: number;
  topup: number;
  total: number;
  monthlyAllowance: number;
  period: string;
}

export async function balance(deps: AppDeps, actor: Actor): Promise<BalanceView> {
  authorize(actor, "credits.read");
  const ws = await withTx(deps, async (tx) => {
    const w = await findWorkspace(tx.ex, actor.workspaceId);
    if (!w) throw new DomainError("not_found", "No such workspace.");
    if (w.allowancePeriod !== allowancePeriod(tx.now)) {
      await refreshAllowance(tx.ex, w, tx.now);
      return (await findWorkspace(tx.ex, actor.workspaceId)) as Workspace;
    }
    return w;
  });
  return {
    allowance: ws.allowanceCredits,
    topup: ws.topupCredits,
    total: ws.allowanceCredits + ws.topupCredits,
    monthlyAllowance: ws.monthlyAllowance,
    period: ws.allowancePeriod,
  };
}

/** Adds a top-up pack; `key` makes a retried request harmless. */
export async function addTopUp(
  deps: AppDeps,
  actor: Actor,
  amount: number,
  key: string,
): Promise<BalanceView> {
  authorize(actor, "credits.manage");
  if (!Number.isInteger(amount) || amount <= 0)
    throw new DomainError("invalid_input", "A top-up is a positive whole number of credits.");
  await withTx(deps, (tx) =>
    topUp(
      tx.ex,
      actor.workspaceId,
      amount,
      `topup:${actor.workspaceId}:${key}`,
      `Top-up by ${actor.id}`,
      tx.now,
    ),
  );
  return balance(deps, actor);
}

export async function ledger(deps: AppDeps, actor: Actor): Promise<LedgerEntry[]> {
  authorize(actor, "credits.read");
  return listLedger(poolExec(deps), actor.workspaceId);
}

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
  const [inputs, tasks] = await Promise.all([
    listInputs(ex, room.workspaceId, room.id),
    listTasks(ex, room, room.generation),
  ]);
  const tokens = deps.models.countTokens({
    model: ws.defaultModel,
    system: "",
    messages: inputs.map((i) => ({ role: "user" as const, content: i.content })),
  });
  const rates = (model: string) =>
    ratesOf(priceOf(model, deps.config.pricing, deps.models.isLocal(model)));
  const planned = tasks.filter((t) => t.type === "agent_work" || t.type === "tool_call").length;
  const estimate = estimateCredits({
    inputTokens: tokens,
    agentTasks: tasks.length ? planned : 5,
    plannerRates: rates(ws.plannerModel ?? ws.defaultModel),
    rates: rates(ws.defaultModel),
  });
  return {
    ...estimate,
    maxCredits: room.maxCredits,
    exceedsCap: room.maxCredits !== null && estimate.expected > room.maxCredits,
  };
}
