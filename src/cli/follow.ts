// Runs a worker in this process and follows one room until it rests (completed, failed, paused,
// cancelled), rendering progress on every change, whichever process made it.
import { getWorkroom, type WorkroomDetail } from "../app/workrooms.js";
import type { Actor, AppDeps } from "../app/context.js";
import { isRestingState } from "../domain/workroom.js";
import type { Session } from "./session.js";
import { ProgressView } from "./progress.js";

/** How often the follower reads the room whatever the bus says: work done by another process
 *  (`atelya serve`, a `worker`, another `run`) reaches this one's bus only on PostgreSQL. */
export const FOLLOW_POLL_MS = 500;

/**
 * Resolves with the room once it rests, calling `onRead` with every read: on each change this
 * process's bus reports, and every `pollMs` in any case (work by other processes, and elapsed
 * times that keep moving). `stopped()` true ends the reads (the follower is going away).
 */
export function watchRoom(
  deps: AppDeps,
  actor: Actor,
  roomId: string,
  onRead: (d: WorkroomDetail) => void,
  o: { pollMs?: number; stopped?: () => boolean } = {},
): Promise<WorkroomDetail> {
  return new Promise<WorkroomDetail>((resolve, reject) => {
    // One read at a time; a change that arrives meanwhile triggers one more read afterwards, so
    // the last change is never missed.
    let pending = false;
    let again = false;
    const done = () => {
      unsubscribe();
      clearInterval(ticker);
    };
    const refresh = async (): Promise<void> => {
      if (o.stopped?.()) return;
      if (pending) return void (again = true);
      pending = true;
      again = false;
      try {
        // Without the drafts: a read every change and every half second would open them all.
        const d = await getWorkroom(deps, actor, roomId, { drafts: false });
        onRead(d);
        if (isRestingState(d.room.state) && d.room.state !== "draft") {
          done();
          return resolve(d);
        }
      } catch (e) {
        done();
        return reject(e);
      } finally {
        pending = false;
      }
      if (again) return refresh();
    };
    const unsubscribe = deps.bus.subscribe((m) => {
      if (m.type === "room_changed" && m.workroomId === roomId) void refresh();
    });
    const ticker = setInterval(() => void refresh(), o.pollMs ?? FOLLOW_POLL_MS);
    void refresh();
  });
}

export async function followRoom(
  s: Session,
  roomId: string,
  out: NodeJS.WriteStream,
): Promise<WorkroomDetail> {
  const view = new ProgressView(out);
  const worker = s.runtime.startWorker();
  let stopRequested = false;
  const onSigint = () => {
    stopRequested = true;
    void worker.stop().then(() => {
      out.write(`\nStopped. Nothing is lost: continue with \`atelya resume ${roomId}\`.\n`);
      process.exit(130);
    });
  };
  process.once("SIGINT", onSigint);
  try {
    return await watchRoom(s.runtime.deps, s.actor, roomId, (d) => view.render(d), {
      stopped: () => stopRequested,
    });
  } finally {
    process.off("SIGINT", onSigint);
    await worker.stop({ graceful: true });
  }
}
