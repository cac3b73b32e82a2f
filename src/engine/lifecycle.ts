// Applies lifecycle commands under the room's lock and carries out their effects in the same
// transaction: the only place a workroom's state changes.
import { assertNever, ok, type Result } from "../domain/errors.js";
import { progressOf, readyTasks } from "../domain/plan.js";
import type { Workroom } from "../domain/types.js";
import { transition, type Command, type Effect } from "../domain/workroom.js";
import { saveLifecycle } from "../store/workrooms.js";
import { discardUnfinished, listTaskStates, updateTask, type TaskState } from "../store/tasks.js";
import { dropRoomSteps, enqueueSteps, type NewStep } from "../store/steps.js";
import { record } from "./history.js";
import type { Tx } from "./tx.js";

/** Applies `command` to `room` (already locked in `tx`); returns the new room or why it was refused. */
export async function applyCommand(
  tx: Tx,
  room: Workroom,
  command: Command,
  actor: string,
): Promise<Result<Workroom>> {
  const t = transition(room, command);
  if (!t.ok) return t;
  const next: Workroom = { ...room, ...t.value.room };
  if (next.state === "completed" && room.completedAt === null) next.completedAt = tx.now.getTime();
  await saveLifecycle(tx.ex, room, t.value.room, tx.now);
  record(
    tx,
    room,
    t.value.events.map((e) => ({
      type: e.type,
      actor,
      data: { from: e.from, to: e.to, command: e.command, reason: e.reason, ...pauseData(next) },
    })),
  );
  tx.outbox.push({
    type: "room_state",
    workroomId: room.id,
    workspaceId: room.workspaceId,
    state: next.state,
  });
  let current = next;
  for (const effect of t.value.effects) current = await carryOut(tx, current, effect, actor);
  return ok(current);
}

function pauseData(room: Workroom): Record<string, unknown> {
  return room.state === "paused"
    ? {
        pause_reason: room.pauseReason,
        // When it resumes by itself, in ms as the `model.rate_limited` event's `until`.
        ...(room.resumeAt !== null && { resume_at: room.resumeAt }),
      }
    : room.state === "failed"
      ? { failure_reason: room.failureReason }
      : {};
}

async function carryOut(tx: Tx, room: Workroom, effect: Effect, actor: string): Promise<Workroom> {
  switch (effect.type) {
    case "schedule_plan":
      await schedule(tx, [
        stepFor(room, "plan", null, `plan:${room.id}:${room.generation}`, tx.now),
      ]);
      return room;
    case "schedule_ready":
      return advance(tx, room, actor);
    case "abort_running":
      await dropRoomSteps(tx.ex, room.id);
      tx.outbox.push({ type: "room_aborted", workroomId: room.id });
      return room;
    case "discard_unfinished": {
      const discarded = await discardUnfinished(tx.ex, room, tx.now, effect.keepFailed);
      if (discarded > 0)
        record(tx, room, [{ type: "tasks.discarded", actor, data: { count: discarded } }]);
      return room;
    }
    case "schedule_revision":
      await schedule(tx, [
        stepFor(room, "revise", null, `revise:${room.id}:${room.currentRound}`, tx.now),
      ]);
      return room;
    default:
      return assertNever(effect, "effect");
  }
}

/**
 * Schedules what a room's state has the queue do next (its plan, its ready tasks, its revision),
 * for a room whose steps are gone, such as one restored from an archive; a room at rest is left
 * as it is. Idempotent, like the effects it carries out.
 */
export async function scheduleQueued(tx: Tx, room: Workroom, actor: string): Promise<Workroom> {
  switch (room.state) {
    case "planning":
      return carryOut(tx, room, { type: "schedule_plan" }, actor);
    case "executing":
    case "composing":
      return carryOut(tx, room, { type: "schedule_ready" }, actor);
    case "awaiting_revision":
      return carryOut(tx, room, { type: "schedule_revision" }, actor);
    default:
      return room;
  }
}

/**
 * Enqueues steps. In a worker's turn they are claimed for the worker as they are inserted (while it
 * has free slots); only the steps left ready wake the workers.
 */
async function schedule(tx: Tx, steps: readonly NewStep[]): Promise<void> {
  const { ready } = await enqueueSteps(tx.ex, steps, tx.now, tx.claim);
  if (ready > 0) tx.outbox.push({ type: "steps_ready" });
}

function stepFor(
  room: Workroom,
  kind: NewStep["kind"],
  taskId: string | null,
  dedupeKey: string,
  now: Date,
  at = now.getTime(),
): NewStep {
  return {
    workspaceId: room.workspaceId,
    workroomId: room.id,
    kind,
    taskId,
    generation: room.generation,
    dedupeKey,
    availableAt: at,
  };
}

/** When a `wait` task is due. */
function dueAt(task: TaskState, now: Date): number {
  if (task.spec.waitUntil) return Date.parse(task.spec.waitUntil);
  return now.getTime() + (task.spec.waitSeconds ?? 0) * 1000;
}

/**
 * Moves a running room forward from its task statuses: enqueues every task that is ready, moves
 * to composing when only the composition is left, completes nothing by itself (the compose step
 * does), fails the room when a task failed. Idempotent.
 */
export async function advance(tx: Tx, room: Workroom, actor: string): Promise<Workroom> {
  if (room.state !== "executing" && room.state !== "composing") return room;
  const tasks = await listTaskStates(tx.ex, room, room.generation);
  if (tasks.length === 0) return room;
  const progress = progressOf(tasks);
  switch (progress.kind) {
    case "failed": {
      const task = tasks.find((t) => t.ordinal === progress.ordinal);
      const reason = `Task ${progress.ordinal} (${task?.title ?? "?"}) failed: ${task?.error ?? "unknown error"}`;
      const r = await applyCommand(tx, room, { type: "fail", reason }, actor);
      return r.ok ? r.value : room;
    }
    case "ready_to_compose":
      if (room.state === "executing") {
        const r = await applyCommand(tx, room, { type: "tasks_done" }, actor);
        return r.ok ? r.value : room;
      }
      break;
    case "done":
    case "running":
      break;
    default:
      assertNever(progress, "progress");
  }
  const composing = room.state === "composing";
  const ready = readyTasks(tasks).filter((t) => (t.type === "composition") === composing);
  const steps = ready.map((t) =>
    stepFor(
      room,
      t.type === "composition" ? "compose" : "task",
      t.id,
      `task:${t.id}:${t.run}`,
      tx.now,
      t.type === "wait" ? dueAt(t, tx.now) : tx.now.getTime(),
    ),
  );
  await schedule(tx, steps);
  // A wait is durable: its step is due at the target time, and the task shows it is waiting.
  for (const t of ready.filter((x) => x.type === "wait")) {
    const until = new Date(dueAt(t, tx.now)).toISOString();
    await updateTask(tx.ex, room, t.id, { status: "waiting" });
    record(tx, room, [
      { type: "wait.started", actor, data: { task_id: t.id, ordinal: t.ordinal, until } },
    ]);
  }
  return room;
}
