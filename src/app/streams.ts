// Live-event use cases: who may follow a room or the whole workspace, and where a resuming client
// stands. The server's stream hub does the following itself; these calls decide before it starts.
import { DomainError } from "../domain/errors.js";
import type { Workroom } from "../domain/types.js";
import { poolExec } from "../engine/deps.js";
import { eventPosition, type FeedPosition } from "../store/event-feed.js";
import { findWorkroom } from "../store/workrooms.js";
import { authorize, type Actor, type AppDeps } from "./context.js";

/** The room a caller may follow; another workspace's room is not_found, like any read. */
export async function openRoomStream(
  deps: AppDeps,
  actor: Actor,
  id: string,
): Promise<Pick<Workroom, "id" | "workspaceId">> {
  authorize(actor, "workroom.read");
  const room = await findWorkroom(poolExec(deps), actor.workspaceId, id);
  if (!room) throw new DomainError("not_found", `No workroom ${id} in this workspace.`);
  return { id: room.id, workspaceId: room.workspaceId };
}

/**
 * Where a workspace stream resumes: the position of the event `<roomId>:<seq>` the client saw
 * last. An event that no longer exists (its room was deleted) or is not the workspace's resumes
 * from now: the id leaks nothing, and the client keeps a working stream.
 */
export async function openWorkspaceStream(
  deps: AppDeps,
  actor: Actor,
  lastEvent: { workroomId: string; seq: number } | null,
): Promise<{ workspaceId: string; after: FeedPosition | null }> {
  authorize(actor, "workroom.read");
  if (!lastEvent) return { workspaceId: actor.workspaceId, after: null };
  const position = await eventPosition(
    poolExec(deps),
    actor.workspaceId,
    lastEvent.workroomId,
    lastEvent.seq,
  );
  return { workspaceId: actor.workspaceId, after: position ?? null };
}
