// Live-event use cases: who may follow a room or the whole workspace, where a resuming client
// stands, and whether the caller of an open stream still may (signed out, key revoked, removed from
// the workspace: no). The server's stream hub does the following itself.
import { DomainError } from "../domain/errors.js";
import { canUseApiAccess } from "../domain/accounts.js";
import { can, type PlanName, type Role } from "../domain/roles.js";
import type { Workroom } from "../domain/types.js";
import { poolExec } from "../engine/deps.js";
import { findApiKeyCaller } from "../store/api-keys.js";
import { eventPosition, type FeedPosition } from "../store/event-feed.js";
import { findSession } from "../store/sessions.js";
import { findRole } from "../store/users.js";
import { findWorkroom } from "../store/workrooms.js";
import { authorize, type Actor, type AppDeps } from "./context.js";

/** How the caller of a stream proved who they are when it opened. */
export type StreamHolder =
  | { kind: "session"; sessionId: string }
  /** `keyHash`: the SHA-256 of the secret sent, so a rotated key's old secret fails too. */
  | { kind: "api_key"; keyHash: string };

/** What the stream hub asks again while a stream stays open. */
export interface StreamAccess {
  /** Streams with the same key share one answer (one query however many tabs are open). */
  key: string;
  /** True while the session or key still works and its member may still read the workspace. */
  stillAllowed(): Promise<boolean>;
}

/**
 * The question an open stream's caller must keep answering yes to: the session is not signed out
 * or expired (the key not revoked or rotated, its plan still with API access), and the person is
 * still a member of the workspace with a role that may read its rooms. Every replica asks the
 * database itself, so no message between replicas is needed.
 */
export function streamAccess(deps: AppDeps, holder: StreamHolder, actor: Actor): StreamAccess {
  const workspaceId = actor.workspaceId;
  const reads = (role: string | null | undefined) =>
    role != null && can(role as Role, "workroom.read");
  if (holder.kind === "session")
    return {
      key: `session:${holder.sessionId}:${workspaceId}`,
      async stillAllowed() {
        const ex = poolExec(deps);
        const session = await findSession(ex, holder.sessionId);
        if (!session || session.expiresAt <= deps.clock.now().getTime()) return false;
        return reads(await findRole(ex, workspaceId, session.userId));
      },
    };
  return {
    key: `api_key:${holder.keyHash}`,
    async stillAllowed() {
      const found = await findApiKeyCaller(poolExec(deps), holder.keyHash);
      return (
        found !== undefined &&
        found.key.revokedAt === null &&
        found.key.workspaceId === workspaceId &&
        canUseApiAccess(found.plan as PlanName) &&
        reads(found.role)
      );
    },
  };
}

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
