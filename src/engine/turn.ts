// One turn of a worker, as units of one batch (SQLite: one transaction; PostgreSQL: a transaction
// per unit). First, if steps may be due that no one has claimed, one claim for the free slots. Then
// one unit per room: lock the room, commit the steps of it the worker finished, claim the steps
// those commits make due as they are inserted, and begin every step claimed for the room. A
// finished step and the step it makes ready thus cost one unit between them (one room lock, one
// workspace read, one history write), and the steps of rooms that finish together share a commit.
//
// Units and their parts rarely fail, so a turn runs optimistically first: on SQLite no unit and no
// part has a savepoint of its own. If anything fails, the batch is rolled back whole and the turn
// runs again carefully: a savepoint per unit, so a room's failing unit is rolled back alone and
// cannot touch another room's, and a savepoint per part of a unit (room-turn.ts). The outcome is
// the same either way. Optimistically, the common turn skips the begin's SAVEPOINT and RELEASE, and
// the unit's two as well when rooms share the batch.
import type { UnitRunner } from "../store/db.js";
import type { RememberedTasks } from "../store/room-memory.js";
import { claimSteps, type Step } from "../store/steps.js";
import type { BusMessage } from "./bus.js";
import type { Finished } from "./commit.js";
import type { EngineDeps } from "./deps.js";
import { outcomeOfRefusedBegin, type Begun } from "./begin.js";
import { Meter } from "./metering.js";
import { mayHaveSeveralParts, roomTurn } from "./room-turn.js";
import { inUnit } from "./tx.js";
import { isStoreUnwritable } from "../store/unwritable.js";

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
  /** Steps may be due that this turn had no slot for (its claim was full, or its commits made
   *  more steps ready than it could take). */
  mayHaveDue: boolean;
  /** Bus messages of the committed units, to publish now that the batch has committed. */
  outbox: BusMessage[];
  /** The first store error of the turn (its shared batch, its claim, a unit): the worker logs it
   *  once per run of failing turns and waits before the next, instead of retrying at once. */
  trouble?: unknown;
}

export async function runTurn(deps: EngineDeps, plan: TurnPlan): Promise<TurnResult> {
  const inBatch = (careful: boolean) =>
    deps.store.batch((unit) => turnUnits(deps, plan, unit, careful));
  let done: Units;
  try {
    // A unit that failed optimistically took the batch with it (nothing was kept): carefully now.
    done = await inBatch(false).catch((e: unknown) => {
      if (e instanceof CarefulAgain) return inBatch(true);
      throw e;
    });
  } catch {
    // The shared transaction failed (nothing of it was kept): every unit in a transaction of its
    // own. Not logged here: if the store refuses writes (a full disk), the units fail again and
    // report it, and the worker logs the run of failing turns once.
    done = await deps.store.batch((unit) => turnUnits(deps, plan, unit, true), { separate: true });
  }
  // Committed: the rooms' next units may start from the tasks these left.
  for (const r of done.remember) deps.store.memory.rememberTasks(r);
  return done.result;
}

interface Units {
  result: TurnResult;
  /** What the committed units leave of their rooms' tasks (store/room-memory.ts). */
  remember: RememberedTasks[];
}

/** A unit failed optimistically and rolled the batch back (SQLite): the turn runs again, carefully. */
class CarefulAgain extends Error {
  override name = "CarefulAgain";
}

/**
 * The turn's units in one batch, carefully or not (above). PostgreSQL runs every unit as a
 * transaction of its own, so there a unit that fails optimistically runs again carefully alone.
 */
async function turnUnits(
  deps: EngineDeps,
  plan: TurnPlan,
  unit: UnitRunner,
  careful: boolean,
): Promise<Units> {
  const result: TurnResult = { begun: [], refused: [], failed: [], mayHaveDue: false, outbox: [] };
  const remember: RememberedTasks[] = [];
  const { leaseMs } = deps.config;
  const now = deps.clock.now().getTime();
  let claimed: Step[] = [];
  const claims = plan.free > 0 && plan.mayHaveDue;
  // SQLite: a unit that fails rolls back the batch and the turn runs again carefully.
  const shared = !deps.store.unitsRunConcurrently;
  const again = (error: unknown) =>
    new CarefulAgain("a unit failed optimistically", { cause: error });
  if (claims) {
    // A claim lost in a database crash is simply claimed again: no need to wait for the WAL flush.
    const claim = await unit(
      (db) => claimSteps(deps.store.execIn(db), plan.owner, plan.free, leaseMs, now),
      { replayable: true, bare: !careful },
    );
    if (!claim.ok && !careful && shared) throw again(claim.error);
    if (claim.ok) claimed = claim.value;
    else result.trouble = claim.error;
    result.mayHaveDue = !claim.ok || claimed.length >= plan.free;
  }
  for (const step of claimed) plan.onClaimed(step);
  // Shared by the rooms' units: the slots the claim left for the steps their commits make due.
  const slots = { free: Math.max(0, plan.free - claimed.length) };
  const rooms = byRoom(plan.commits, claimed);
  // Even carefully, a room's unit alone in its batch needs no savepoint: the batch is the unit.
  const alone = !claims && rooms.length === 1;
  const units = await eachUnit(deps, rooms, async (r) => {
    const run = (carefully: boolean) =>
      inUnit(deps, unit, (tx) => roomTurn(tx, deps, r, plan.onClaimed, carefully), {
        // A unit that only starts steps is redone by the next claim if a crash loses it.
        replayable: r.commits.length === 0,
        bare: !carefully || alone,
        claim: { owner: plan.owner, leaseUntil: now + leaseMs, slots },
      });
    const u = await run(careful);
    if (u.ok || careful) return u;
    if (shared) throw again(u.error);
    // A unit of one part runs the same carefully: its failure is the outcome.
    return mayHaveSeveralParts(r) ? run(true) : u;
  });
  for (const [i, r] of rooms.entries()) {
    const u = units[i]!;
    if (!u.ok) {
      if (isStoreUnwritable(u.error)) result.trouble ??= u.error;
      // Nothing of the unit was kept. A lone begin refused for a known reason has its outcome
      // committed next turn; otherwise the steps' leases expire and they are retried.
      const step = r.commits.length === 0 && r.claimed.length === 1 ? r.claimed[0] : undefined;
      const outcome = step && outcomeOfRefusedBegin(u.error);
      if (step && outcome) {
        const meter = new Meter(deps, step, step.kind === "revise");
        result.refused.push({ step, meta: { taskId: step.taskId, agentId: null }, outcome, meter });
        continue;
      }
      for (const f of r.commits) result.failed.push({ step: f.step, error: u.error });
      for (const s of r.claimed) result.failed.push({ step: s, error: u.error });
      continue;
    }
    const done = u.value.value;
    result.outbox.push(...u.value.outbox);
    remember.push(...u.value.remember);
    result.begun.push(...done.begun);
    result.refused.push(...done.refused);
    result.failed.push(...done.failed);
    // Only steps the units could not claim are announced (those of waits included).
    result.mayHaveDue ||= u.value.outbox.some((m) => m.type === "steps_ready");
  }
  return { result, remember };
}

/** The turn's work by room: the steps it finished and the steps it claimed, in order. */
function byRoom(
  commits: readonly Finished[],
  claimed: readonly Step[],
): { roomId: string; workspaceId: string; commits: Finished[]; claimed: Step[] }[] {
  const rooms = new Map<
    string,
    { roomId: string; workspaceId: string; commits: Finished[]; claimed: Step[] }
  >();
  const of = (step: Step) => {
    let r = rooms.get(step.workroomId);
    if (!r) {
      r = { roomId: step.workroomId, workspaceId: step.workspaceId, commits: [], claimed: [] };
      rooms.set(step.workroomId, r);
    }
    return r;
  };
  for (const f of commits) of(f.step).commits.push(f);
  for (const step of claimed) of(step).claimed.push(step);
  return [...rooms.values()];
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
