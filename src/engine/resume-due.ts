// Rooms a provider's rate limit paused resume by themselves once its wait is over. Any worker may
// find a room due; the resume is taken under the room's lock through the lifecycle's one
// transition function, so with several workers on one database it happens once: a worker that
// finds the room resumed already (or resumed by a person, cancelled, replanned) changes nothing.
// `resume_at` is in the database, so a worker started after the time (or after a crash) resumes
// the room all the same.
import type { WorkroomId, WorkspaceId } from "../domain/ids.js";
import { findWorkroom } from "../store/workrooms.js";
import { roomsDueToResume } from "../store/resumes.js";
import { poolExec, type EngineDeps } from "./deps.js";
import { ENGINE_ACTOR } from "./history.js";
import { applyCommand } from "./lifecycle.js";
import { withTx } from "./tx.js";
import { isStoreUnwritable } from "../store/unwritable.js";

/** Rooms one look resumes at most; the worker looks again at once when there were more. */
const BATCH = 50;

export interface ResumedRooms {
  /** Rooms this look resumed. */
  resumed: number;
  /** More rooms may be due than one look takes. */
  more: boolean;
}

/** Resumes every room whose provider's wait is over; one room's failure does not stop the rest. */
export async function resumeDueRooms(deps: EngineDeps): Promise<ResumedRooms> {
  const due = await roomsDueToResume(poolExec(deps), deps.clock.now().getTime(), BATCH);
  let resumed = 0;
  for (const room of due) {
    try {
      if (await resumeRoom(deps, room.workspaceId, room.id)) resumed++;
    } catch (e) {
      // A store that refuses writes is logged once by the worker's turns.
      if (!isStoreUnwritable(e))
        deps.log.error(
          { err: e, room: room.id },
          "a room whose provider's wait is over could not be resumed; a worker tries again shortly",
        );
    }
  }
  return { resumed, more: due.length >= BATCH };
}

/** True if this call resumed the room; false if it was no longer waiting for its time. */
async function resumeRoom(
  deps: EngineDeps,
  workspaceId: WorkspaceId,
  id: WorkroomId,
): Promise<boolean> {
  return withTx(deps, async (tx) => {
    const room = await findWorkroom(tx.ex, workspaceId, id, { lock: true });
    if (!room) return false;
    const command = { type: "resume", after: "rate_limit", at: tx.now.getTime() } as const;
    // Refused: another worker (or a person) got there first, or the room paused again since.
    return (await applyCommand(tx, room, command, ENGINE_ACTOR)).ok;
  });
}
