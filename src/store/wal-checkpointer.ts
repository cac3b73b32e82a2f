// Checkpoints an SQLite database's WAL from a thread of its own. SQLite otherwise checkpoints
// inside the commit that takes the WAL past 1,000 pages: that commit copies the pages back into
// the database file and waits for two fsyncs (measured in the engine benchmark: p50 commit 0.2 ms,
// p99 23 ms, and those few commits held ~65% of all commit time). A passive checkpoint on a second
// connection does the same copy without blocking the writer. Durability is unchanged: a commit is
// in the WAL either way, and the checkpoint syncs as before. The writer's own automatic checkpoint
// stays as the backstop if this thread falls behind or fails.
//
// The backstop is set far above SQLite's default, because a passive checkpoint cannot restart the
// WAL under steady writes: by the time it has synced the database, the writer has added frames, so
// the WAL only restarts in a lull, or when the backstop fires in a commit and stalls it for two
// fsyncs (~5 ms here). At the default 1,000 frames that was one commit in ~55 in the engine
// benchmark, and those few held 55% of all commit time; at 10,000 it is one in ~550 (measured over
// 200 rooms: commit time -40%, p99 commit 5 ms -> 0.4 ms, p50 unchanged). The WAL file may then
// reach ~40 MB beside the database; SQLite reuses it from the start after each restart.
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/** How often the thread checkpoints: often enough that the WAL rarely reaches the backstop. */
const EVERY_MS = 100;

/** The writer's own checkpoint (`wal_autocheckpoint`, in frames) while this thread runs. */
export const WRITER_BACKSTOP_FRAMES = 10_000;

// CommonJS run by the thread (worker_threads `eval`), so the same code serves the build and tests
// run from TypeScript sources. SQLITE_BUSY (another checkpoint is running) is expected. Any other
// error is reported when it first appears or changes, and once more when a checkpoint succeeds
// again: a failing disk fails every 100 ms, and one line says as much as a thousand.
const THREAD = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma("synchronous = NORMAL");
let failing;
const timer = setInterval(() => {
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
    if (failing !== undefined) {
      failing = undefined;
      parentPort.postMessage({});
    }
  } catch (e) {
    if (e.code === "SQLITE_BUSY" || String(e) === failing) return;
    failing = String(e);
    parentPort.postMessage({ error: failing });
  }
}, workerData.everyMs);
parentPort.on("message", () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/**
 * Told when background checkpoints start failing (`error`: what SQLite said) and when they work
 * again (`error` undefined). The writer's own checkpoint covers for the thread meanwhile, but the
 * WAL grows toward its backstop, so an operator should hear of it.
 */
export type CheckpointTrouble = (error: string | undefined) => void;

export interface WalCheckpointer {
  close(): Promise<void>;
}

export function startWalCheckpointer(
  file: string,
  onTrouble: CheckpointTrouble,
  options: { driver?: string; everyMs?: number } = {},
): WalCheckpointer {
  const driver = options.driver ?? createRequire(import.meta.url).resolve("better-sqlite3");
  const thread = new Worker(THREAD, {
    eval: true,
    workerData: { driver, file, everyMs: options.everyMs ?? EVERY_MS },
  });
  // The thread never keeps the process alive on its own.
  thread.unref();
  thread.on("message", (m: { error?: string }) => onTrouble(m.error));
  thread.on("error", (e) => onTrouble(`the checkpoint thread stopped: ${String(e)}`));
  const exited = new Promise<void>((resolve) => thread.once("exit", () => resolve()));
  return {
    async close() {
      // Held until the thread has closed its connection, or the process could end first.
      thread.ref();
      thread.postMessage("close");
      await exited;
    },
  };
}
