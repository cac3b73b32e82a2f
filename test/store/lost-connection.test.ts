// A lost PostgreSQL connection (a restart, a failover, `pg_terminate_backend`) fails what was under
// way on it, and nothing more: the process lives on, and its rooms complete once connections open
// again. Every client the pool hands out heard the server's FATAL with no listener while it sat in
// a transaction between two statements, and that unhandled 'error' event ended the process.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { createWorkroom, startWorkroom, workroomHistory } from "../../src/app/workrooms.js";
import { ownerOf, proposalRoom } from "../support/fixtures.js";
import { startHarness, type Harness } from "../support/harness.js";
import { spawnWorker, type WorkerProcess } from "../support/processes.js";

let h: Harness | undefined;
let worker: WorkerProcess | undefined;
afterEach(async () => {
  await worker?.kill();
  await h?.close();
  worker = h = undefined;
});

/** Ends every session on the test's database but the one asking. */
async function terminateBackends(url: string): Promise<number> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    const { rowCount } = await admin.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
    );
    return rowCount ?? 0;
  } finally {
    await admin.end();
  }
}

describe("a lost PostgreSQL connection", () => {
  it("fails the work under way, and the worker process lives on and completes its rooms", async () => {
    h = await startHarness("postgres", { worker: false, topup: 100_000 });
    const deps = h.runtime.deps;
    const actor = ownerOf(h.workspace);
    const logFile = join(mkdtempSync(join(tmpdir(), "atelya-lost-")), "worker.log");
    worker = await spawnWorker(h.db.url, "w1", { latencyMs: 100, leaseMs: 1_500, logFile });
    const rooms = [];
    for (let i = 0; i < 6; i++) {
      const room = await createWorkroom(deps, actor, proposalRoom({ title: `Room ${i}` }));
      await startWorkroom(deps, actor, room.id);
      rooms.push(room);
    }
    // Every 150 ms, 12 times in all, the database ends every session, this process's own included;
    // the rooms' calls take 100 ms each, so the worker is in the middle of its transactions for
    // most of them. The count does not hang on how fast the rooms go (in CI they finished after
    // two), and a timer drives it, not the bus: the bus, itself cut off, hears too little.
    let terminations = 0;
    let failed = false;
    const terminating = (async () => {
      for (let attempt = 0; !failed && terminations < 12 && attempt < 100; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 150));
        if (!failed && (await terminateBackends(h!.db.url)) > 0) terminations++;
      }
    })();
    const child = worker.child;
    const died = new Promise<never>((_, reject) =>
      child.once("exit", (code, signal) =>
        reject(new Error(`the worker process ended (${signal ?? code}); see ${logFile}`)),
      ),
    );
    const settled = async (id: string) =>
      Promise.race([h!.waitFor(id, ["completed", "failed", "paused"], 60_000), died]);
    try {
      for (const room of rooms) expect((await settled(room.id)).state).toBe("completed");
      await Promise.race([terminating, died]);
    } catch (e) {
      failed = true;
      await terminating;
      throw e;
    }
    expect(terminations).toBe(12);
    // After the last of them, the same process opens new connections and works a new room.
    const after = await createWorkroom(deps, actor, proposalRoom({ title: "After" }));
    await startWorkroom(deps, actor, after.id);
    rooms.push(after);
    expect((await settled(after.id)).state).toBe("completed");
    expect(worker.child.exitCode).toBeNull();
    expect(worker.child.signalCode).toBeNull();
    for (const room of rooms) {
      const history = await workroomHistory(deps, actor, room.id);
      expect(history.map((e) => e.seq)).toEqual(history.map((_, i) => i + 1));
    }
  }, 90_000);
});
