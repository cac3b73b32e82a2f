// A unit of engine work inside one short transaction: the repository handle, the time, the history
// events to append (written once per room, just before commit, so a step costs one history write
// however many events it records), and the bus messages to publish once the transaction has
// committed (never before: listeners would read state that may still roll back).
import type { BusMessage } from "./bus.js";
import type { Exec } from "../store/exec.js";
import { underSavepoint, type Settled, type UnitRunner } from "../store/db.js";
import { appendEvents, type CreditDelta, type NewEvent } from "../store/events.js";
import type { ClaimOnEnqueue } from "../store/steps.js";
import type { RememberedTasks } from "../store/room-memory.js";
import { tasksToRemember } from "../store/tasks.js";
import type { Workroom } from "../domain/types.js";
import { inTransaction, type EngineDeps } from "./deps.js";
import { enqueueWebhookDeliveries } from "./webhooks.js";

type RoomRef = Pick<Workroom, "id" | "workspaceId">;

export interface Tx {
  ex: Exec;
  now: Date;
  outbox: BusMessage[];
  /** By room: history events in the order they were recorded, and credits to add to the room;
   *  both written in one update of the room's row just before commit. */
  history: Map<string, { room: RoomRef; events: NewEvent[]; credits: CreditDelta }>;
  /** In a worker's turn: the steps this transaction enqueues are claimed for the worker. */
  claim?: ClaimOnEnqueue;
}

export async function withTx<T>(
  deps: EngineDeps,
  fn: (tx: Tx) => Promise<T>,
  options?: { replayable?: boolean },
): Promise<T> {
  let outbox: BusMessage[] = [];
  const result = await inTransaction(
    deps,
    async (ex) => {
      outbox = [];
      return runTx(deps, ex, outbox, fn);
    },
    options,
  );
  for (const m of outbox) deps.bus.publish(m);
  return result;
}

/**
 * Runs `fn` as one unit of a batch (see `StoreConnection.batch`). Its bus messages are not
 * published here: the caller publishes `outbox` once the whole batch has committed.
 */
export async function inUnit<T>(
  deps: EngineDeps,
  unit: UnitRunner,
  fn: (tx: Tx) => Promise<T>,
  options?: Parameters<UnitRunner>[1] & { claim?: Omit<ClaimOnEnqueue, "claimed"> },
): Promise<Settled<{ value: T; outbox: BusMessage[]; remember: RememberedTasks[] }>> {
  return unit(async (db) => {
    const outbox: BusMessage[] = [];
    const remember: RememberedTasks[] = [];
    const ex: Exec = { ...deps.store.execIn(db), unitCache: new Map() };
    const claim = options?.claim && { ...options.claim, claimed: [] };
    try {
      const value = await runTx(deps, ex, outbox, fn, claim, remember);
      return { value, outbox, remember };
    } catch (e) {
      // The unit is rolled back, and the steps it claimed with it: their slots are free again.
      if (claim) claim.slots.free += claim.claimed.length;
      throw e;
    }
  }, options);
}

/**
 * Runs `fn` under a savepoint of its own inside `tx`: if it throws, what it wrote, the events it
 * recorded and the messages it queued are undone, and the rest of the transaction goes on.
 */
export async function attempt<T>(tx: Tx, fn: () => Promise<T>): Promise<Settled<T>> {
  const recorded = new Map(
    [...tx.history].map(([id, h]) => [id, { events: h.events.length, credits: { ...h.credits } }]),
  );
  const queued = tx.outbox.length;
  const claimed = tx.claim?.claimed.length ?? 0;
  const wrote = tx.ex.tasksWrittenOf && new Set(tx.ex.tasksWrittenOf);
  try {
    return { ok: true, value: await underSavepoint(tx.ex, fn) };
  } catch (error) {
    // What the unit read may include what the savepoint wrote and rolled back.
    tx.ex.unitCache?.clear();
    if (wrote) tx.ex.tasksWrittenOf = wrote;
    else delete tx.ex.tasksWrittenOf;
    for (const [id, h] of tx.history) {
      const before = recorded.get(id);
      if (before === undefined) tx.history.delete(id);
      else {
        h.events.length = before.events;
        h.credits = before.credits;
      }
    }
    tx.outbox.length = queued;
    if (tx.claim) {
      // The steps it claimed were rolled back with it: their slots are free again.
      tx.claim.slots.free += tx.claim.claimed.length - claimed;
      tx.claim.claimed.length = claimed;
    }
    return { ok: false, error };
  }
}

async function runTx<T>(
  deps: EngineDeps,
  ex: Exec,
  outbox: BusMessage[],
  fn: (tx: Tx) => Promise<T>,
  claim?: ClaimOnEnqueue,
  remember?: RememberedTasks[],
): Promise<T> {
  const tx: Tx = { ex, now: deps.clock.now(), outbox, history: new Map(), ...(claim && { claim }) };
  const value = await fn(tx);
  for (const roomId of ex.tasksWrittenOf ?? [])
    if (!tx.history.get(roomId)?.events.length)
      // Other processes tell from the room's history position that what they remember of its
      // tasks is stale (store/room-memory.ts): a silent write of tasks would go unseen there.
      throw new Error(`a transaction wrote the tasks of room ${roomId} without recording history`);
  for (const { room, events, credits } of tx.history.values()) {
    const seq = await appendEvents(ex, room, events, tx.now, credits);
    if (events.length === 0) continue;
    // The tasks as the unit leaves them, valid at the history position it leaves the room at.
    const tasks = remember && tasksToRemember(ex, room.id, seq);
    if (tasks) remember!.push(tasks);
    await enqueueWebhookDeliveries(tx, room, events, seq);
    outbox.unshift({
      type: "room_changed",
      workroomId: room.id,
      workspaceId: room.workspaceId,
      seq,
    });
  }
  return value;
}
