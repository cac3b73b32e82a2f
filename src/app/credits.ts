// Credit use cases: balance, ledger, top-ups.
import { DomainError } from "../domain/errors.js";
import type { Workspace } from "../domain/types.js";
import { poolExec } from "../engine/deps.js";
import { withTx } from "../engine/tx.js";
import { listLedger, refreshAllowance, topUp, type LedgerEntry } from "../store/ledger.js";
import { findWorkspace } from "../store/workspaces.js";
import { allowancePeriod } from "../domain/credits.js";
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
export async function addTopUp(deps: AppDeps, actor: Actor, amount: number, key: string): Promise<BalanceView> {
  authorize(actor, "credits.manage");
  if (!Number.isInteger(amount) || amount <= 0) throw new DomainError("invalid_input", "A top-up is a positive whole number of credits.");
  await withTx(deps, (tx) => topUp(tx.ex, actor.workspaceId, amount, `topup:${actor.workspaceId}:${key}`, `Top-up by ${actor.id}`, tx.now));
  return balance(deps, actor);
}

export async function ledger(deps: AppDeps, actor: Actor): Promise<LedgerEntry[]> {
  authorize(actor, "credits.read");
  return listLedger(poolExec(deps), actor.workspaceId);
}
