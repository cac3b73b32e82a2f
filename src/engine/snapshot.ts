// Loads what agents see of a room, limited by each agent's context grants.
import type { ComposeContext, RoomSnapshot, TaskContext, TaskOutput } from "../agents/snapshot.js";
import { effectiveStyle } from "../domain/style.js";
import { redactPii } from "../domain/redact.js";
import type { Agent, Input, Task, Workroom, Workspace } from "../domain/types.js";
import { approvalOutput } from "../domain/plan.js";
import { listTasks } from "../store/tasks.js";
import { listInputs } from "../store/workrooms.js";
import { roomAgents } from "../store/workspaces.js";
import type { Exec } from "../store/exec.js";
import { StepSetupError } from "./steps/types.js";

const outputOf = (t: Task, agents: readonly Agent[]): TaskOutput => ({
  ordinal: t.ordinal,
  title: t.title,
  agentName: agents.find((a) => a.id === t.agentId)?.name ?? null,
  output: t.output ?? "",
});

/**
 * What a step's agents see of the room, in the unit where `workspace` was read. Earlier plans'
 * outputs are loaded only for the Planner and the Composer (`withEarlier`).
 */
export async function loadSnapshot(
  ex: Exec,
  room: Workroom,
  workspace: Pick<Workspace, "agentsVersion">,
  opts: { withEarlier?: boolean } = {},
): Promise<RoomSnapshot> {
  const [inputs, agents, allTasks] = await Promise.all([
    listInputs(ex, room.workspaceId, room.id),
    roomAgents(ex, room.workspaceId, room.id, workspace.agentsVersion),
    listTasks(ex, room, opts.withEarlier ? undefined : room.generation),
  ]);
  const tasks = allTasks.filter((t) => t.generation === room.generation);
  // redact_pii: masked here, before any prompt is built from the inputs (their labels are in the
  // prompt too: `<input label="From jane@…">`).
  if (room.pasteFlags.redact_pii)
    for (const input of inputs) {
      input.content = redactPii(input.content).text;
      if (input.label) input.label = redactPii(input.label).text;
    }
  const completedEarlier = allTasks
    .filter(
      (t) =>
        t.generation !== room.generation && t.status === "succeeded" && t.type !== "composition",
    )
    .map((t) => outputOf(t, agents));
  return { room, inputs, agents, tasks, completedEarlier };
}

function grantedInputs(inputs: readonly Input[], agent: Agent): Input[] {
  const kinds = agent.contextGrants.input_kinds;
  return kinds === "all" ? [...inputs] : inputs.filter((i) => kinds.includes(i.kind));
}

function grantedOutputs(s: RoomSnapshot, agent: Agent, task: Task): TaskOutput[] {
  const done = s.tasks.filter((t) => t.status === "succeeded" && t.ordinal < task.ordinal);
  switch (agent.contextGrants.task_outputs) {
    case "none":
      return [];
    case "all":
      return done.map((t) => outputOf(t, s.agents));
    case "dependencies":
      return done
        .filter((t) => task.dependsOn.includes(t.ordinal))
        .map((t) => outputOf(t, s.agents));
  }
}

export function taskContext(s: RoomSnapshot, task: Task, feedback: string | null): TaskContext {
  const agent = s.agents.find((a) => a.id === task.agentId);
  if (!agent)
    throw new StepSetupError(
      `Task ${task.ordinal} names an agent that is no longer attached to the room; replan it.`,
    );
  return {
    ...s,
    inputs: grantedInputs(s.inputs, agent),
    task,
    agent,
    style: effectiveStyle(agent.styleRules, null, s.room.styleOverride),
    outputs: grantedOutputs(s, agent, task),
    feedback,
  };
}

/**
 * What the Composer writes from: the work a replan kept (earlier plans' completed tasks, unless
 * this plan did a task of the same title again), then this plan's completed tasks. (A Planner told
 * to build on the kept work plans only what is left; composing from this plan alone lost the rest.)
 */
export function composeContext(s: RoomSnapshot, composer: Agent): ComposeContext {
  const current = s.tasks
    .filter((t) => t.status === "succeeded" && t.type !== "composition")
    // An approval without a note tells the Composer nothing worth writing about.
    .filter((t) => t.type !== "approval" || t.output !== approvalOutput())
    .map((t) => outputOf(t, s.agents));
  const key = (o: TaskOutput) => o.title.trim().toLowerCase();
  // Of the same task done in several earlier plans, the latest.
  const seen = new Set(current.map(key));
  const kept: TaskOutput[] = [];
  for (const o of [...s.completedEarlier].reverse())
    if (!seen.has(key(o))) {
      seen.add(key(o));
      kept.unshift(o);
    }
  return {
    ...s,
    composer,
    style: effectiveStyle(composer.styleRules, null, s.room.styleOverride),
    outputs: [...kept, ...current],
  };
}

/** How many values redact_pii masks in the room's inputs (for the history: counts, never values). */
export async function redactionCounts(ex: Exec, room: Workroom): Promise<Record<string, number>> {
  const totals: Record<string, number> = { email: 0, phone: 0, card: 0, iban: 0 };
  for (const input of await listInputs(ex, room.workspaceId, room.id))
    for (const text of [input.content, input.label ?? ""])
      for (const [k, v] of Object.entries(redactPii(text).counts)) totals[k] = (totals[k] ?? 0) + v;
  return totals;
}
