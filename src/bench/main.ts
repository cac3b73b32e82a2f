// `npm run bench`: prints the engine's figures per store against the targets, and export times.
// Each part is imported when it runs, so the engine's peak RSS counts only what the engine loads
// (not the HTTP server, autocannon or the PDF fonts of the other parts). With both stores, each
// store's engine part runs in a process of its own: the second one's peak RSS would otherwise
// start from what the first left (PostgreSQL printed 251 MB after SQLite, 141-192 MB alone).
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const PG = process.env.ATELYA_BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const TARGET = { overheadMs: 0.25, tasksPerSecond: 5_000, rssMb: 120 };

const fmt = (n: number, d = 2) => n.toFixed(d);

// `--only engine|api|export` runs one part; `--store sqlite|postgres` one store of the engine part.
const argValue = (flag: string): string | undefined => {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const only = argValue("--only");
const stores = (["sqlite", "postgres"] as const).filter((s) => (argValue("--store") ?? s) === s);

const runs = (part: "engine" | "api" | "export") => only === undefined || only === part;

/** This bench, for one store's engine part, in a process of its own; its output passes through. */
const inOwnProcess = (store: string): Promise<void> =>
  new Promise((resolve, reject) =>
    spawn(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), "--only", "engine", "--store", store],
      { stdio: "inherit" },
    )
      .on("error", reject)
      .on("exit", () => resolve()),
  );

for (const store of runs("engine") ? stores : []) {
  if (stores.length > 1) {
    await inOwnProcess(store);
    continue;
  }
  try {
    const { benchEngine } = await import("./engine.js");
    const f = await benchEngine(store, PG);
    console.log(`engine/${store}   (Node ${process.versions.node}, V8 ${process.versions.v8})`);
    console.log(
      `  wall per task          ${fmt(f.wallMsPerTask, 3)} ms   (rooms one after the other: create, start, plan, 5 tasks, compose)`,
    );
    console.log(
      `    the steps' own work  ${fmt(f.workMsPerTask, 3)} ms   (the scripted model's answers, parsing them; the first call's prompt is built in the begin)`,
    );
    console.log(
      `  overhead per task      ${fmt(f.overheadMsPerTask, 3)} ms   (wall less the steps' work; target ${TARGET.overheadMs} ms; ratio ${fmt(f.overheadMsPerTask / TARGET.overheadMs)}×; LangGraph.js+SQLite 1.0 ms)`,
    );
    console.log(
      `    of which the API's create  ${fmt(f.createMsPerTask, 3)} ms   (the room's row, agents and inputs, one transaction per room, shared by its 7 tasks)`,
    );
    console.log(
      `  CPU per task           ${fmt(f.cpuMsPerTask, 3)} ms   (same run, process CPU time)`,
    );
    if (f.statementsPerTask !== undefined && f.commitsPerTask !== undefined)
      console.log(
        `  statements per task    ${fmt(f.statementsPerTask, 1)}   (${fmt(f.commitsPerTask, 2)} commits; transaction control included)`,
      );
    console.log(
      `  tasks/s, 20 rooms      ${fmt(f.tasksPerSecond, 0)}   (target ${TARGET.tasksPerSecond}; ratio ${fmt(f.tasksPerSecond / TARGET.tasksPerSecond)}×; LangGraph.js 1,300)`,
    );
    // The steps' own work runs on the engine's thread too: it alone bounds the throughput.
    console.log(
      `    the steps' work alone  ${fmt(1000 / f.workMsPerTask, 0)} tasks/s   (the most one thread could do with no engine at all: 1 / the steps' own work)`,
    );
    console.log(
      `  peak RSS               ${fmt(f.peakRssMb, 0)} MB   (target < ${TARGET.rssMb} MB)`,
    );
    console.log(
      `  database after 200     ${fmt(f.dbBytesAfter200 / 2 ** 20, 1)} MB   (${fmt(f.bytesPerRoom / 1024, 1)} KB per room${store === "sqlite" ? "; pages in use" : ""})`,
    );
    if (store === "sqlite") {
      const { benchWal } = await import("./wal.js");
      for (const [inFlight, label] of [
        [1, "one after the other"],
        [20, "20 rooms in flight"],
      ] as const) {
        const w = await benchWal(inFlight);
        const parts = w.byTable.map(([t, n]) => `${t} ${fmt(n, 1)}`).join(", ");
        console.log(
          `  WAL per task           ${fmt(w.framesPerTask, 1)} frames, ${fmt(w.kbPerTask, 1)} KB   (pages written, ${label}; by table: ${parts})`,
        );
      }
    }
  } catch (e) {
    console.log(`engine/${store}: skipped (${e instanceof Error ? e.message : String(e)})`);
  }
}

if (runs("api"))
  try {
    // The issue names no numeric targets for the API: the figures go into its closing note.
    const { benchApi } = await import("./api.js");
    const a = await benchApi();
    console.log("api/sqlite (no target in the issue)");
    console.log(
      `  GET /api/v1/workrooms/:id, 64 conns   p50 ${fmt(a.p50Ms, 1)} ms   p99 ${fmt(a.p99Ms, 1)} ms   ${fmt(a.requestsPerSecond, 0)} req/s   (non-2xx ${a.non2xx})`,
    );
    console.log(
      `  SSE fan-out to ${a.subscribers} subscribers   median ${fmt(a.fanoutMedianMs, 1)} ms   max ${fmt(a.fanoutMaxMs, 1)} ms   (append to received by all)`,
    );
  } catch (e) {
    console.log(`api: skipped (${e instanceof Error ? e.message : String(e)})`);
  }

// Prints its own figures against the targets.
if (runs("export")) await (await import("./export.js")).benchExport();
