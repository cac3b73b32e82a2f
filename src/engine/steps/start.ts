// Marks a task running and records it: shared by every step kind that works on a task.
import type { Task, Workroom } from "../../domain/types.js";
import type { Step } from "../../store/steps.js";
import { markTaskRunning } from "../../store/tasks.js";
import { record } from "../history.js";
import type { Tx } from "../tx.js";

export async function startTask(tx: Tx, room: Workroom, step: Step, task: Task): Promise<void> {
  await markTaskRunning(tx.ex, room, task.id, tx.now.getTime());
  record(tx, room, [
    {
      type: "task.started",
      actor: "engine",
      data: {
        task_id: task.id,
        ordinal: task.ordinal,
        title: task.title,
        type: task.type,
        attempt: step.attempt,
        run: task.run,
      },
    },
  ]);
}
