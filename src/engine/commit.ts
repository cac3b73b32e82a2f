// The commit phase of a step, in one short transaction: re-check the room and the fencing token,
// record usage and debits (always: a call that happened costs money), then store the outcome and
// move the room on. A stale attempt or an older plan generation stores nothing but the usage.
import { assertNever } from "../domain/errors.js";
import { wordCount } from "../domain/document.js";
import { estimateHoursSaved } from "../domain/insights.js";
import { isRunningState, type Command } from "../domain/workroom.js";
import type { Workroom } from "../domain/types.js";
import type { NewEvent } from "../store/events.js";
import { finishStep, releaseStep, type Step } from "../store/steps.js";
import { countWorkingAgents, insertPlan, markTaskSucceeded, updateTask } from "../store/tasks.js";
import { insertDraft } from "../store/drafts.js";
import { saveHoursSaved } from "../store/workrooms.js";
import { findRevision, finishRevision } from "../store/revisions.js";
import { listDraftRounds } from "../store/room-summary.js";
import { reverse } from "../store/ledger.js";
import type { EngineDeps } from "./deps.js";
import { ENGINE_ACTOR, record } from "./history.js";
import { advance, applyCommand } from "./lifecycle.js";
import type { Meter, UnitWorkspace } from "./metering.js";
import type { Outcome } from "./steps/types.js";
import type { Tx } from "./tx.js";

/** Backoff before a step's next attempt after a transient failure. */
const retryDelayMs = (failures: number): number => Math.min(60_000, 1_000 * 2 ** failures);

const PREVIEW_CHARS = 280;

/** What a worked step hands to the commit phase. */
export interface Finished {
  step: Step;
  meta: { taskId: string | null; agentId: string | null };
  outcome: Outcome;
  meter: Meter;
}

/**
 * The commit phase inside `tx` (one unit of a worker's turn), for the step's room, already locked
 * in `tx`. Returns the room as the commit left it, for the begins that follow in the same unit.
 */
export async function commitIn(
  tx: Tx,
  deps: EngineDeps,
  finished: Finished,
  room: Workroom,
  workspace: UnitWorkspace,
): Promise<Workroom> {
  const { step, meta, outcome, meter } = finished;
  const usage = await meter.settle(tx, room, meta, workspace);
  record(tx, room, usage.events);
  const retry =
    outcome.type === "failed" &&
    outcome.retryable &&
    step.failures + 1 < deps.config.maxStepFailures;
  const requeue =
    retry ||
    outcome.type === "budget" ||
    outcome.type === "aborted" ||
    outcome.type === "rate_limited";
  // A rate-limited step is not due before the provider's wait is over, even if resumed sooner.
  const delayMs = retry
    ? retryDelayMs(step.failures)
    : outcome.type === "rate_limited"
      ? outcome.waitMs
      : 0;
  const owned = requeue
    ? await releaseStep(tx.ex, step.id, step.attempt, tx.now.getTime() + delayMs, {
        failed: retry,
      })
    : await finishStep(tx.ex, step.id, step.attempt);
  // Fenced out (another worker owns the step now) or dropped by a replan or cancel.
  const storesTask =
    owned &&
    room.generation === step.generation &&
    (outcome.type === "output" || outcome.type === "document");
  if (meta.taskId && usage.credits > 0 && !storesTask)
    await updateTask(tx.ex, room, meta.taskId, { addCredits: usage.credits });
  if (!owned || room.generation !== step.generation) return room;
  return store(tx, step, room, meta, outcome, retry, usage.credits);
}

async function store(
  tx: Tx,
  step: Step,
  room: Workroom,
  meta: { taskId: string | null },
  outcome: Outcome,
  retry: boolean,
  credits: number,
): Promise<Workroom> {
  const taskId = meta.taskId;
  const now = tx.now.getTime();
  const command = async (c: Command) => {
    const moved = await applyCommand(tx, room, c, ENGINE_ACTOR);
    return moved.ok ? moved.value : room;
  };
  switch (outcome.type) {
    case "plan": {
      const { planId, tasks } = await insertPlan(
        tx.ex,
        room,
        outcome.summary,
        outcome.tasks,
        tx.now,
      );
      record(tx, room, [
        ...outcome.notes,
        {
          type: "plan.created",
          actor: ENGINE_ACTOR,
          data: {
            plan_id: planId,
            generation: room.generation,
            summary: outcome.summary,
            tasks: tasks.map((t) => ({
              id: t.id,
              ordinal: t.ordinal,
              title: t.title,
              type: t.type,
              agent_id: t.agentId,
              depends_on: t.dependsOn,
            })),
          },
        },
      ]);
      return command({ type: "plan_accepted", reviewPlan: room.reviewPlan });
    }
    case "output": {
      await markTaskSucceeded(tx.ex, room, taskId!, outcome.output, now, credits);
      record(tx, room, [...outcome.notes, taskSucceeded(taskId!, outcome.output)]);
      return room.state === "executing" ? advance(tx, room, ENGINE_ACTOR) : room;
    }
    case "waiting":
      await updateTask(tx.ex, room, taskId!, { status: "waiting" });
      record(tx, room, outcome.notes);
      return room;
    case "document": {
      const round = step.kind === "revise" ? room.currentRound : 1;
      await insertDraft(tx.ex, room, round, outcome.document, tx.now);
      if (taskId)
        await markTaskSucceeded(
          tx.ex,
          room,
          taskId,
          JSON.stringify(outcome.document),
          now,
          credits,
        );
      const words = wordCount(outcome.document);
      record(tx, room, [
        ...outcome.notes,
        ...(taskId ? [taskSucceeded(taskId, outcome.document.title)] : []),
        {
          type: "draft.created",
          actor: ENGINE_ACTOR,
          data: {
            round,
            title: outcome.document.title,
            sections: outcome.document.sections.map((s) => s.title),
            words,
          },
        },
      ]);
      if (step.kind === "revise") await closeRevision(tx, room, "completed", null);
      const moved = await command(
        step.kind === "revise" ? { type: "revision_completed" } : { type: "composed" },
      );
      if (moved !== room) moved.hoursSaved = await storeHoursSaved(tx, moved, words);
      return moved;
    }
    case "failed": {
      record(tx, room, outcome.notes ?? []);
      if (retry) {
        if (taskId)
          await updateTask(tx.ex, room, taskId, { status: "pending", error: outcome.reason });
        record(tx, room, [
          {
            type: "task.retried",
            actor: ENGINE_ACTOR,
            data: {
              task_id: taskId,
              kind: step.kind,
              error: outcome.reason,
              failures: step.failures + 1,
            },
          },
        ]);
        return room;
      }
      if (step.kind === "revise") {
        await closeRevision(tx, room, "failed", outcome.reason);
        return command({ type: "revision_failed", reason: outcome.reason });
      }
      if (taskId) {
        await updateTask(tx.ex, room, taskId, {
          status: "failed",
          error: outcome.reason,
          finished_at: now,
        });
        record(tx, room, [
          {
            type: "task.failed",
            actor: ENGINE_ACTOR,
            data: { task_id: taskId, error: outcome.reason },
          },
        ]);
        return advance(tx, room, ENGINE_ACTOR);
      }
      return command({ type: "fail", reason: outcome.reason });
    }
    case "budget": {
      if (taskId) await updateTask(tx.ex, room, taskId, { status: "pending" });
      const moved = isRunningState(room.state)
        ? await command({ type: "budget_exhausted", reason: outcome.reason })
        : room;
      record(tx, room, [
        {
          type: "budget.reservation_refused",
          actor: ENGINE_ACTOR,
          data: {
            task_id: taskId,
            kind: step.kind,
            reason: outcome.reason,
            needed: outcome.needed,
          },
        },
      ]);
      return moved;
    }
    case "rate_limited": {
      if (taskId) await updateTask(tx.ex, room, taskId, { status: "pending" });
      const until = now + outcome.waitMs;
      // A running room pauses until then; one paused for a rate limit already waits for the later
      // time. A room a person paused stays theirs to resume (its step is not due before then).
      const moved =
        isRunningState(room.state) || room.pauseReason === "rate_limited"
          ? await command({ type: "rate_limited", waitMs: outcome.waitMs, until })
          : room;
      record(tx, room, [
        {
          type: "model.rate_limited",
          actor: ENGINE_ACTOR,
          data: {
            task_id: taskId,
            kind: step.kind,
            model: outcome.model,
            wait_ms: outcome.waitMs,
            until,
            error: outcome.reason,
          },
        },
      ]);
      return moved;
    }
    case "aborted":
      if (taskId) await updateTask(tx.ex, room, taskId, { status: "pending" });
      record(tx, room, [
        {
          type: "step.interrupted",
          actor: ENGINE_ACTOR,
          data: { task_id: taskId, kind: step.kind, reason: outcome.reason },
        },
      ]);
      return room;
    default:
      return assertNever(outcome, "outcome");
  }
}

/** Marks the round's revision request finished; a failed round's charge is refunded. */
async function closeRevision(
  tx: Tx,
  room: Workroom,
  status: "completed" | "failed",
  error: string | null,
): Promise<void> {
  const revision = await findRevision(tx.ex, room, room.currentRound);
  if (!revision) return;
  await finishRevision(tx.ex, revision.id, status, error, tx.now);
  if (status === "completed") return;
  const round = room.currentRound;
  const refunded = await reverse(
    tx.ex,
    `revision:${room.id}:${round}`,
    `revision-refund:${room.id}:${round}`,
    `Refund of failed revision round ${round}`,
    tx.now,
  );
  if (refunded > 0) {
    await tx.ex.db
      .updateTable("workrooms")
      .set((eb) => ({ credits_spent: eb("credits_spent", "-", refunded) }))
      .where("id", "=", room.id)
      .execute();
    room.creditsSpent -= refunded;
    record(tx, room, [
      { type: "revision.refunded", actor: ENGINE_ACTOR, data: { round, credits: refunded } },
    ]);
  }
}

function taskSucceeded(taskId: string, output: string): NewEvent {
  return {
    type: "task.succeeded",
    actor: ENGINE_ACTOR,
    data: {
      task_id: taskId,
      chars: output.length,
      preview: output.length > PREVIEW_CHARS ? `${output.slice(0, PREVIEW_CHARS)}…` : output,
    },
  };
}

async function storeHoursSaved(tx: Tx, room: Workroom, words: number): Promise<number> {
  // The revisions are the finished rounds after the first: a failed round keeps its number, so
  // the final round's number can count more than were made.
  const revisions = room.finalRound > 1 ? (await listDraftRounds(tx.ex, room)).length - 1 : 0;
  const hours = estimateHoursSaved(words, await countWorkingAgents(tx.ex, room), revisions);
  await saveHoursSaved(tx.ex, room, hours);
  return hours;
}
