// The plan of SPEC 2.2: the schema the Planner must fill, its validation against the room (DAG over
// earlier ordinals, one composition task and it is last, agents attached, tools granted), and
// readiness (which tasks may start now).
import { z } from "zod";

export const TASK_TYPES = [
  "agent_work",
  "tool_call",
  "approval",
  "user_input",
  "wait",
  "composition",
] as const;
export type TaskType = (typeof TASK_TYPES)[number];

export const TASK_STATUSES = [
  "pending", // waiting for its dependencies or a worker
  "running", // a worker holds its step
  "waiting", // approval, user_input or wait: waiting for a person or the clock
  "succeeded",
  "failed",
  "discarded", // dropped by a replan or a cancel
  "skipped",
] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** One task as the Planner writes it. `agent` is an attached agent's id or exact name. */
/** What an approval task keeps as its output: the approval and the approver's note, if any. Who
 *  approved is in the history, never here: the output is the Composer's to read. */
export const approvalOutput = (note?: string | null): string =>
  note ? `Approved, with this note: ${note}` : "Approved.";

export const PlannedTaskSchema = z.object({
  ordinal: z.number().int().min(1).describe("1-based execution order"),
  title: z.string().min(1).max(200),
  description: z.string().max(4000).default(""),
  type: z.enum(TASK_TYPES),
  agent: z.string().min(1).optional().describe("id or name of an attached agent"),
  depends_on: z.array(z.number().int().min(1)).default([]).describe("ordinals of earlier tasks"),
  estimated_seconds: z.number().int().min(0).max(86_400).default(60),
  tool: z.string().min(1).optional().describe("tool_call only: the tool to run"),
  args: z
    .record(z.string(), z.unknown())
    .optional()
    .describe("tool_call only: the tool's arguments"),
  question: z.string().min(1).max(2000).optional().describe("user_input only"),
  wait_seconds: z
    .number()
    .int()
    .min(1)
    .max(90 * 86_400)
    .optional()
    .describe("wait only: a duration"),
  wait_until: z.iso.datetime().optional().describe("wait only: an ISO time"),
});
export type PlannedTask = z.infer<typeof PlannedTaskSchema>;

export const PlanSchema = z.object({
  summary: z.string().max(2000).default(""),
  tasks: z.array(PlannedTaskSchema).min(1).max(50),
});
export type Plan = z.infer<typeof PlanSchema>;

/** What validation needs to know about the room's agents. */
export interface PlanAgent {
  id: string;
  name: string;
  botType: "planner" | "composer" | "custom";
  toolGrants: readonly string[];
}

/** A validated task: the agent resolved to an id, dependencies checked. */
export interface ValidTask extends Omit<PlannedTask, "agent"> {
  agentId: string | null;
}

const NEEDS_AGENT: ReadonlySet<TaskType> = new Set(["agent_work", "tool_call", "composition"]);

/**
 * Validates a plan against the room's attached agents. Returns every problem at once, worded for
 * the Planner to fix on its retry.
 */
export function validatePlan(
  plan: Plan,
  agents: readonly PlanAgent[],
): { ok: true; tasks: ValidTask[] } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  const tasks = plan.tasks;
  tasks.forEach((t, i) => {
    if (t.ordinal !== i + 1)
      errors.push(`task ${i + 1}: ordinal is ${t.ordinal}; ordinals must be 1, 2, 3 … in order`);
  });
  const compositions = tasks.filter((t) => t.type === "composition");
  if (compositions.length !== 1)
    errors.push(`the plan must have exactly one composition task; it has ${compositions.length}`);
  if (tasks.length > 0 && tasks[tasks.length - 1]!.type !== "composition")
    errors.push("the composition task must be the last task");

  const byKey = new Map<string, PlanAgent>();
  for (const a of agents) {
    byKey.set(a.id, a);
    byKey.set(a.name.toLowerCase(), a);
  }
  const valid: ValidTask[] = [];
  for (const t of tasks) {
    const at = `task ${t.ordinal} (${t.title})`;
    const seen = new Set<number>();
    for (const d of t.depends_on) {
      if (d >= t.ordinal)
        errors.push(`${at}: depends on ${d}; a task may depend only on earlier tasks`);
      if (seen.has(d)) errors.push(`${at}: depends on ${d} twice`);
      seen.add(d);
    }
    const agent =
      t.agent === undefined ? undefined : (byKey.get(t.agent) ?? byKey.get(t.agent.toLowerCase()));
    if (t.agent !== undefined && agent === undefined)
      errors.push(`${at}: agent "${t.agent}" is not attached to this workroom`);
    if (t.agent === undefined && NEEDS_AGENT.has(t.type))
      errors.push(`${at}: a ${t.type} task needs an agent`);
    if (t.type === "composition" && agent !== undefined && agent.botType !== "composer")
      errors.push(`${at}: the composition task must be assigned to the Composer`);
    if (t.type === "tool_call") {
      if (t.tool === undefined) errors.push(`${at}: a tool_call task must name its tool`);
      else if (agent !== undefined && !agent.toolGrants.includes(t.tool))
        errors.push(`${at}: tool "${t.tool}" is not granted to agent "${agent.name}"`);
    } else if (t.tool !== undefined) errors.push(`${at}: only tool_call tasks may name a tool`);
    if (t.type === "user_input" && t.question === undefined)
      errors.push(`${at}: a user_input task needs a question`);
    if (t.type === "wait" && (t.wait_seconds === undefined) === (t.wait_until === undefined))
      errors.push(`${at}: a wait task needs exactly one of wait_seconds or wait_until`);
    if (t.type === "approval" && t.depends_on.length === 0)
      errors.push(`${at}: an approval task must depend on the tasks whose output it approves`);
    const { agent: _agent, ...rest } = t;
    valid.push({ ...rest, agentId: agent?.id ?? null });
  }
  // The composition task depends on everything before it, whatever the Planner wrote: the
  // Composer writes from all outputs.
  const last = valid[valid.length - 1];
  if (errors.length === 0 && last !== undefined)
    last.depends_on = valid.slice(0, -1).map((t) => t.ordinal);
  return errors.length === 0 ? { ok: true, tasks: valid } : { ok: false, errors };
}

/** The part of a task that readiness looks at. */
export interface TaskNode {
  ordinal: number;
  status: TaskStatus;
  dependsOn: readonly number[];
}

const DONE: ReadonlySet<TaskStatus> = new Set(["succeeded", "skipped"]);
const LIVE: ReadonlySet<TaskStatus> = new Set([
  "pending",
  "running",
  "waiting",
  "succeeded",
  "skipped",
  "failed",
]);

/** The pending tasks whose dependencies have all succeeded (or were skipped). */
export function readyTasks<T extends TaskNode>(tasks: readonly T[]): T[] {
  const status = new Map(tasks.map((t) => [t.ordinal, t.status]));
  return tasks.filter(
    (t) =>
      t.status === "pending" && t.dependsOn.every((d) => DONE.has(status.get(d) ?? "discarded")),
  );
}

/** Where a plan's execution stands, derived from its task statuses. */
export type Progress =
  | { kind: "running" } // some task is pending, running or waiting
  | { kind: "ready_to_compose" } // every task but the composition task is done
  | { kind: "done" } // the composition task succeeded
  | { kind: "failed"; ordinal: number }; // a task failed: the room cannot finish

export function progressOf(tasks: readonly TaskNode[]): Progress {
  const live = tasks.filter((t) => LIVE.has(t.status));
  const failed = live.find((t) => t.status === "failed");
  if (failed !== undefined) return { kind: "failed", ordinal: failed.ordinal };
  const last = live[live.length - 1];
  if (last !== undefined && DONE.has(last.status)) return { kind: "done" };
  if (live.slice(0, -1).every((t) => DONE.has(t.status))) return { kind: "ready_to_compose" };
  return { kind: "running" };
}

/** The longest chain of estimated seconds through the plan: what a person waits at best. */
export function criticalPathSeconds(tasks: readonly ValidTask[]): number {
  const finish = new Map<number, number>();
  for (const t of tasks) {
    const start = Math.max(0, ...t.depends_on.map((d) => finish.get(d) ?? 0));
    finish.set(t.ordinal, start + t.estimated_seconds);
  }
  return Math.max(0, ...finish.values());
}
