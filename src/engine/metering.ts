// Metering of one step's model calls: a reservation before every call (worst case against the
// room's cap and the workspace balance), and at commit the usage rows, ledger debits (one
// idempotency key per call) and history events. The one place that turns usage into credits.
import {
  callCost,
  checkReservation,
  crossesThreshold,
  reservationFor,
  allowanceDue,
  splitDebit,
  type Headroom,
  type ModelRates,
} from "../domain/credits.js";
import type { Workroom, Workspace } from "../domain/types.js";
import type { ProviderCredentials } from "../models/config.js";
import type { CallPurpose, CallRecord, ModelRequest, RetryRecord } from "../models/gateway.js";
import { CallAbortedError } from "../models/errors.js";
import { priceOf, ratesOf } from "../models/pricing.js";
import {
  debit,
  insertModelCall,
  refreshAllowance,
  reservedCredits,
  reserveOnStep,
} from "../store/ledger.js";
import { findWorkspace } from "../store/workspaces.js";
import type { Step } from "../store/steps.js";
import type { NewEvent } from "../store/events.js";
import type { Begin, FirstCall } from "./steps/types.js";
import { findWorkroom } from "../store/workrooms.js";
import { addRoomCredits } from "./history.js";
import type { EngineDeps } from "./deps.js";
import { withTx, type Tx } from "./tx.js";

/** Thrown by a reservation that would cross the cap or the balance: the room pauses instead. */
export class BudgetExhausted extends Error {
  override name = "BudgetExhausted";
  constructor(
    readonly reason: "budget" | "insufficient_credits",
    readonly needed: number,
  ) {
    super(
      reason === "budget"
        ? "the room's credit cap would be crossed"
        : "the workspace has too few credits",
    );
  }
}

/** What a try reserved: its worst case, and the output cap it was reserved for. */
interface Reservation {
  amount: number;
  maxOutputTokens: number;
}

interface MeteredCall extends Reservation {
  record: CallRecord;
  purpose: CallPurpose;
}

export class Meter {
  readonly calls: MeteredCall[] = [];
  readonly retries: RetryRecord[] = [];
  private readonly reservations: Reservation[] = [];
  /**
   * Reserved on the step but held by no call: what the begin reserved for the first call, or what a
   * failed try held. The next try uses it before reserving more, so a retry never needs more
   * headroom than the try it repeats.
   */
  private unheld = 0;
  /** The room's local_models_only flag, set once the begin transaction has loaded the room. */
  localOnly = false;
  /** The workspace's provider settings, set by the begin: its base URL decides what is local. */
  credentials: ProviderCredentials | undefined;

  constructor(
    private readonly deps: EngineDeps,
    private readonly step: Step,
    /** A revision round's calls are covered by its flat charge: recorded, not charged. */
    private readonly covered: boolean,
  ) {}

  rates(model: string): ModelRates {
    const local = this.deps.models.isLocal(model, this.credentials);
    return ratesOf(priceOf(model, this.deps.config.pricing, local));
  }

  /** The hooks to put on a ModelRequest so every underlying call is reserved and metered. */
  hooks(
    purpose: CallPurpose,
  ): Pick<ModelRequest, "workspaceId" | "localOnly" | "beforeCall" | "onCall" | "onRetry"> {
    return {
      // The call uses the workspace's own provider keys when it has set any.
      workspaceId: this.step.workspaceId,
      localOnly: this.localOnly,
      beforeCall: async ({ promptTokens, maxOutputTokens, model }) => {
        const amount = reservationFor(promptTokens, maxOutputTokens, this.rates(model));
        const unheld = this.unheld;
        // What the step already holds covers the call, or is topped up to its worst case.
        if (unheld < amount) await this.reserve(amount - unheld);
        this.unheld = 0;
        this.reservations.push({ amount: Math.max(unheld, amount), maxOutputTokens });
      },
      onCall: (record) => {
        const held = this.reservations.shift();
        const { outputTokens } = record.usage;
        if (held && outputTokens > held.maxOutputTokens)
          this.deps.log.warn(
            {
              step: this.step.id,
              model: record.model,
              outputTokens,
              maxOutputTokens: held.maxOutputTokens,
            },
            "the provider reported more output tokens than the call allowed; they are recorded as reported and charged up to the cap",
          );
        this.calls.push({
          record,
          purpose,
          amount: held?.amount ?? 0,
          maxOutputTokens: held?.maxOutputTokens ?? outputTokens,
        });
      },
      onRetry: (retry) => {
        this.retries.push(retry);
        // The failed try reached no usage report: its reservation passes to the next try.
        this.unheld += this.reservations.shift()?.amount ?? 0;
      },
    };
  }

  /** Reserves the first call's worst case inside the step's begin transaction. */
  async prepay(b: Pick<Begin, "tx" | "room" | "workspace">, call: FirstCall): Promise<void> {
    const amount = reservationFor(
      this.deps.models.countTokens(call),
      call.maxOutputTokens,
      this.rates(call.model),
    );
    await this.reserveIn(b.tx, b.room, b.workspace, amount);
    this.unheld = amount;
  }

  /** Reserves for a later call (a re-ask, a rewrite) in a transaction of its own. */
  private async reserve(amount: number): Promise<void> {
    await withTx(this.deps, async (tx) => {
      const room = await findWorkroom(tx.ex, this.step.workspaceId, this.step.workroomId, {
        lock: true,
      });
      if (!room) throw new CallAbortedError("the workroom is gone");
      await this.reserveIn(tx, room, await currentWorkspace(tx, this.step.workspaceId), amount);
    });
  }

  private async reserveIn(
    tx: Tx,
    room: Pick<Workroom, "maxCredits" | "creditsSpent">,
    ws: Workspace,
    amount: number,
  ): Promise<void> {
    const { step } = this;
    const reserved = await reservedCredits(tx.ex, step.workspaceId, step.workroomId);
    const verdict = checkReservation(
      {
        maxCredits: this.covered ? null : room.maxCredits,
        spent: room.creditsSpent,
        reserved: reserved.room,
        balance: this.covered ? Number.POSITIVE_INFINITY : ws.allowanceCredits + ws.topupCredits,
        balanceReserved: reserved.workspace,
      },
      amount,
    );
    if (!verdict.ok) throw new BudgetExhausted(verdict.reason, amount);
    if (!(await reserveOnStep(tx.ex, step.id, step.attempt, amount)))
      throw new CallAbortedError("the step's lease was lost before the call");
  }

  /**
   * Records every call and debits it once (idempotency key per call), then adds the credits to the
   * room (and its base, outside revisions). Usage row, ledger debit and `model.call` event agree on
   * the call's credits (`creditsOf`); the event also keeps the price of the tokens as reported.
   */
  async settle(
    tx: Tx,
    room: Workroom,
    meta: { taskId: string | null; agentId: string | null },
    workspace: UnitWorkspace,
  ): Promise<{ credits: number; events: NewEvent[] }> {
    const events: NewEvent[] = this.retries.map((r) => ({
      type: "model.retry",
      actor: "engine",
      data: { model: r.model, attempt: r.attempt, delay_ms: r.delayMs, error: r.error },
    }));
    if (this.calls.length === 0) return { credits: 0, events };
    const ws = await workspace.get();
    let total = 0;
    let balance = { ...ws };
    for (const [i, c] of this.calls.entries()) {
      const rates = this.rates(c.record.model);
      const uncapped = callCost(c.record.usage, rates);
      const cost = creditsOf(c, rates);
      const charged = this.covered ? 0 : cost;
      const key = `call:${this.step.id}:${this.step.attempt}:${i}`;
      if (
        charged > 0 &&
        !(await debit(
          tx.ex,
          balance,
          charged,
          key,
          `${c.purpose} call (${c.record.model})`,
          room.id,
          tx.now,
        ))
      )
        continue;
      if (charged > 0) {
        // Split as `debit` split it: the room is charged exactly what the ledger debited.
        const split = splitDebit(
          { allowance: balance.allowanceCredits, topup: balance.topupCredits },
          charged,
        );
        balance = {
          ...balance,
          allowanceCredits: balance.allowanceCredits - split.allowance,
          topupCredits: balance.topupCredits - split.topup,
        };
      }
      total += charged;
      workspace.debited(balance);
      await insertModelCall(tx.ex, {
        workspace_id: room.workspaceId,
        workroom_id: room.id,
        step_id: this.step.id,
        task_id: meta.taskId,
        agent_id: meta.agentId,
        model: c.record.model,
        purpose: c.purpose,
        input_tokens: c.record.usage.inputTokens,
        output_tokens: c.record.usage.outputTokens,
        cached_tokens: c.record.usage.cachedInputTokens,
        credits: cost,
        charged: this.covered ? 0 : 1,
        latency_ms: c.record.latencyMs,
        at: tx.now.getTime(),
      });
      events.push({
        type: "model.call",
        actor: "engine",
        data: {
          task_id: meta.taskId,
          agent_id: meta.agentId,
          purpose: c.purpose,
          model: c.record.model,
          input_tokens: c.record.usage.inputTokens,
          output_tokens: c.record.usage.outputTokens,
          cached_tokens: c.record.usage.cachedInputTokens,
          credits: charged,
          // The price of the tokens as reported, and the most the call could be charged: what a
          // provider reports beyond the reservation is recorded, never charged.
          uncapped_credits: uncapped,
          reserved_credits: c.amount,
          latency_ms: c.record.latencyMs,
          // The answer stopped at this output limit and was not used (asked again, or the step failed).
          ...(c.record.outcome === "cut_off" ? { cut_off_at: c.maxOutputTokens } : {}),
          ...(this.covered ? { covered_by_revision: true } : {}),
        },
      });
    }
    // Against what this month granted: a plan changed mid-month gives its allowance next month.
    const allowanceUsed = (w: { allowanceCredits: number }) =>
      ws.allowanceGranted - w.allowanceCredits;
    if (crossesThreshold(allowanceUsed(ws), allowanceUsed(balance), ws.allowanceGranted))
      events.push({
        type: "budget.threshold_crossed",
        actor: "engine",
        data: {
          scope: "workspace",
          used: allowanceUsed(balance),
          limit: ws.allowanceGranted,
          period: ws.allowancePeriod,
        },
      });
    if (total > 0) {
      addRoomCredits(tx, room, total, room.state !== "awaiting_revision");
      if (crossesThreshold(room.creditsSpent, room.creditsSpent + total, room.maxCredits))
        events.push({
          type: "budget.threshold_crossed",
          actor: "engine",
          data: { scope: "workroom", spent: room.creditsSpent + total, limit: room.maxCredits },
        });
      room.creditsSpent += total;
    }
    return { credits: total, events };
  }
}

/**
 * A call's credits: its tokens priced with output counted up to the call's output cap, and at most
 * what was reserved for it. The reservation was checked against the room's cap and the workspace
 * balance before the call, so charging more could cross either; a provider that reports more than
 * the worst case we reserved for is not charged for the excess.
 */
function creditsOf(
  c: Pick<MeteredCall, "record" | "amount" | "maxOutputTokens">,
  rates: ModelRates,
): number {
  const { usage } = c.record;
  const cost = callCost(
    { ...usage, outputTokens: Math.min(usage.outputTokens, c.maxOutputTokens) },
    rates,
  );
  // A call metered without a reservation (none is made outside the gateway) pays its price.
  return c.amount > 0 ? Math.min(cost, c.amount) : cost;
}

/**
 * The workspace as one unit of work sees it: loaded (its allowance brought to the month) once,
 * then kept current by the unit's own debits, so a commit and the begins after it in the same
 * unit read it once.
 */
export class UnitWorkspace {
  private ws: Workspace | undefined;

  constructor(
    private readonly tx: Tx,
    readonly id: string,
  ) {}

  async get(): Promise<Workspace> {
    this.ws ??= await currentWorkspace(this.tx, this.id);
    return this.ws;
  }

  /** The balance after a debit of this unit. */
  debited(balance: Workspace): void {
    this.ws = balance;
  }
}

/**
 * The workspace with its allowance brought to the current month (expiry and grant, once), its row
 * locked on PostgreSQL to the end of `tx`. Every reservation and every debit reads the balance
 * here, so the charges of one workspace are checked and split one at a time, each from the
 * balance (and the reservations) the one before committed: two rooms settling at once could
 * otherwise both take their debit from an allowance only one of them could have, and two begins
 * both reserve headroom there is room for once. A transaction that locks a room locks it first.
 */
export async function currentWorkspace(tx: Tx, id: string): Promise<Workspace> {
  const ws = await findWorkspace(tx.ex, id, { lock: true });
  if (!ws) throw new Error(`workspace ${id} vanished`);
  if (!allowanceDue(ws.allowancePeriod, tx.now)) return ws;
  await refreshAllowance(tx.ex, ws, tx.now);
  return (await findWorkspace(tx.ex, id))!;
}

/**
 * What a charge outside a step's calls (a revision round, a Style Memory extraction) is checked
 * against with `checkReservation`: the room's cap and the workspace balance, less what calls in
 * flight have reserved, so the charge cannot spend credits a running call will be debited. `ws`
 * comes from `currentWorkspace` in the same transaction (locked).
 */
export async function headroomOf(
  tx: Tx,
  ws: Workspace,
  room?: Pick<Workroom, "id" | "maxCredits" | "creditsSpent">,
): Promise<Headroom> {
  const reserved = await reservedCredits(tx.ex, ws.id, room?.id ?? "");
  return {
    maxCredits: room?.maxCredits ?? null,
    spent: room?.creditsSpent ?? 0,
    reserved: reserved.room,
    balance: ws.allowanceCredits + ws.topupCredits,
    balanceReserved: reserved.workspace,
  };
}

/** The balance as a refusal names it: "12", or "12 (8 of them reserved by calls in flight)". */
export function available(h: Headroom): string {
  return h.balanceReserved > 0
    ? `${h.balance} (${h.balanceReserved} of them reserved by calls in flight)`
    : `${h.balance}`;
}
