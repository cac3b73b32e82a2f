// Runs a worker in this process and follows one room until it rests (completed, failed, paused,
// cancelled), rendering progress on every history change.
import { getWorkroom, type WorkroomDetail } from "../app/workrooms.js";
import { isRestingState } from "../domain/workroom.js";
import type { Session } from "./session.js";
import { ProgressView } from "./progress.js";

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
    return await new Promise<WorkroomDetail>((resolve, reject) => {
      // One read at a time; a change that arrives meanwhile triggers one more read afterwards, so
      // the last change is never missed.
      let pending = false;
      let again = false;
      const refresh = async (): Promise<void> => {
        if (stopRequested) return;
        if (pending) return void (again = true);
        pending = true;
        again = false;
        try {
          const d = await getWorkroom(s.runtime.deps, s.actor, roomId);
          view.render(d);
          if (isRestingState(d.room.state) && d.room.state !== "draft") {
            unsubscribe();
            clearInterval(ticker);
            resolve(d);
          }
        } catch (e) {
          unsubscribe();
          clearInterval(ticker);
          reject(e);
        } finally {
          pending = false;
        }
        if (again) return refresh();
      };
      const unsubscribe = s.runtime.deps.bus.subscribe((m) => {
        if (m.type === "room_changed" && m.workroomId === roomId) void refresh();
      });
      // Elapsed times keep moving between events on a terminal.
      const ticker = setInterval(() => out.isTTY && void refresh(), 500);
      void refresh();
    });
  } finally {
    process.off("SIGINT", onSigint);
    await worker.stop({ graceful: true });
  }
}
