// Draws exported files in threads of their own (platform/threads.ts), so a long PDF or a team
// exporting at once never holds the event loop: pdfkit, fontkit and docx are synchronous CPU work,
// and a 108-page PDF drawn inline held every request (/health included) for about a second, eight
// at once for four. Unlike the upload reader, a file may be drawn beside another on a machine with
// cores to spare (`threads`). A warm thread holds ~45 MB (the libraries and fonts), so one idle
// for `idleMs` is let go.
import { availableParallelism } from "node:os";
import { threadPool, type ThreadPool } from "../platform/threads.js";
import type { RenderedFile, RenderJob } from "./render-job.js";

export interface RenderLimits {
  /** How many files are drawn at once; the rest wait their turn. */
  threads: number;
  /** Each thread's JavaScript heap (V8 old generation), in MB. */
  heapMb: number;
  /** How long one file may take, waiting excluded, in milliseconds. */
  timeoutMs: number;
  /** How long an idle thread is kept for the next file, in milliseconds. */
  idleMs: number;
}

export const DEFAULT_RENDER_LIMITS: RenderLimits = {
  // One core is left to the event loop: two threads on two cores slowed every request down.
  threads: Math.max(1, Math.min(2, availableParallelism() - 1)),
  heapMb: 512,
  timeoutMs: 60_000,
  idleMs: 60_000,
};

export type RenderOutcome =
  | ({ kind: "file" } & RenderedFile)
  | { kind: "failed"; message: string; stack?: string }
  | { kind: "too_slow" }
  | { kind: "too_large" };

// CommonJS run by the thread (worker_threads `eval`). It imports render-job by URL: the built .js,
// or, when the server runs from TypeScript sources (the tests), the .ts through tsx's loader.
const THREAD = `
const { parentPort, workerData } = require("node:worker_threads");
let loaded;
const load = () =>
  (loaded ??= (async () => {
    if (workerData.loader) (await import(workerData.loader)).register();
    return import(workerData.renderer);
  })());

parentPort.on("message", async (job) => {
  try {
    const { renderJob } = await load();
    const { bytes, logoLeftOut } = await renderJob(job);
    parentPort.postMessage({ kind: "file", bytes, logoLeftOut });
  } catch (e) {
    parentPort.postMessage({ kind: "failed", message: String(e?.message ?? e), stack: e?.stack });
  }
});
`;

const fromSources = import.meta.url.endsWith(".ts");
const MODULES = {
  renderer: new URL(`./render-job.${fromSources ? "ts" : "js"}`, import.meta.url).href,
  loader: fromSources ? import.meta.resolve("tsx/esm/api") : null,
};

/** One pool per set of limits that asked for threads and idling (the server's, a test's). */
const pools = new Map<string, ThreadPool<RenderJob, RenderOutcome>>();

/** Draws one file in a render thread, within `limits`; past `limits.threads` files wait in turn. */
export async function renderInThread(
  job: RenderJob,
  limits: RenderLimits = DEFAULT_RENDER_LIMITS,
): Promise<RenderOutcome> {
  const key = `${limits.threads}/${limits.idleMs}`;
  let pool = pools.get(key);
  if (!pool) {
    pool = threadPool({
      source: THREAD,
      workerData: MODULES,
      threads: limits.threads,
      idleMs: limits.idleMs,
    });
    pools.set(key, pool);
  }
  const outcome = await pool.run(job, limits);
  if (outcome.kind === "answered") return outcome.answer;
  return outcome.kind === "died"
    ? { kind: "failed", message: outcome.message, ...(outcome.stack && { stack: outcome.stack }) }
    : outcome;
}
