// One turn of a worker: commit the steps it finished, claim due steps for its free slots, and
// begin them, as units of one batch (SQLite: one transaction, a savepoint per unit, so a room's
// failing commit is rolled back alone and cannot touch another room's; PostgreSQL: a transaction
// per unit). A finished step and the step it makes ready thus cost one commit between them, and
// the steps of rooms that finish together share one.
import type { UnitRunner } from "../store/db.js";
import { claimSteps, type Step } from "../store/steps.js";
import type { BusMessage } from "./bus.js";
import { commitIn, type Finished } from "./commit.js";
import type { EngineDeps } from "./deps.js";
import { beginIn, outcomeOfRefusedBegin, type Begun } from "./begin.js";
import { Meter } from "./metering.js";
import { inUnit } from "./tx.js";

export interface TurnPlan {
  owner: string;
  commits: Finished[];
  /** Free slots to claim steps for (0: claim nothing). */
  free: number;
  /** Claim even if no commit of this turn enqueued a step (woken, or polling). */
  mayHaveDue: boolean;
  /** Called for each claimed step before it is begun, so an abort can reach it from then on. */
  onClaimed(step: Step): void;
}

export interface TurnResult {
  /** Steps to work now. */
  begun: Begun[];
  /** Begins refused for a known reason: their outcome is committed in the next turn. */
  refused: Finished[];
  /** Commits and begins that failed unexpectedly: their leases expire and they are retried. */
  failed: { step: Step; error: unknown }[];
  /** How many steps were claimed (-1: no claim was made). */
  claimed: number;
  /** Bus messages of the committed units, to publish now that the batch has committed. */
  outbox: BusMessage[];
}

export async function runTurn(deps: EngineDeps, plan: TurnPlan): Promise<TurnResult> {
  try {
    return await deps.store.batch((unit) => turnUnits(deps, plan, unit));
  } catch (e) {
    // The shared transaction failed (nothing of it was kept): every unit in a transaction of its own.
    deps.log.warn({ err: e }, "a worker's batch failed; running its units one by one");
    return deps.store.batch((unit) => turnUnits(deps, plan, unit), { separate: true });
  }
}

async function turnUnits(deps: EngineDeps, plan: TurnPlan, unit: UnitRunner): Promise<TurnResult> {
  const result: TurnResult = { begun: [], refused: [], failed: [], claimed: -1, outbox: [] };
  let enqueued = false;
  const commits = await eachUnit(deps, plan.commits, (finished) =>
    inUnit(deps, unit, (tx) => commitIn(tx, deps, finished)),
  );
  commits.forEach((r, i) => {
    if (!r.ok) result.failed.push({ step: plan.commits[i]!.step, error: r.error });
    else {
      result.outbox.push(...r.value.outbox);
      enqueued ||= r.value.outbox.some((m) => m.type === "steps_ready");
    }
  });
  if (plan.free <= 0 || !(plan.mayHaveDue || enqueued)) return result;
  const { leaseMs } = deps.config;
  // A claim lost in a database crash is simply claimed again: no need to wait for the WAL flush.
  const claim = await unit(
    (db) =>
      claimSteps(
        { db, dialect: deps.store.dialect, seal: deps.store.cipher.seal },
        plan.owner,
        plan.free,
        leaseMs,
        deps.clock.now().getTime(),
      ),
    { replayable: true },
  );
  if (!claim.ok) {
    deps.log.error({ err: claim.error }, "claiming steps failed; retrying");
    return result;
  }
  result.claimed = claim.value.length;
  const meters = claim.value.map((step) => {
    plan.onClaimed(step);
    return new Meter(deps, step, step.kind === "revise");
  });
  const begins = await eachUnit(deps, claim.value, (step, i) =>
    // A lost start is redone by the next claim.
    inUnit(deps, unit, (tx) => beginIn(tx, deps, step, meters[i]!), { replayable: true }),
  );
  for (const [i, step] of claim.value.entries()) {
    const r = begins[i]!;
    const meter = meters[i]!;
    if (r.ok) {
      result.outbox.push(...r.value.outbox);
      if (r.value.value) result.begun.push(r.value.value);
      continue;
    }
    const outcome = outcomeOfRefusedBegin(r.error);
    if (outcome)
      result.refused.push({ step, meta: { taskId: step.taskId, agentId: null }, outcome, meter });
    else result.failed.push({ step, error: r.error });
  }
  return result;
}

/**
 * Runs `fn` over `items`: one after the other in a shared transaction (SQLite: savepoints nest, so
 * units must not interleave), at once where every unit is a transaction of its own (PostgreSQL:
 * the pool runs them in parallel, as separate commits ran before turns).
 */
async function eachUnit<T, U>(
  deps: EngineDeps,
  items: readonly T[],
  fn: (item: T, index: number) => Promise<U>,
): Promise<U[]> {
  if (deps.store.unitsRunConcurrently) return Promise.all(items.map(fn));
  const out: U[] = [];
  for (const [i, item] of items.entries()) out.push(await fn(item, i));
  return out;
}
