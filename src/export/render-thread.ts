// Draws exported files in threads of their own, so a long PDF or a team exporting at once never
// holds the event loop: pdfkit, fontkit and docx are synchronous CPU work, and a 108-page PDF drawn
// inline held every request (/health included) for about a second, eight at once for four. The
// shape is the upload reader's (integrations/files/reader-thread.ts): each thread has a heap cap
// (V8's resourceLimits) and a wall-clock limit, past which it is terminated (its memory goes with
// it); an idle thread is kept, unreferenced, for the next file. Unlike the reader, a file may be
// drawn beside another on a machine with cores to spare (`threads`); more wait their turn, in
// order, so memory stays bounded however many people export. A warm thread holds ~45 MB (the
// libraries and fonts), so one idle for `idleMs` is let go.
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
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

/** Idle threads kept for the next files, with the heap cap they were started with. */
const idle: { worker: Worker; heapMb: number; expiry: NodeJS.Timeout }[] = [];
/** Files being drawn, and the turns of those waiting (first come, first drawn). */
let drawing = 0;
const waiting: (() => void)[] = [];

function threadFor(heapMb: number): Worker {
  const kept = idle.findIndex((t) => t.heapMb === heapMb);
  if (kept >= 0) {
    const { worker, expiry } = idle.splice(kept, 1)[0]!;
    clearTimeout(expiry);
    worker.ref();
    return worker;
  }
  return new Worker(THREAD, {
    eval: true,
    workerData: MODULES,
    resourceLimits: { maxOldGenerationSizeMb: heapMb },
  });
}

/** Keeps a thread for the next file, for `idleMs`; an idle thread never keeps the process alive. */
function keepIdle(worker: Worker, limits: RenderLimits) {
  worker.unref();
  const expiry = setTimeout(() => {
    idle.splice(idle.indexOf(kept), 1);
    void worker.terminate();
  }, limits.idleMs).unref();
  const kept = { worker, heapMb: limits.heapMb, expiry };
  idle.push(kept);
}

function drawOne(job: RenderJob, limits: RenderLimits): Promise<RenderOutcome> {
  const worker = threadFor(limits.heapMb);
  return new Promise<RenderOutcome>((resolve) => {
    let settled = false;
    const finish = (outcome: RenderOutcome, keep: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      worker.off("message", onMessage).off("error", onError).off("exit", onExit);
      if (keep && idle.length < limits.threads) keepIdle(worker, limits);
      else void worker.terminate();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish({ kind: "too_slow" }, false), limits.timeoutMs);
    const onMessage = (outcome: RenderOutcome) => finish(outcome, true);
    // ERR_WORKER_OUT_OF_MEMORY is the heap cap; any other death of the thread is a failure to draw.
    const onError = (e: Error & { code?: string }) =>
      finish(
        e.code === "ERR_WORKER_OUT_OF_MEMORY"
          ? { kind: "too_large" }
          : { kind: "failed", message: e.message, ...(e.stack && { stack: e.stack }) },
        false,
      );
    const onExit = (code: number) =>
      finish({ kind: "failed", message: `the render thread exited (code ${code})` }, false);
    worker.on("message", onMessage).on("error", onError).on("exit", onExit);
    worker.postMessage(job);
  });
}

/** Draws one file in a render thread, within `limits`; past `limits.threads` files wait in turn. */
export async function renderInThread(
  job: RenderJob,
  limits: RenderLimits = DEFAULT_RENDER_LIMITS,
): Promise<RenderOutcome> {
  if (drawing < limits.threads) drawing++;
  // A finished file hands its place straight to the first one waiting.
  else await new Promise<void>((turn) => waiting.push(turn));
  try {
    return await drawOne(job, limits);
  } finally {
    const next = waiting.shift();
    if (next) next();
    else drawing--;
  }
}
