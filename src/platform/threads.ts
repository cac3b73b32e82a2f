// Worker threads with limits, for synchronous CPU work on input nobody vouches for: reading an
// uploaded .docx or PDF (integrations/files) and drawing an export (export/render-thread). Each
// job runs in a thread with a heap cap (V8's resourceLimits) and a wall-clock limit; memory outside
// that heap (decoded buffers) can be watched too, as the process's growth while the job runs. Past
// any limit the thread is terminated, and its memory goes with it. At most `threads` jobs run at
// once; the others wait their turn, first come first served, so memory stays bounded however many
// people ask at once. A thread that finished its job is kept, unreferenced, for the next one, so
// libraries and fonts load once; one idle for `idleMs` is let go.
import { Worker } from "node:worker_threads";

export interface ThreadLimits {
  /** The thread's JavaScript heap (V8 old generation), in MB. */
  heapMb: number;
  /** How long one job may take, waiting for a turn excluded, in milliseconds. */
  timeoutMs: number;
  /**
   * How much the whole process may grow while the job runs, in MB (decoded buffers live outside
   * the thread's heap). Only meaningful with one thread: the growth is the process's.
   */
  growthMb?: number;
}

/** What became of a job: the thread's answer, or the limit it went past, or its thread's death. */
export type ThreadOutcome<R> =
  | { kind: "answered"; answer: R }
  | { kind: "too_slow" }
  | { kind: "too_large" }
  | { kind: "died"; message: string; stack?: string };

export interface ThreadPoolOptions {
  /**
   * CommonJS the thread runs (worker_threads `eval`, so the same code serves the build and tests
   * run from TypeScript sources). It answers each job with one `parentPort.postMessage`.
   */
  source: string;
  /** Given to every thread as `workerData` (where to import its libraries from, say). */
  workerData: unknown;
  /** How many jobs run at once. */
  threads: number;
  /** How long an idle thread is kept for the next job; kept until the process ends if not set. */
  idleMs?: number;
}

export interface ThreadPool<J, R> {
  /** Runs one job within `limits`, after the jobs before it if all threads are busy. */
  run(job: J, limits: ThreadLimits): Promise<ThreadOutcome<R>>;
}

/** How often the process's memory is looked at while a job with `growthMb` runs. */
const WATCH_MS = 25;

export function threadPool<J, R>(o: ThreadPoolOptions): ThreadPool<J, R> {
  /** Idle threads, with the heap cap each was started with. */
  const idle: { worker: Worker; heapMb: number; expiry?: NodeJS.Timeout }[] = [];
  let running = 0;
  const waiting: (() => void)[] = [];

  function threadFor(heapMb: number): Worker {
    const at = idle.findIndex((t) => t.heapMb === heapMb);
    if (at >= 0) {
      const { worker, expiry } = idle.splice(at, 1)[0]!;
      clearTimeout(expiry);
      worker.ref();
      return worker;
    }
    return new Worker(o.source, {
      eval: true,
      workerData: o.workerData,
      resourceLimits: { maxOldGenerationSizeMb: heapMb },
    });
  }

  /** Keeps a thread for the next job; an idle thread never keeps the process alive. */
  function keep(worker: Worker, heapMb: number): void {
    worker.unref();
    const kept: (typeof idle)[number] = { worker, heapMb };
    if (o.idleMs !== undefined)
      kept.expiry = setTimeout(() => {
        idle.splice(idle.indexOf(kept), 1);
        void worker.terminate();
      }, o.idleMs).unref();
    idle.push(kept);
    // No more idle threads than may ever run at once: the oldest goes.
    while (idle.length > o.threads) {
      const old = idle.shift()!;
      clearTimeout(old.expiry);
      void old.worker.terminate();
    }
  }

  function runOne(job: J, limits: ThreadLimits): Promise<ThreadOutcome<R>> {
    const worker = threadFor(limits.heapMb);
    const start = process.memoryUsage.rss();
    return new Promise((resolve) => {
      let settled = false;
      const finish = (outcome: ThreadOutcome<R>) => {
        if (settled) return;
        settled = true;
        clearInterval(watch);
        clearTimeout(timer);
        worker.off("message", onMessage).off("error", onError).off("exit", onExit);
        if (outcome.kind === "answered") keep(worker, limits.heapMb);
        else void worker.terminate();
        resolve(outcome);
      };
      const growth = limits.growthMb;
      const watch =
        growth === undefined
          ? undefined
          : setInterval(() => {
              if (process.memoryUsage.rss() - start > growth * 1_048_576)
                finish({ kind: "too_large" });
            }, WATCH_MS);
      const timer = setTimeout(() => finish({ kind: "too_slow" }), limits.timeoutMs);
      const onMessage = (answer: R) => finish({ kind: "answered", answer });
      // ERR_WORKER_OUT_OF_MEMORY is the heap cap; any other error is the thread's death.
      const onError = (e: Error & { code?: string }) =>
        finish(
          e.code === "ERR_WORKER_OUT_OF_MEMORY"
            ? { kind: "too_large" }
            : { kind: "died", message: e.message, ...(e.stack && { stack: e.stack }) },
        );
      const onExit = (code: number) =>
        finish({ kind: "died", message: `the thread exited (code ${code})` });
      worker.on("message", onMessage).on("error", onError).on("exit", onExit);
      worker.postMessage(job);
    });
  }

  return {
    async run(job, limits) {
      if (running < o.threads) running++;
      // A finished job hands its place straight to the first one waiting.
      else await new Promise<void>((turn) => waiting.push(turn));
      try {
        return await runOne(job, limits);
      } finally {
        const next = waiting.shift();
        if (next) next();
        else running--;
      }
    },
  };
}
