// Workrooms, their inputs and attached agents (drafts: drafts.ts). Every query is scoped by
// workspace.
import type { WorkroomId, WorkspaceId } from "../domain/ids.js";
import type { InputBlock, InputKind } from "../domain/inputs.js";
import type { Input, Workroom } from "../domain/types.js";
import {
  newLifecycle,
  type Lifecycle,
  type PauseReason,
  type RunningState,
  type WorkroomState,
} from "../domain/workroom.js";
import type { WorkroomTable } from "./schema.js";
import { json, parseJson, type Exec } from "./exec.js";
import { newId } from "./ids.js";
import { precompiled, precompiledInsert } from "./prepared.js";

export function toWorkroom(r: WorkroomTable): Workroom {
  return {
    id: r.id as WorkroomId,
    workspaceId: r.workspace_id as WorkspaceId,
    title: r.title,
    client: r.client,
    goal: r.goal,
    deliverables: parseJson(r.deliverables),
    deadline: r.deadline,
    maxCredits: r.max_credits,
    pasteFlags: parseJson(r.paste_flags),
    styleOverride: r.style_override,
    reviewPlan: r.review_plan === 1,
    state: r.state as WorkroomState,
    pausedFrom: r.paused_from as RunningState | null,
    pauseReason: r.pause_reason as PauseReason | null,
    resumeAt: r.resume_at,
    failureReason: r.failure_reason,
    generation: r.generation,
    currentRound: r.current_round,
    finalRound: r.final_round,
    revisionInFlight: r.revision_in_flight === 1,
    creditsSpent: r.credits_spent,
    baseCredits: r.base_credits,
    hoursSaved: r.hours_saved,
    eventSeq: r.event_seq,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    completedAt: r.completed_at,
  };
}

export type NewWorkroom = Pick<
  Workroom,
  | "title"
  | "client"
  | "goal"
  | "deliverables"
  | "deadline"
  | "maxCredits"
  | "pasteFlags"
  | "styleOverride"
  | "reviewPlan"
  | "createdBy"
> & { agentIds: string[]; inputs: InputBlock[] };

export async function insertWorkroom(
  ex: Exec,
  workspaceId: WorkspaceId,
  w: NewWorkroom,
  now: Date,
): Promise<Workroom> {
  const at = now.getTime();
  const life = newLifecycle();
  const row: WorkroomTable = {
    id: newId("workroom"),
    workspace_id: workspaceId,
    title: w.title,
    client: w.client,
    goal: w.goal,
    deliverables: json(w.deliverables),
    deadline: w.deadline,
    max_credits: w.maxCredits,
    paste_flags: json(w.pasteFlags),
    style_override: w.styleOverride,
    review_plan: w.reviewPlan ? 1 : 0,
    state: life.state,
    paused_from: null,
    pause_reason: null,
    resume_at: null,
    failure_reason: null,
    generation: life.generation,
    current_round: 0,
    final_round: 0,
    revision_in_flight: 0,
    credits_spent: 0,
    base_credits: 0,
    hours_saved: null,
    event_seq: 0,
    created_by: w.createdBy,
    created_at: at,
    updated_at: at,
    completed_at: null,
  };
  // A style override may quote a sample: sealed; the returned room keeps the plain text.
  await INSERT_ROOM(ex, [{ ...row, style_override: ex.seal(workspaceId, row.style_override) }]);
  await INSERT_ROOM_AGENTS(
    ex,
    w.agentIds.map((agent_id) => ({ workroom_id: row.id, agent_id, workspace_id: workspaceId })),
  );
  await INSERT_INPUTS(
    ex,
    w.inputs.map((b, position) => ({
      id: newId("input"),
      workspace_id: workspaceId,
      workroom_id: row.id,
      position,
      kind: b.kind,
      label: ex.seal(workspaceId, b.label ?? null),
      content: ex.seal(workspaceId, b.content),
      bytes: Buffer.byteLength(b.content, "utf8"),
    })),
  );
  return toWorkroom(row);
}

// `resume_at` is left to its column (null): a new room is not paused.
const INSERT_ROOM = precompiledInsert("workrooms", [
  "id",
  "workspace_id",
  "title",
  "client",
  "goal",
  "deliverables",
  "deadline",
  "max_credits",
  "paste_flags",
  "style_override",
  "review_plan",
  "state",
  "paused_from",
  "pause_reason",
  "failure_reason",
  "generation",
  "current_round",
  "final_round",
  "revision_in_flight",
  "credits_spent",
  "base_credits",
  "hours_saved",
  "event_seq",
  "created_by",
  "created_at",
  "updated_at",
  "completed_at",
]);
const INSERT_ROOM_AGENTS = precompiledInsert("workroom_agents", [
  "workroom_id",
  "agent_id",
  "workspace_id",
]);
const INSERT_INPUTS = precompiledInsert("inputs", [
  "id",
  "workspace_id",
  "workroom_id",
  "position",
  "kind",
  "label",
  "content",
  "bytes",
]);

/** The room, or undefined when it does not exist in this workspace. `lock` takes the per-room
 *  row lock on PostgreSQL (SQLite transactions are already exclusive). */
export async function findWorkroom(
  ex: Exec,
  workspaceId: WorkspaceId,
  id: string,
  opts: { lock?: boolean } = {},
): Promise<Workroom | undefined> {
  const q = opts.lock ? FIND_LOCKED : FIND;
  const r = (await q.execute(ex, { id, workspaceId })).rows[0];
  return r && toWorkroom(r);
}

const findRoom = (lock: boolean) =>
  precompiled((db, s, dialect) => {
    const q = db
      .selectFrom("workrooms")
      .selectAll()
      .where("id", "=", s.text("id"))
      .where("workspace_id", "=", s.text("workspaceId"));
    return lock && dialect === "postgres" ? q.forUpdate() : q;
  });
const FIND = findRoom(false);
const FIND_LOCKED = findRoom(true);

export async function listWorkrooms(ex: Exec, workspaceId: WorkspaceId): Promise<Workroom[]> {
  const rows = await ex.db
    .selectFrom("workrooms")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .orderBy("created_at", "desc")
    .execute();
  return rows.map(toWorkroom);
}

/** Stores a lifecycle produced by `transition`. */
export async function saveLifecycle(
  ex: Exec,
  room: Workroom,
  life: Lifecycle,
  now: Date,
): Promise<void> {
  await SAVE_LIFECYCLE.execute(ex, {
    state: life.state,
    pausedFrom: life.pausedFrom,
    pauseReason: life.pauseReason,
    resumeAt: life.resumeAt,
    failureReason: life.failureReason,
    generation: life.generation,
    currentRound: life.currentRound,
    finalRound: life.finalRound,
    revisionInFlight: life.revisionInFlight ? 1 : 0,
    at: now.getTime(),
    // The first completion is kept: a later one (after a revision) leaves it as it was.
    completedAt:
      life.state === "completed" && room.completedAt === null ? now.getTime() : room.completedAt,
    id: room.id,
    workspaceId: room.workspaceId,
  });
}

const SAVE_LIFECYCLE = precompiled((db, s) =>
  db
    .updateTable("workrooms")
    .set({
      state: s.text("state"),
      paused_from: s.nullableText("pausedFrom"),
      pause_reason: s.nullableText("pauseReason"),
      resume_at: s.nullableNumber("resumeAt"),
      failure_reason: s.nullableText("failureReason"),
      generation: s.number("generation"),
      current_round: s.number("currentRound"),
      final_round: s.number("finalRound"),
      revision_in_flight: s.number("revisionInFlight"),
      updated_at: s.number("at"),
      completed_at: s.nullableNumber("completedAt"),
    })
    .where("id", "=", s.text("id"))
    .where("workspace_id", "=", s.text("workspaceId")),
);

/** Stores the room's estimated hours saved (a round was composed). */
export async function saveHoursSaved(
  ex: Exec,
  room: Pick<Workroom, "id" | "workspaceId">,
  hours: number,
): Promise<void> {
  await SAVE_HOURS.execute(ex, { hours, id: room.id, workspaceId: room.workspaceId });
}

const SAVE_HOURS = precompiled((db, s) =>
  db
    .updateTable("workrooms")
    .set({ hours_saved: s.number("hours") })
    .where("id", "=", s.text("id"))
    .where("workspace_id", "=", s.text("workspaceId")),
);

const LIST_INPUTS = precompiled((db, s) =>
  db
    .selectFrom("inputs")
    .select(["id", "workspace_id", "kind", "label", "content"])
    .where("workroom_id", "=", s.text("roomId"))
    .where("workspace_id", "=", s.text("workspaceId"))
    .orderBy("position"),
);

export async function listInputs(
  ex: Exec,
  workspaceId: WorkspaceId,
  roomId: string,
): Promise<Input[]> {
  // An engine unit reads the inputs of the room it runs every step: they are remembered (they
  // never change). Copies go out: a snapshot redacts them in place.
  const memory = ex.unitCache && ex.memory;
  const known = memory && memory.inputsOf(workspaceId, roomId);
  if (known) return known.map((i) => ({ ...i }));
  const { rows } = await LIST_INPUTS.execute(ex, { roomId, workspaceId });
  const inputs: Input[] = rows.map((r) => ({
    id: r.id,
    kind: r.kind as InputKind,
    label: r.label,
    content: r.content,
  }));
  if (memory)
    memory.rememberInputs(
      workspaceId,
      roomId,
      inputs.map((i) => ({ ...i })),
    );
  return inputs;
}

export async function roomAgentIds(
  ex: Exec,
  workspaceId: WorkspaceId,
  roomId: string,
): Promise<string[]> {
  const rows = await ex.db
    .selectFrom("workroom_agents")
    .select("agent_id")
    .where("workroom_id", "=", roomId)
    .where("workspace_id", "=", workspaceId)
    .execute();
  return rows.map((r) => r.agent_id);
}
