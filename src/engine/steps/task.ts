// The task step: an agent writes its part, a granted tool runs, a wait ends, or an approval or a
// question is put to people (the task then waits for their answer).
import { bannedPhrasesIn } from "../../domain/style.js";
import type { Task } from "../../domain/types.js";
import type { TaskContext } from "../../agents/snapshot.js";
import { rewriteMessage, taskRequest } from "../../agents/task-agent.js";
import type { NewEvent } from "../../store/events.js";
import { startTask } from "./start.js";
import { modelFor } from "../models.js";
import { loadSnapshot, taskContext } from "../snapshot.js";
import type { ModelRequest } from "../../models/gateway.js";
import { StepSetupError, type Outcome, type StepEnv, type StepHandler } from "./types.js";

interface Prepared {
  task: Task;
  ctx: TaskContext | null;
  model: string | null;
  /** The agent's call, built once: the begin reserves it, the work sends it. */
  request: ModelRequest | null;
}

export const taskStep: StepHandler<Prepared> = {
  runsIn: ["executing"],

  async prepare({ tx, step, room, workspace, credentials, deps }) {
    const snapshot = await loadSnapshot(tx.ex, room, workspace);
    const task = snapshot.tasks.find((t) => t.id === step.taskId);
    if (!task) throw new StepSetupError(`step ${step.id} names a task that does not exist`);
    const needsAgent = task.type === "agent_work" || task.type === "tool_call";
    const ctx = needsAgent ? taskContext(snapshot, task, task.spec.feedback ?? null) : null;
    const model =
      ctx && task.type === "agent_work"
        ? modelFor(workspace, deps.models, credentials, room, ctx.agent, "other")
        : null;
    await startTask(tx, room, step, task);
    const request = task.type === "agent_work" && ctx && model ? taskRequest(ctx, model) : null;
    return { task, ctx, model, request };
  },

  async work(p, env) {
    const { task } = p;
    switch (task.type) {
      case "agent_work":
        return agentWork(p, env);
      case "tool_call":
        return toolCall(p, env);
      case "approval":
        return {
          type: "waiting",
          notes: [
            {
              type: "approval.requested",
              actor: "engine",
              data: {
                task_id: task.id,
                ordinal: task.ordinal,
                title: task.title,
                approves: task.dependsOn,
              },
            },
          ],
        };
      case "user_input":
        return {
          type: "waiting",
          notes: [
            {
              type: "question.asked",
              actor: "engine",
              data: { task_id: task.id, ordinal: task.ordinal, question: task.spec.question },
            },
          ],
        };
      case "wait":
        return {
          type: "output",
          output: `Waited until ${env.deps.clock.now().toISOString()}.`,
          notes: [],
        };
      case "composition":
        return {
          type: "failed",
          retryable: false,
          reason: "the composition task runs as a compose step",
        };
    }
  },

  firstCall(p) {
    return p.request;
  },

  meta(p) {
    return { taskId: p.task.id, agentId: p.task.agentId };
  },
};

async function agentWork(p: Prepared, env: StepEnv): Promise<Outcome> {
  const ctx = p.ctx!;
  const req = { ...p.request!, signal: env.signal, ...env.meter.hooks("task") };
  const first = await env.deps.models.generateText(req);
  const notes: NewEvent[] = [];
  let text = first.text;
  const found = bannedPhrasesIn(text, ctx.style.rules);
  if (found.length) {
    const again = await env.deps.models.generateText({
      ...req,
      ...env.meter.hooks("rewrite"),
      messages: [
        ...req.messages,
        { role: "assistant", content: text },
        { role: "user", content: rewriteMessage(found) },
      ],
    });
    text = again.text;
    const left = bannedPhrasesIn(text, ctx.style.rules);
    notes.push({
      type: "style.banned_phrases",
      actor: "engine",
      data: { task_id: p.task.id, found, rewritten: true, remaining: left },
    });
  }
  // An empty answer is no output: the task is tried again (as after a provider's error), and
  // after the step's tries the room fails saying why, instead of composing from nothing.
  if (!text.trim())
    return {
      type: "failed",
      reason: `The model (${req.model}) answered task "${p.task.title}" with no text.`,
      retryable: true,
      notes,
    };
  return { type: "output", output: text, notes };
}

async function toolCall(p: Prepared, env: StepEnv): Promise<Outcome> {
  const { task } = p;
  const tools = env.deps.tools;
  if (!tools)
    return {
      type: "failed",
      retryable: false,
      reason: "no tool registry is configured on this worker",
    };
  const result = await tools.runGranted(
    p.ctx!.agent.toolGrants,
    task.spec.tool ?? "",
    task.spec.args ?? {},
    {
      workspaceId: env.room.workspaceId,
      signal: env.signal,
      inputs: p.ctx!.inputs.map((i) => ({
        kind: i.kind,
        content: i.content,
        ...(i.label ? { label: i.label } : {}),
      })),
      now: () => env.deps.clock.now(),
    },
  );
  return {
    type: "output",
    output: result.output,
    notes: [
      {
        type: "tool.called",
        actor: "engine",
        data: { task_id: task.id, tool: task.spec.tool, args: task.spec.args ?? {} },
      },
    ],
  };
}
