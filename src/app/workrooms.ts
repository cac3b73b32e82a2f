// Workroom use cases: create, start, control (pause, resume, replan, cancel), read.
import { createHash } from "node:crypto";
import { DomainError, unwrap } from "../domain/errors.js";
import type { WorkroomId } from "../domain/ids.js";
import { checkInputLimits, inferGoal } from "../domain/inputs.js";
import { agentsForNewRoom } from "../domain/room-agents.js";
import {
  CreateWorkroomSchema,
  describeIssues,
  type CreateWorkroomRequest,
} from "../domain/requests.js";
import type { AgentId } from "../domain/ids.js";
import type { InputKind } from "../domain/inputs.js";
import type { BotType, Draft, HistoryEvent, Input, Task, Workroom } from "../domain/types.js";
import { checkCapChange, type UserCommand, type WorkroomState } from "../domain/workroom.js";
import { applyCommand } from "../engine/lifecycle.js";
import { poolExec, readTogether } from "../engine/deps.js";
import { withTx, type Tx } from "../engine/tx.js";
import { listEvents } from "../store/events.js";
import { listTasks } from "../store/tasks.js";
import { listDrafts } from "../store/drafts.js";
import { listDraftRounds, listInputSizes } from "../store/room-summary.js";
import { pageWorkrooms } from "../store/workroom-pages.js";
import { claimWorkroomRequest, settleWorkroomRequest } from "../store/workroom-requests.js";
import {
  findWorkroom,
  insertWorkroom,
  listInputs,
  listWorkrooms,
  roomAgentIds,
} from "../store/workrooms.js";
import { listAgents } from "../store/workspaces.js";
import { auditBy, authorize, type Actor, type AppDeps } from "./context.js";
import { record } from "../engine/history.js";
import { reservedCredits } from "../store/ledger.js";

/** Creates a draft workroom; refuses bad or over-limit input without storing anything. */
export async function createWorkroom(
  deps: AppDeps,
  actor: Actor,
  request: CreateWorkroomRequest,
): Promise<Workroom> {
  return (await createWorkroomOnce(deps, actor, request, undefined)).room;
}

/**
 * Creates a draft workroom once per idempotency key: the same request again within a day answers
 * the room the first one made (`replayed`), so a client retrying after a lost response does not
 * make two; the key with another request is refused with 409 and changes nothing. What makes it
 * the same request is `fingerprint`, by default a hash of the request itself (an upload's is its
 * form: app/uploads.ts).
 */
export async function createWorkroomOnce(
  deps: AppDeps,
  actor: Actor,
  request: CreateWorkroomRequest,
  key: string | undefined,
  fingerprint?: string,
): Promise<{ room: Workroom; replayed: boolean }> {
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
  const same = fingerprint ?? createHash("sha256").update(JSON.stringify(r)).digest("hex");
  return withTx(deps, async (tx) => {
    const earlier =
      key === undefined
        ? undefined
        : await claimWorkroomRequest(
            tx.ex,
            { workspaceId: actor.workspaceId, key, fingerprint: same },
            tx.now,
          );
    if (earlier) {
      const room =
        earlier.fingerprint === same && earlier.workroomId
          ? await findWorkroom(tx.ex, actor.workspaceId, earlier.workroomId)
          : undefined;
      if (!room)
        throw new DomainError(
          "conflict",
          "This idempotency key was used for another workroom request in the last day; use a new key for a new workroom.",
        );
      return { room, replayed: true };
    }
    const agents = agentsForNewRoom(await listAgents(tx.ex, actor.workspaceId), r.agent_ids);
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
        agentIds: agents.map((a) => a.id),
        inputs: r.inputs,
        createdBy: actor.id,
      },
      tx.now,
    );
    if (key !== undefined)
      await settleWorkroomRequest(tx.ex, {
        workspaceId: actor.workspaceId,
        key,
        workroomId: room.id,
      });
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
    await auditBy(tx, actor, "workroom.created", room.id);
    return { room, replayed: false };
  });
}

/** Loads and locks a room of the actor's workspace, or refuses with not_found (never another workspace's). */
async function lockRoom(tx: Tx, actor: Actor, id: string): Promise<Workroom> {
  const room = await findWorkroom(tx.ex, actor.workspaceId, id, { lock: true });
  if (!room) throw new DomainError("not_found", `No workroom ${id} in this workspace.`);
  return room;
}

/** How the audit log names a person's lifecycle command (SPEC 1: who did what to which room). */
const COMMAND_AUDIT: Record<UserCommand["type"], string> = {
  start: "workroom.started",
  pause: "workroom.paused",
  resume: "workroom.resumed",
  replan: "workroom.replanned",
  cancel: "workroom.cancelled",
  request_revision: "revision.requested",
};

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
    await auditBy(tx, actor, COMMAND_AUDIT[command.type], room.id);
    return result.value;
  });
}

export const startWorkroom = (deps: AppDeps, actor: Actor, id: string) =>
  control(deps, actor, id, { type: "start" });

export interface WorkroomDetail {
  room: Workroom;
  tasks: Task[];
  /** Every finished draft with its document; empty when asked for `{ drafts: false }`. */
  drafts: Draft[];
  /** The finished rounds, oldest first. */
  rounds: { round: number; createdAt: number }[];
  /** The paste blocks without their text (what a listing shows). */
  inputs: { kind: InputKind; label: string | null; bytes: number }[];
  /** The agents attached to the room: Planner, Composer and any custom ones. */
  agents: { id: AgentId; name: string; botType: BotType }[];
}

export async function getWorkroom(
  deps: AppDeps,
  actor: Actor,
  id: string,
  opts: { drafts?: boolean } = {},
): Promise<WorkroomDetail> {
  authorize(actor, "workroom.read");
  // One snapshot: read apart, a commit between the room and its tasks could pair a room still
  // planning with the plan's tasks, and the page would show neither the plan nor its approval.
  const [room, tasks, drafts, rounds, inputs, attached, agents] = await readTogether(
    deps,
    async (ex) => {
      const room = await findWorkroom(ex, actor.workspaceId, id);
      if (!room) throw new DomainError("not_found", `No workroom ${id} in this workspace.`);
      return [
        room,
        await listTasks(ex, room, room.generation),
        opts.drafts === false ? [] : await listDrafts(ex, room.workspaceId, room.id),
        await listDraftRounds(ex, room),
        await listInputSizes(ex, room),
        await roomAgentIds(ex, room.workspaceId, room.id),
        await listAgents(ex, room.workspaceId),
      ] as const;
    },
  );
  return {
    room,
    tasks,
    drafts,
    rounds,
    inputs,
    agents: agents
      .filter((a) => attached.includes(a.id))
      .map((a) => ({ id: a.id, name: a.name, botType: a.botType })),
  };
}

/** The room's paste blocks with their text, in the order they were given (as pasted, before redaction). */
export async function workroomInputs(deps: AppDeps, actor: Actor, id: string): Promise<Input[]> {
  authorize(actor, "workroom.read");
  const ex = poolExec(deps);
  const room = await findWorkroom(ex, actor.workspaceId, id);
  if (!room) throw new DomainError("not_found", `No workroom ${id} in this workspace.`);
  return listInputs(ex, room.workspaceId, room.id);
}

export async function workroomHistory(
  deps: AppDeps,
  actor: Actor,
  id: WorkroomId | string,
  afterSeq = 0,
  limit?: number,
): Promise<HistoryEvent[]> {
  authorize(actor, "workroom.read");
  const ex = poolExec(deps);
  const room = await findWorkroom(ex, actor.workspaceId, id);
  if (!room) throw new DomainError("not_found", `No workroom ${id} in this workspace.`);
  return listEvents(ex, room, { afterSeq, ...(limit !== undefined ? { limit } : {}) });
}

export async function listRooms(deps: AppDeps, actor: Actor): Promise<Workroom[]> {
  authorize(actor, "workroom.read");
  return listWorkrooms(poolExec(deps), actor.workspaceId);
}

export interface RoomQuery {
  states?: readonly WorkroomState[];
  client?: string;
  /** Rooms per page, 1 to 200 (50 by default). */
  limit?: number;
  /** `next_cursor` of the previous page. */
  cursor?: string;
  /** Rooms to skip instead of a cursor. */
  offset?: number;
}

export interface RoomPage {
  rooms: Workroom[];
  /** Pass as `cursor` for the next page; null on the last one. */
  nextCursor: string | null;
}

// The cursor names the last room of a page; it is opaque to clients (base64url of created_at.id).
const encodeCursor = (r: Workroom) =>
  Buffer.from(`${r.createdAt}.${r.id}`, "utf8").toString("base64url");

function decodeCursor(cursor: string): { createdAt: number; id: string } {
  const [at, ...rest] = Buffer.from(cursor, "base64url").toString("utf8").split(".");
  const createdAt = Number(at);
  const id = rest.join(".");
  if (!Number.isSafeInteger(createdAt) || !id)
    throw new DomainError(
      "invalid_input",
      "The cursor is not one this API returned; pass next_cursor of the previous page.",
    );
  return { createdAt, id };
}

/** One page of the workspace's rooms, newest first, filtered by state and client. */
export async function pageRooms(deps: AppDeps, actor: Actor, q: RoomQuery = {}): Promise<RoomPage> {
  authorize(actor, "workroom.read");
  const limit = q.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 200)
    throw new DomainError("invalid_input", "limit is a whole number from 1 to 200.");
  if (q.cursor !== undefined && q.offset !== undefined)
    throw new DomainError("invalid_input", "Page with a cursor or an offset, not both.");
  if (q.offset !== undefined && (!Number.isInteger(q.offset) || q.offset < 0))
    throw new DomainError("invalid_input", "offset is a whole number of rooms to skip, 0 or more.");
  const rows = await pageWorkrooms(poolExec(deps), actor.workspaceId, {
    limit,
    ...(q.states ? { states: q.states } : {}),
    ...(q.client !== undefined ? { client: q.client } : {}),
    ...(q.cursor !== undefined ? { before: decodeCursor(q.cursor) } : {}),
    ...(q.offset !== undefined ? { offset: q.offset } : {}),
  });
  const rooms = rows.slice(0, limit);
  return { rooms, nextCursor: rows.length > limit ? encodeCursor(rooms[limit - 1]!) : null };
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
    unwrap(checkCapChange(room.state));
    // Calls in flight were let through against the cap they found; each is charged up to what it
    // reserved, so a cap below spent plus reserved would be crossed when they finish.
    const reserved = (await reservedCredits(tx.ex, room.workspaceId, room.id)).room;
    if (maxCredits !== null && maxCredits < room.creditsSpent + reserved)
      throw new DomainError(
        "invalid_input",
        reserved > 0
          ? `The room has spent ${room.creditsSpent} credits and holds ${reserved} more for model calls in flight; the cap cannot be lower than ${room.creditsSpent + reserved} until they finish (pause the room to stop them).`
          : `The room has already spent ${room.creditsSpent} credits; the cap cannot be lower.`,
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
    await auditBy(tx, actor, "workroom.cap_changed", room.id, {
      from: room.maxCredits,
      to: maxCredits,
    });
    return { ...room, maxCredits };
  });
}
