// Workroom use cases: create, start, control (pause, resume, replan, cancel), read.
import { DomainError } from "../domain/errors.js";
import type { WorkroomId } from "../domain/ids.js";
import { checkInputLimits, inferGoal } from "../domain/inputs.js";
import {
  CreateWorkroomSchema,
  describeIssues,
  type CreateWorkroomRequest,
} from "../domain/requests.js";
import type { Draft, HistoryEvent, Task, Workroom } from "../domain/types.js";
import type { UserCommand } from "../domain/workroom.js";
import { applyCommand } from "../engine/lifecycle.js";
import { poolExec } from "../engine/deps.js";
import { withTx, type Tx } from "../engine/tx.js";
import { listEvents } from "../store/events.js";
import { listTasks } from "../store/tasks.js";
import { findWorkroom, insertWorkroom, listDrafts, listWorkrooms } from "../store/workrooms.js";
import { listAgents } from "../store/workspaces.js";
import { authorize, type Actor, type AppDeps } from "./context.js";
import { record } from "../engine/history.js";

/** Creates a draft workroom; refuses bad or over-limit input without storing anything. */
export async function createWorkroom(
  deps: AppDeps,
  actor: Actor,
  request: CreateWorkroomRequest,
): Promise<Workroom> {
  authorize(actor, "workroom.write");
  const parsed = CreateWorkroomSchema.safeParse(request);
  if (!parsed.success)
    throw new DomainError(
      "invalid_input",
      `The workroom is invalid: ${describeIssues(parsed.error)}`,
    );
  const r = parsed.data;
  const limits = checkInputLimits(r.inputs);
  if (!limits.ok) throw limits.error;
  return withTx(deps, async (tx) => {
    const agents = await listAgents(tx.ex, actor.workspaceId);
    const unknown = r.agent_ids.filter(
      (id) => !agents.some((a) => a.id === id && a.botType === "custom"),
    );
    if (unknown.length)
      throw new DomainError(
        "not_found",
        `No custom agent ${unknown.join(", ")} in this workspace.`,
      );
    const system = agents.filter((a) => a.botType !== "custom").map((a) => a.id);
    const room = await insertWorkroom(
      tx.ex,
      actor.workspaceId,
      {
        title: r.title,
        client: r.client ?? null,
        goal: r.goal || inferGoal(r.inputs.map((i) => i.kind)),
        deliverables: r.deliverables,
        deadline: r.deadline ?? null,
        maxCredits: r.max_credits ?? null,
        pasteFlags: r.paste_flags,
        styleOverride: r.style_override ?? null,
        reviewPlan: r.review_plan,
        agentIds: [...system, ...new Set(r.agent_ids)],
        inputs: r.inputs,
        createdBy: actor.id,
      },
      tx.now,
    );
    record(tx, room, [
      {
        type: "workroom.created",
        actor: actor.id,
        data: {
          title: room.title,
          inputs: r.inputs.map((i) => ({ kind: i.kind, label: i.label ?? null })),
          bytes: limits.value.totalBytes,
        },
      },
    ]);
    return room;
  });
}

/** Loads and locks a room of the actor's workspace, or refuses with not_found (never another workspace's). */
async function lockRoom(tx: Tx, actor: Actor, id: string): Promise<Workroom> {
  const room = await findWorkroom(tx.ex, actor.workspaceId, id, { lock: true });
  if (!room) throw new DomainError("not_found", `No workroom ${id} in this workspace.`);
  return room;
}

/** Runs a lifecycle command from a person; an illegal one is refused and changes nothing. */
export async function control(
  deps: AppDeps,
  actor: Actor,
  id: string,
  command: UserCommand,
): Promise<Workroom> {
  authorize(actor, "workroom.write");
  return withTx(deps, async (tx) => {
    const room = await lockRoom(tx, actor, id);
    const result = await applyCommand(tx, room, command, actor.id);
    if (!result.ok) throw result.error;
    return result.value;
  });
}

export const startWorkroom = (deps: AppDeps, actor: Actor, id: string) =>
  control(deps, actor, id, { type: "start" });

export interface WorkroomDetail {
  room: Workroom;
  tasks: Task[];
  drafts: Draft[];
}

export async function getWorkroom(
  deps: AppDeps,
  actor: Actor,
  id: string,
): Promise<WorkroomDetail> {
  authorize(actor, "workroom.read");
  const ex = poolExec(deps);
  const room = await findWorkroom(ex, actor.workspaceId, id);
  if (!room) throw new DomainError("not_found", `No workroom ${id} in this workspace.`);
  const [tasks, drafts] = await Promise.all([
    listTasks(ex, room, room.generation),
    listDrafts(ex, room.workspaceId, room.id),
  ]);
  return { room, tasks, drafts };
}

export async function workroomHistory(
  deps: AppDeps,
  actor: Actor,
  id: WorkroomId | string,
  afterSeq = 0,
): Promise<HistoryEvent[]> {
  authorize(actor, "workroom.read");
  const ex = poolExec(deps);
  const room = await findWorkroom(ex, actor.workspaceId, id);
  if (!room) throw new DomainError("not_found", `No workroom ${id} in this workspace.`);
  return listEvents(ex, room, { afterSeq });
}

export async function listRooms(deps: AppDeps, actor: Actor): Promise<Workroom[]> {
  authorize(actor, "workroom.read");
  return listWorkrooms(poolExec(deps), actor.workspaceId);
}

/** Raises (or lowers) a room's credit cap; a room paused on its budget can then be resumed. */
export async function setMaxCredits(
  deps: AppDeps,
  actor: Actor,
  id: string,
  maxCredits: number | null,
): Promise<Workroom> {
  authorize(actor, "workroom.write");
  if (maxCredits !== null && (!Number.isInteger(maxCredits) || maxCredits <= 0))
    throw new DomainError(
      "invalid_input",
      "max_credits must be a positive whole number, or null for no cap.",
    );
  return withTx(deps, async (tx) => {
    const room = await lockRoom(tx, actor, id);
    if (maxCredits !== null && maxCredits < room.creditsSpent)
      throw new DomainError(
        "invalid_input",
        `The room has already spent ${room.creditsSpent} credits; the cap cannot be lower.`,
      );
    await tx.ex.db
      .updateTable("workrooms")
      .set({ max_credits: maxCredits, updated_at: tx.now.getTime() })
      .where("id", "=", room.id)
      .execute();
    record(tx, room, [
      {
        type: "budget.cap_changed",
        actor: actor.id,
        data: { from: room.maxCredits, to: maxCredits },
      },
    ]);
    return { ...room, maxCredits };
  });
}
