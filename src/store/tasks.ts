// Plans and their tasks. A replan adds a plan of the next generation; old tasks stay for history.
import type { AgentId, PlanId, TaskId, WorkroomId } from "../domain/ids.js";
import type { TaskStatus, TaskType, ValidTask } from "../domain/plan.js";
import type { Task, TaskSpec, Workroom } from "../domain/types.js";
import type { TaskTable } from "./schema.js";
import { json, parseJson, type Exec } from "./exec.js";
import { newId } from "./ids.js";
import { precompiled, precompiledInsert } from "./prepared.js";
import type { RememberedTasks } from "./room-memory.js";

/**
 * Forgets what is known of tasks: in an engine unit, what the unit read (`Exec.unitCache`); outside
 * one, what the store remembers between units (`Exec.memory`). Every write of this module that
 * does not apply itself to what the unit read (`patched`) calls it first.
 */
const written = (ex: Exec): void => {
  if (ex.unitCache) ex.unitCache.clear();
  else ex.memory?.forgetTasks();
};

/**
 * Notes that the transaction of `ex` writes the tasks of `room`: it must append to the room's
 * history too (SPEC: every task start, finish and change is an event), which is what lets other
 * processes tell that what they remember of the room is stale (room-memory.ts). The engine's
 * transactions check it before they commit (`engine/tx.ts`).
 */
const writes = (ex: Exec, room: Pick<Workroom, "id">): void => {
  (ex.tasksWrittenOf ??= new Set()).add(room.id);
};

const TASKS_KEY = "tasks:";
const tasksKey = (roomId: string, generation: number) => `${TASKS_KEY}${roomId}:${generation}`;

/** Applies a write of one task to what the engine unit read of its room's tasks, if it read them. */
function patched(ex: Exec, taskId: string, patch: (t: Task) => void): void {
  if (!ex.unitCache) return written(ex);
  for (const [key, value] of ex.unitCache)
    if (key.startsWith(TASKS_KEY)) {
      const task = (value as Task[]).find((t) => t.id === taskId);
      if (task) patch(task);
    }
}

/**
 * In an engine unit, where `room` was just read and locked: starts the unit with the tasks the
 * room's last unit left (room-memory.ts), if its history has not moved since.
 */
export function recallTasks(
  ex: Exec,
  room: Pick<Workroom, "id" | "generation" | "eventSeq">,
): void {
  const tasks = ex.unitCache && ex.memory?.takeTasks(room.id, room.eventSeq, room.generation);
  if (tasks) ex.unitCache!.set(tasksKey(room.id, room.generation), tasks);
}

/**
 * In an engine unit that left the room at history position `seq`: its tasks as the unit read
 * and wrote them, to remember once the unit has committed (undefined: nothing to remember).
 */
export function tasksToRemember(
  ex: Exec,
  roomId: string,
  seq: number,
): RememberedTasks | undefined {
  const prefix = `${TASKS_KEY}${roomId}:`;
  for (const [key, value] of ex.unitCache ?? [])
    if (key.startsWith(prefix))
      return { roomId, seq, generation: Number(key.slice(prefix.length)), tasks: value as Task[] };
  return undefined;
}

export function toTask(r: TaskTable): Task {
  return {
    id: r.id as TaskId,
    workroomId: r.workroom_id as WorkroomId,
    planId: r.plan_id as PlanId,
    generation: r.generation,
    ordinal: r.ordinal,
    title: r.title,
    description: r.description,
    type: r.type as TaskType,
    agentId: r.agent_id as AgentId | null,
    dependsOn: parseJson(r.depends_on),
    estimatedSeconds: r.estimated_seconds,
    spec: parseJson(r.spec),
    status: r.status as TaskStatus,
    output: r.output,
    error: r.error,
    run: r.run,
    credits: r.credits,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  };
}

function specOf(t: ValidTask): TaskSpec {
  const spec: TaskSpec = {};
  if (t.tool !== undefined) spec.tool = t.tool;
  if (t.args !== undefined) spec.args = t.args;
  if (t.question !== undefined) spec.question = t.question;
  if (t.wait_seconds !== undefined) spec.waitSeconds = t.wait_seconds;
  if (t.wait_until !== undefined) spec.waitUntil = t.wait_until;
  return spec;
}

/** Stores a validated plan for the room's current generation with all tasks pending. */
export async function insertPlan(
  ex: Exec,
  room: Workroom,
  summary: string,
  tasks: readonly ValidTask[],
  now: Date,
): Promise<{ planId: PlanId; tasks: Task[] }> {
  writes(ex, room);
  written(ex);
  const planId = newId<PlanId>("plan");
  await INSERT_PLAN(ex, [
    {
      id: planId,
      workspace_id: room.workspaceId,
      workroom_id: room.id,
      generation: room.generation,
      summary: ex.seal(room.workspaceId, summary),
      created_at: now.getTime(),
    },
  ]);
  const rows: TaskTable[] = tasks.map((t) => ({
    id: newId("task"),
    workspace_id: room.workspaceId,
    workroom_id: room.id,
    plan_id: planId,
    generation: room.generation,
    ordinal: t.ordinal,
    title: t.title,
    description: t.description,
    type: t.type,
    agent_id: t.agentId,
    depends_on: json(t.depends_on),
    estimated_seconds: t.estimated_seconds,
    spec: json(specOf(t)),
    status: "pending",
    output: null,
    error: null,
    run: 0,
    credits: 0,
    started_at: null,
    finished_at: null,
  }));
  // The plan quotes the inputs: its text is sealed; the returned tasks keep the plain text.
  const sealed = rows.map((r) => ({
    ...r,
    title: ex.seal(room.workspaceId, r.title),
    description: ex.seal(room.workspaceId, r.description),
    spec: ex.seal(room.workspaceId, r.spec),
  }));
  await INSERT_TASKS(ex, sealed);
  return { planId, tasks: rows.map(toTask) };
}

const INSERT_PLAN = precompiledInsert("plans", [
  "id",
  "workspace_id",
  "workroom_id",
  "generation",
  "summary",
  "created_at",
]);
const INSERT_TASKS = precompiledInsert("tasks", [
  "id",
  "workspace_id",
  "workroom_id",
  "plan_id",
  "generation",
  "ordinal",
  "title",
  "description",
  "type",
  "agent_id",
  "depends_on",
  "estimated_seconds",
  "spec",
  "status",
  "output",
  "error",
  "run",
  "credits",
  "started_at",
  "finished_at",
]);

/** The room's tasks: of one plan generation (the current plan), or of every plan so far. */
export async function listTasks(
  ex: Exec,
  room: Pick<Workroom, "id" | "workspaceId">,
  generation?: number,
): Promise<Task[]> {
  const key = generation === undefined ? undefined : tasksKey(room.id, generation);
  const hit = key && (ex.unitCache?.get(key) as Task[] | undefined);
  if (hit) return hit.map((t) => ({ ...t }));
  const { rows } =
    generation === undefined
      ? await ALL_TASKS.execute(ex, { roomId: room.id, workspaceId: room.workspaceId })
      : await PLAN_TASKS.execute(ex, {
          roomId: room.id,
          workspaceId: room.workspaceId,
          generation,
        });
  const tasks = rows.map(toTask);
  if (key)
    ex.unitCache?.set(
      key,
      tasks.map((t) => ({ ...t })),
    );
  return tasks;
}

const ALL_TASKS = precompiled((db, s) =>
  db
    .selectFrom("tasks")
    .selectAll()
    .where("workroom_id", "=", s.text("roomId"))
    .where("workspace_id", "=", s.text("workspaceId"))
    .orderBy("generation")
    .orderBy("ordinal"),
);
const PLAN_TASKS = precompiled((db, s) =>
  db
    .selectFrom("tasks")
    .selectAll()
    .where("workroom_id", "=", s.text("roomId"))
    .where("workspace_id", "=", s.text("workspaceId"))
    .where("generation", "=", s.number("generation"))
    .orderBy("ordinal"),
);

/** What scheduling reads of a task: no output or description (the large columns). */
export type TaskState = Pick<
  Task,
  | "id"
  | "ordinal"
  | "title"
  | "type"
  | "agentId"
  | "dependsOn"
  | "spec"
  | "status"
  | "error"
  | "run"
>;

/** The states of one plan generation's tasks, for moving a room on after each step. */
export async function listTaskStates(
  ex: Exec,
  room: Pick<Workroom, "id" | "workspaceId">,
  generation: number,
): Promise<TaskState[]> {
  // In an engine unit, the begin that follows reads the whole tasks: one read serves both.
  if (ex.unitCache) return listTasks(ex, room, generation);
  const { rows } = await TASK_STATES.execute(ex, {
    roomId: room.id,
    workspaceId: room.workspaceId,
    generation,
  });
  return rows.map((r) => ({
    id: r.id as TaskId,
    ordinal: r.ordinal,
    title: r.title,
    type: r.type as TaskType,
    agentId: r.agent_id as AgentId | null,
    dependsOn: parseJson(r.depends_on),
    spec: parseJson(r.spec),
    status: r.status as TaskStatus,
    error: r.error,
    run: r.run,
  }));
}

const TASK_STATES = precompiled((db, s) =>
  db
    .selectFrom("tasks")
    .select([
      "id",
      "ordinal",
      "title",
      "type",
      "agent_id",
      "depends_on",
      "spec",
      "status",
      "error",
      "run",
    ])
    .where("workroom_id", "=", s.text("roomId"))
    .where("workspace_id", "=", s.text("workspaceId"))
    .where("generation", "=", s.number("generation"))
    .orderBy("ordinal"),
);

/** How many distinct agents did agent work or tool calls in the room, over every plan so far. */
export async function countWorkingAgents(
  ex: Exec,
  room: Pick<Workroom, "id" | "workspaceId">,
): Promise<number> {
  const { rows } = await WORKING_AGENTS.execute(ex, {
    roomId: room.id,
    workspaceId: room.workspaceId,
  });
  return Number(rows[0]?.agents ?? 0);
}

const WORKING_AGENTS = precompiled((db, s) =>
  db
    .selectFrom("tasks")
    .select((eb) => eb.fn.count<number>("agent_id").distinct().as("agents"))
    .where("workroom_id", "=", s.text("roomId"))
    .where("workspace_id", "=", s.text("workspaceId"))
    .where("type", "in", ["agent_work", "tool_call"]),
);

export async function findTask(
  ex: Exec,
  room: Pick<Workroom, "id" | "workspaceId">,
  taskId: string,
): Promise<Task | undefined> {
  const r = await ex.db
    .selectFrom("tasks")
    .selectAll()
    .where("id", "=", taskId)
    .where("workroom_id", "=", room.id)
    .where("workspace_id", "=", room.workspaceId)
    .executeTakeFirst();
  return r && toTask(r);
}

export type TaskPatch = Partial<
  Pick<TaskTable, "status" | "output" | "error" | "run" | "started_at" | "finished_at">
> & {
  addCredits?: number;
};

/** Marks a task running (the begin of every task step). */
export async function markTaskRunning(
  ex: Exec,
  room: Pick<Workroom, "id">,
  taskId: string,
  at: number,
): Promise<void> {
  writes(ex, room);
  await MARK_RUNNING.execute(ex, { taskId, at });
  patched(ex, taskId, (t) => {
    t.status = "running";
    t.startedAt = at;
    t.error = null;
  });
}

const MARK_RUNNING = precompiled((db, s) =>
  db
    .updateTable("tasks")
    .set({ status: "running", started_at: s.number("at"), error: null })
    .where("id", "=", s.text("taskId")),
);

/** Stores a task's output, sealed for the room's workspace (the commit of every successful task
 *  step). */
export async function markTaskSucceeded(
  ex: Exec,
  room: Pick<Workroom, "id" | "workspaceId">,
  taskId: string,
  output: string,
  at: number,
  credits: number,
): Promise<void> {
  writes(ex, room);
  const sealed = ex.seal(room.workspaceId, output);
  await MARK_SUCCEEDED.execute(ex, { taskId, output: sealed, at, credits });
  patched(ex, taskId, (t) => {
    t.status = "succeeded";
    t.output = output;
    t.finishedAt = at;
    t.credits += credits;
  });
}

const MARK_SUCCEEDED = precompiled((db, s) =>
  db
    .updateTable("tasks")
    .set((eb) => ({
      status: "succeeded",
      output: s.text("output"),
      finished_at: s.number("at"),
      credits: eb("credits", "+", s.number("credits")),
    }))
    .where("id", "=", s.text("taskId")),
);

export async function updateTask(
  ex: Exec,
  room: Pick<Workroom, "id">,
  taskId: string,
  patch: TaskPatch,
): Promise<void> {
  writes(ex, room);
  const { addCredits, ...set } = patch;
  // An output is written sealed: what the unit read holds it opened, so it is read again.
  if (set.output !== undefined) written(ex);
  await ex.db
    .updateTable("tasks")
    .set((eb) => ({ ...set, ...(addCredits ? { credits: eb("credits", "+", addCredits) } : {}) }))
    .where("id", "=", taskId)
    .execute();
  if (set.output === undefined)
    patched(ex, taskId, (t) => {
      if (set.status !== undefined) t.status = set.status as TaskStatus;
      if (set.error !== undefined) t.error = set.error;
      if (set.run !== undefined) t.run = set.run;
      if (set.started_at !== undefined) t.startedAt = set.started_at;
      if (set.finished_at !== undefined) t.finishedAt = set.finished_at;
      if (addCredits) t.credits += addCredits;
    });
}

/** Queues a task to run once more with a reviewer's feedback (a rejected approval's tasks). */
export async function rerunWithFeedback(
  ex: Exec,
  room: Pick<Workroom, "id" | "workspaceId">,
  task: Task,
  feedback: string,
): Promise<void> {
  writes(ex, room);
  written(ex);
  await ex.db
    .updateTable("tasks")
    .set({
      status: "pending",
      run: task.run + 1,
      output: null,
      spec: ex.seal(room.workspaceId, json({ ...task.spec, feedback })),
    })
    .where("id", "=", task.id)
    .execute();
}

const OPEN = ["pending", "running", "waiting"] as const;

/** Marks the room's open tasks discarded, and its failed ones unless `keepFailed` (a replan
 *  discards them, a cancel does not). Returns how many. */
export async function discardUnfinished(
  ex: Exec,
  room: Workroom,
  now: Date,
  keepFailed: boolean,
): Promise<number> {
  writes(ex, room);
  written(ex);
  const r = await ex.db
    .updateTable("tasks")
    .set({ status: "discarded", finished_at: now.getTime() })
    .where("workroom_id", "=", room.id)
    .where("workspace_id", "=", room.workspaceId)
    .where("status", "in", keepFailed ? OPEN : [...OPEN, "failed"])
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}
