// Credits: the ledger (append-only, one idempotency key per row), the workspace balance kept beside
// it in the same transaction, reservations, and the model-call usage rows.
import { allowanceDue, allowancePeriod, splitDebit } from "../domain/credits.js";
import type { WorkspaceId } from "../domain/ids.js";
import type { Workspace } from "../domain/types.js";
import type { Selectable } from "kysely";
import type { Exec } from "./exec.js";
import type { LedgerTable, ModelCallTable } from "./schema.js";
import { newId } from "./ids.js";
import { precompiled } from "./prepared.js";
import { CLAIMED } from "./steps.js";

export const LEDGER_KINDS = [
  "allowance_grant",
  "allowance_expiry",
  "topup",
  "debit",
  "adjustment",
] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

export interface LedgerEntry {
  id: number;
  workroomId: string | null;
  kind: LedgerKind;
  allowanceDelta: number;
  topupDelta: number;
  idempotencyKey: string;
  note: string;
  at: number;
}

async function insertLedgerRow(ex: Exec, row: Omit<LedgerTable, "id">): Promise<boolean> {
  const r = await INSERT_LEDGER_ROW.execute(ex, {
    workspaceId: row.workspace_id,
    roomId: row.workroom_id,
    kind: row.kind,
    allowanceDelta: row.allowance_delta,
    topupDelta: row.topup_delta,
    key: row.idempotency_key,
    note: row.note,
    at: row.at,
  });
  return Number(r.numAffectedRows ?? 0) === 1;
}

const INSERT_LEDGER_ROW = precompiled((db, s) =>
  db
    .insertInto("ledger")
    .values({
      workspace_id: s.text("workspaceId"),
      workroom_id: s.nullableText("roomId"),
      kind: s.text("kind"),
      allowance_delta: s.number("allowanceDelta"),
      topup_delta: s.number("topupDelta"),
      idempotency_key: s.text("key"),
      note: s.text("note"),
      at: s.number("at"),
    })
    .onConflict((oc) => oc.column("idempotency_key").doNothing()),
);

async function moveBalance(
  ex: Exec,
  workspaceId: string,
  allowance: number,
  topup: number,
): Promise<void> {
  await MOVE_BALANCE.execute(ex, { workspaceId, allowance, topup });
}

const MOVE_BALANCE = precompiled((db, s) =>
  db
    .updateTable("workspaces")
    .set((eb) => ({
      allowance_credits: eb("allowance_credits", "+", s.number("allowance")),
      topup_credits: eb("topup_credits", "+", s.number("topup")),
    }))
    .where("id", "=", s.text("workspaceId")),
);

/**
 * Debits a workspace once per idempotency key, allowance first. Returns false (and changes
 * nothing) when the key was already charged. `ws` is the balance read with the workspace locked
 * in this transaction (`currentWorkspace`), so the split is taken from the balance as it is.
 * The whole amount is always debited (`splitDebit`): a room is never charged credits the ledger
 * does not show. Reservations (and the checks of revisions and extractions, which count them)
 * keep a charge within the balance; one that still exceeds it overdraws the allowance.
 */
export async function debit(
  ex: Exec,
  ws: Workspace,
  amount: number,
  key: string,
  note: string,
  workroomId: string | null,
  now: Date,
): Promise<boolean> {
  const split = splitDebit({ allowance: ws.allowanceCredits, topup: ws.topupCredits }, amount);
  const inserted = await insertLedgerRow(ex, {
    workspace_id: ws.id,
    workroom_id: workroomId,
    kind: "debit",
    allowance_delta: -split.allowance,
    topup_delta: -split.topup,
    idempotency_key: key,
    note,
    at: now.getTime(),
  });
  if (inserted) await moveBalance(ex, ws.id, -split.allowance, -split.topup);
  return inserted;
}

/** Adds top-up credits (never expire). */
export async function topUp(
  ex: Exec,
  workspaceId: WorkspaceId,
  amount: number,
  key: string,
  note: string,
  now: Date,
): Promise<boolean> {
  const inserted = await insertLedgerRow(ex, {
    workspace_id: workspaceId,
    workroom_id: null,
    kind: "topup",
    allowance_delta: 0,
    topup_delta: amount,
    idempotency_key: key,
    note,
    at: now.getTime(),
  });
  if (inserted) await moveBalance(ex, workspaceId, 0, amount);
  return inserted;
}

/**
 * Brings the allowance to the month of `now`: what is left of an earlier month expires (no roll
 * over) and the month's allowance is granted. `ws` is read in this transaction with its row
 * locked (`currentWorkspace`), so what expires is what is left. Each row has a per-period idempotency key, so
 * calling it twice, or from two processes, grants once. Call it at workspace creation and
 * whenever `allowanceDue(ws.allowancePeriod, now)`. A `now` in a month before the stored one (a
 * clock behind the one that turned the month) changes nothing: the allowance only moves forward.
 */
export async function refreshAllowance(ex: Exec, ws: Workspace, now: Date): Promise<boolean> {
  const period = allowancePeriod(now);
  if (period < ws.allowancePeriod) return false;
  const turned = allowanceDue(ws.allowancePeriod, now);
  const at = now.getTime();
  // An overdrawn allowance (a call reserved before the month turned, settled after it on a
  // smaller grant) is not written off: the new month's grant pays the overdraft back.
  if (turned && ws.allowanceCredits > 0) {
    const expired = await insertLedgerRow(ex, {
      workspace_id: ws.id,
      workroom_id: null,
      kind: "allowance_expiry",
      allowance_delta: -ws.allowanceCredits,
      topup_delta: 0,
      idempotency_key: `allowance-expiry:${ws.id}:${ws.allowancePeriod}`,
      note: `Unused allowance of ${ws.allowancePeriod} expired`,
      at,
    });
    if (expired) await moveBalance(ex, ws.id, -ws.allowanceCredits, 0);
  }
  const granted = await insertLedgerRow(ex, {
    workspace_id: ws.id,
    workroom_id: null,
    kind: "allowance_grant",
    allowance_delta: ws.monthlyAllowance,
    topup_delta: 0,
    idempotency_key: `allowance:${ws.id}:${period}`,
    note: `Monthly allowance for ${period}`,
    at,
  });
  if (granted) await moveBalance(ex, ws.id, ws.monthlyAllowance, 0);
  if (turned || granted)
    await ex.db
      .updateTable("workspaces")
      .set({
        ...(turned && { allowance_period: period }),
        // What the month's use is measured against, whatever the plan gives from next month.
        ...(granted && { allowance_granted: ws.monthlyAllowance }),
      })
      .where("id", "=", ws.id)
      .execute();
  return granted;
}

export async function listLedger(
  ex: Exec,
  workspaceId: WorkspaceId,
  opts: { workroomId?: string } = {},
): Promise<LedgerEntry[]> {
  let q = ex.db.selectFrom("ledger").selectAll().where("workspace_id", "=", workspaceId);
  if (opts.workroomId) q = q.where("workroom_id", "=", opts.workroomId);
  const rows = await q.orderBy("id").execute();
  return rows.map(toLedgerEntry);
}

const toLedgerEntry = (r: Selectable<LedgerTable>): LedgerEntry => ({
  id: r.id,
  workroomId: r.workroom_id,
  kind: r.kind as LedgerKind,
  allowanceDelta: r.allowance_delta,
  topupDelta: r.topup_delta,
  idempotencyKey: r.idempotency_key,
  note: r.note,
  at: r.at,
});

/** Newest first, `limit` rows older than `beforeId` (the last id of the previous page). */
export async function pageLedger(
  ex: Exec,
  workspaceId: WorkspaceId,
  opts: { limit: number; beforeId?: number },
): Promise<LedgerEntry[]> {
  let q = ex.db.selectFrom("ledger").selectAll().where("workspace_id", "=", workspaceId);
  if (opts.beforeId !== undefined) q = q.where("id", "<", opts.beforeId);
  const rows = await q.orderBy("id", "desc").limit(opts.limit).execute();
  return rows.map(toLedgerEntry);
}

/** Credits reserved by calls in flight: the sum over claimed steps, so a dead worker's
 *  reservation disappears when its step is reclaimed. */
export async function reservedCredits(
  ex: Exec,
  workspaceId: string,
  roomId: string,
): Promise<{ room: number; workspace: number }> {
  const r = (await RESERVED.execute(ex, { workspaceId, roomId })).rows[0];
  return { room: Number(r?.room ?? 0), workspace: Number(r?.workspace ?? 0) };
}

const RESERVED = precompiled((db, s) =>
  db
    .selectFrom("steps")
    .select((eb) => [
      eb.fn.coalesce(eb.fn.sum<number>("reserved_credits"), eb.lit(0)).as("workspace"),
      eb.fn
        .coalesce(
          eb.fn.sum<number>(
            eb
              .case()
              .when("workroom_id", "=", s.text("roomId"))
              .then(eb.ref("reserved_credits"))
              .else(0)
              .end(),
          ),
          eb.lit(0),
        )
        .as("room"),
    ])
    .where("workspace_id", "=", s.text("workspaceId"))
    .where("status", "=", CLAIMED),
);

/** Adds to the reservation a claimed step holds, under its fencing token. */
export async function reserveOnStep(
  ex: Exec,
  stepId: string,
  attempt: number,
  amount: number,
): Promise<boolean> {
  const r = await RESERVE_ON_STEP.execute(ex, { stepId, attempt, amount });
  return Number(r.numAffectedRows) === 1;
}

const RESERVE_ON_STEP = precompiled((db, s) =>
  db
    .updateTable("steps")
    .set((eb) => ({ reserved_credits: eb("reserved_credits", "+", s.number("amount")) }))
    .where("id", "=", s.text("stepId"))
    .where("attempt", "=", s.number("attempt"))
    .where("status", "=", "claimed"),
);

export type NewModelCall = Omit<ModelCallTable, "id">;

export async function insertModelCall(ex: Exec, call: NewModelCall): Promise<string> {
  const id = newId("call");
  await INSERT_MODEL_CALL.execute(ex, {
    id,
    workspaceId: call.workspace_id,
    roomId: call.workroom_id,
    stepId: call.step_id,
    taskId: call.task_id,
    agentId: call.agent_id,
    model: call.model,
    purpose: call.purpose,
    inputTokens: call.input_tokens,
    outputTokens: call.output_tokens,
    cachedTokens: call.cached_tokens,
    credits: call.credits,
    charged: call.charged,
    latencyMs: call.latency_ms,
    at: call.at,
  });
  return id;
}

const INSERT_MODEL_CALL = precompiled((db, s) =>
  db.insertInto("model_calls").values({
    id: s.text("id"),
    workspace_id: s.text("workspaceId"),
    workroom_id: s.text("roomId"),
    step_id: s.nullableText("stepId"),
    task_id: s.nullableText("taskId"),
    agent_id: s.nullableText("agentId"),
    model: s.text("model"),
    purpose: s.text("purpose"),
    input_tokens: s.number("inputTokens"),
    output_tokens: s.number("outputTokens"),
    cached_tokens: s.number("cachedTokens"),
    credits: s.number("credits"),
    charged: s.number("charged"),
    latency_ms: s.number("latencyMs"),
    at: s.number("at"),
  }),
);

export async function roomUsage(
  ex: Exec,
  workspaceId: WorkspaceId,
  roomId: string,
): Promise<ModelCallTable[]> {
  return ex.db
    .selectFrom("model_calls")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("workroom_id", "=", roomId)
    .orderBy("at")
    .execute();
}

/** The ledger row an idempotency key wrote, if any. */
export const ledgerRowByKey = (ex: Exec, key: string) =>
  ex.db.selectFrom("ledger").selectAll().where("idempotency_key", "=", key).executeTakeFirst();

/** Reverses a ledger row (a refund into the buckets it was taken from), once per `key`. Returns the credits returned. */
export async function reverse(
  ex: Exec,
  originalKey: string,
  key: string,
  note: string,
  now: Date,
): Promise<number> {
  const row = await ledgerRowByKey(ex, originalKey);
  if (!row) return 0;
  const inserted = await insertLedgerRow(ex, {
    workspace_id: row.workspace_id,
    workroom_id: row.workroom_id,
    kind: "adjustment",
    allowance_delta: -row.allowance_delta,
    topup_delta: -row.topup_delta,
    idempotency_key: key,
    note,
    at: now.getTime(),
  });
  if (!inserted) return 0;
  await moveBalance(ex, row.workspace_id, -row.allowance_delta, -row.topup_delta);
  return -(row.allowance_delta + row.topup_delta);
}
