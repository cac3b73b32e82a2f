// Workspace use cases: create one (with its system agents and first monthly allowance), find it.
import type { WorkspaceId } from "../domain/ids.js";
import type { PlanName } from "../domain/roles.js";
import type { Workspace } from "../domain/types.js";
import { refreshAllowance, topUp } from "../store/ledger.js";
import { findWorkspace, insertWorkspace, listWorkspaces } from "../store/workspaces.js";
import { withTx, type Tx } from "../engine/tx.js";
import { poolExec } from "../engine/deps.js";
import type { AppDeps } from "./context.js";

export interface NewWorkspaceRequest {
  name: string;
  plan: PlanName;
  defaultModel: string;
  plannerModel?: string | null;
  topup?: number;
}

export async function createWorkspace(deps: AppDeps, w: NewWorkspaceRequest): Promise<Workspace> {
  return withTx(deps, (tx) => createWorkspaceInTx(tx, w));
}

/** `createWorkspace` inside the caller's transaction (first-run setup adds its owner at once). */
export async function createWorkspaceInTx(tx: Tx, w: NewWorkspaceRequest): Promise<Workspace> {
  const ws = await insertWorkspace(tx.ex, { ...w, now: tx.now });
  await refreshAllowance(tx.ex, ws, tx.now);
  if (w.topup)
    await topUp(tx.ex, ws.id, w.topup, `topup:${ws.id}:initial`, "Initial top-up", tx.now);
  return (await findWorkspace(tx.ex, ws.id))!;
}

export async function getWorkspace(deps: AppDeps, id: WorkspaceId): Promise<Workspace | undefined> {
  return findWorkspace(poolExec(deps), id);
}

export async function allWorkspaces(deps: AppDeps): Promise<Workspace[]> {
  return listWorkspaces(poolExec(deps));
}
