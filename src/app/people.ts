// People in the loop: approve or reject an approval task, answer a question, list what waits for
// people. Answering by task id is idempotent: a second answer to a finished task changes nothing.
import { DomainError } from "../domain/errors.js";
import type { Task, Workroom } from "../domain/types.js";
import { approvalOutput } from "../domain/plan.js";
import { advance } from "../engine/lifecycle.js";
import { record } from "../engine/history.js";
import { poolExec } from "../engine/deps.js";
import { withTx, type Tx } from "../engine/tx.js";
import { findTask, listTasks, rerunWithFeedback, updateTask } from "../store/tasks.js";
import { listRoomsWaiting } from "../store/waiting.js";
import { findWorkroom } from "../store/workrooms.js";
import { auditBy, authorize, type Actor, type AppDeps } from "./context.js";

export type Decision =
  | { type: "approve"; comment?: string }
  | { type: "reject"; comment: string }
  | { type: "answer"; text: string };

export interface DecisionResult {
  task: Task;
  /** False when the task had already been answered: nothing changed. */
  applied: boolean;
}

const EXPECTS: Record<Decision["type"], Task["type"]> = {
  approve: "approval",
  reject: "approval",
  answer: "user_input",
};

/** How the audit log names a decision on a waiting task. */
const DECISION_AUDIT: Record<Decision["type"], string> = {
  approve: "task.approved",
  reject: "task.rejected",
  answer: "task.answered",
};

/** Approves, rejects or answers a waiting task of the actor's workspace. */
export async function decide(
  deps: AppDeps,
  actor: Actor,
  roomId: string,
  taskId: string,
  decision: Decision,
): Promise<DecisionResult> {
  authorize(actor, "workroom.write");
  if (decision.type === "reject" && !decision.comment.trim())
    throw new DomainError(
      "invalid_input",
      "A rejection needs a comment saying what to change; the tasks re-run with it.",
    );
  if (decision.type === "answer" && !decision.text.trim())
    throw new DomainError("invalid_input", "The answer is empty.");
  return withTx(deps, async (tx) => {
    const room = await findWorkroom(tx.ex, actor.workspaceId, roomId, { lock: true });
    if (!room) throw new DomainError("not_found", `No workroom ${roomId} in this workspace.`);
    const task = await findTask(tx.ex, room, taskId);
    if (!task || task.generation !== room.generation)
      throw new DomainError("not_found", `No task ${taskId} in the current plan of this workroom.`);
    if (task.type !== EXPECTS[decision.type])
      throw new DomainError(
        "invalid_input",
        `Task ${task.ordinal} is ${/^[aeiou]/.test(task.type) ? "an" : "a"} ${task.type} task; ${decision.type} applies to ${EXPECTS[decision.type]} tasks.`,
      );
    if (task.status === "succeeded") return { task, applied: false };
    if (task.status !== "waiting")
      throw new DomainError(
        "illegal_transition",
        `Task ${task.ordinal} is ${task.status}, not waiting for an answer.`,
      );
    if (room.state !== "executing" && room.state !== "paused")
      throw new DomainError(
        "illegal_transition",
        `The workroom is ${room.state}; answers are taken while it runs or is paused.`,
      );
    const done = await apply(tx, room, task, decision, actor);
    await auditBy(tx, actor, DECISION_AUDIT[decision.type], room.id, {
      task: task.id,
      ordinal: task.ordinal,
    });
    if (room.state === "executing") await advance(tx, room, actor.id);
    return { task: done, applied: true };
  });
}

async function apply(
  tx: Tx,
  room: Workroom,
  task: Task,
  decision: Decision,
  actor: Actor,
): Promise<Task> {
  const now = tx.now.getTime();
  switch (decision.type) {
    case "approve": {
      const output = approvalOutput(decision.comment);
      await updateTask(tx.ex, room, task.id, {
        status: "succeeded",
        output: tx.ex.seal(room.workspaceId, output),
        finished_at: now,
      });
      record(tx, room, [
        {
          type: "approval.granted",
          actor: actor.id,
          data: { task_id: task.id, ordinal: task.ordinal, comment: decision.comment ?? null },
        },
      ]);
      return { ...task, status: "succeeded", output };
    }
    case "answer": {
      await updateTask(tx.ex, room, task.id, {
        status: "succeeded",
        output: tx.ex.seal(room.workspaceId, decision.text),
        finished_at: now,
      });
      record(tx, room, [
        {
          type: "question.answered",
          actor: actor.id,
          data: { task_id: task.id, ordinal: task.ordinal, answer: decision.text },
        },
      ]);
      return { ...task, status: "succeeded", output: decision.text };
    }
    case "reject": {
      // The approved-upon tasks run once more with the comment; then the approval asks again.
      const tasks = await listTasks(tx.ex, room, room.generation);
      const rerun = tasks.filter((t) => task.dependsOn.includes(t.ordinal));
      for (const t of rerun) await rerunWithFeedback(tx.ex, room, t, decision.comment);
      await updateTask(tx.ex, room, task.id, { status: "pending", run: task.run + 1 });
      record(tx, room, [
        {
          type: "approval.rejected",
          actor: actor.id,
          data: {
            task_id: task.id,
            ordinal: task.ordinal,
            comment: decision.comment,
            rerun: rerun.map((t) => t.ordinal),
          },
        },
      ]);
      return { ...task, status: "pending" };
    }
  }
}

export interface InboxItem {
  room: Pick<Workroom, "id" | "title" | "client" | "state">;
  task: Task;
  /** What the approval is about: the outputs of the tasks it depends on. */
  context: { ordinal: number; title: string; output: string }[];
}

/** Everything waiting for people across the workspace: open approvals and questions. */
export async function inbox(deps: AppDeps, actor: Actor): Promise<InboxItem[]> {
  authorize(actor, "workroom.read");
  const items: InboxItem[] = [];
  for (const { room, tasks } of await listRoomsWaiting(poolExec(deps), actor.workspaceId))
    for (const task of tasks.filter(
      (t) => t.status === "waiting" && (t.type === "approval" || t.type === "user_input"),
    ))
      items.push({
        room,
        task,
        context: tasks
          .filter((t) => task.dependsOn.includes(t.ordinal) && t.output !== null)
          .map((t) => ({ ordinal: t.ordinal, title: t.title, output: t.output! })),
      });
  return items;
}
