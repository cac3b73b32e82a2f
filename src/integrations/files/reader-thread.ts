// Reads .docx and .pdf files in a thread of their own, one file at a time, so a hostile file
// costs bounded time and memory and never the event loop: pdf.js (its "fake worker" runs on the
// thread that loads it) and mammoth parse synchronously, and before this a 717 KB PDF froze every
// request for seconds while the process grew to 2.5 GB. The thread gets a heap cap (V8's
// resourceLimits); decoded buffers live outside that heap, so the process's growth is also watched
// from here, and a wall-clock limit covers the rest. Past any limit the thread is terminated (its
// memory goes with it) and the next file starts a fresh one.
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";

export interface ReadLimits {
  /** The thread's JavaScript heap (V8 old generation), in MB. */
  heapMb: number;
  /** How much the process may grow while one file is read (decoded buffers included), in MB. */
  growthMb: number;
  /** How long one file may take, queueing excluded, in milliseconds. */
  timeoutMs: number;
}

export const DEFAULT_READ_LIMITS: ReadLimits = { heapMb: 256, growthMb: 512, timeoutMs: 30_000 };

export type ReadOutcome =
  | { kind: "text"; text: string }
  | { kind: "invalid" }
  | { kind: "password" }
  | { kind: "too_slow" }
  | { kind: "too_large" };

/** How often the process's memory is looked at while a file is read. */
const WATCH_MS = 25;

// CommonJS run by the thread (worker_threads `eval`), so the same code serves the build and tests
// run from TypeScript sources; the libraries are resolved here and imported there by URL.
const THREAD = `
const { parentPort, workerData } = require("node:worker_threads");
const loaded = {};
const load = (name) => (loaded[name] ??= import(workerData[name]));

// The parts come unpacked and counted; they are zipped again, uncompressed, for mammoth to open.
async function docx(parts) {
  const [mammoth, fflate] = await Promise.all([load("mammoth"), load("fflate")]);
  const stored = {};
  for (const [name, data] of Object.entries(parts)) stored[name] = [data, { level: 0 }];
  const buffer = Buffer.from(fflate.zipSync(stored));
  const result = await (mammoth.default ?? mammoth).extractRawText({ buffer });
  return result.value;
}

async function pdf(bytes, maxChars) {
  const pdfjs = await load("pdfjs");
  const task = pdfjs.getDocument({
    data: bytes,
    useWorkerFetch: false,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    stopAtErrors: false,
    verbosity: 0,
  });
  try {
    const doc = await task.promise;
    const pages = [];
    let chars = 0;
    // A long PDF is read only as far as the text could still be accepted.
    for (let n = 1; n <= doc.numPages && chars <= maxChars; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      let text = "";
      for (const item of content.items)
        if ("str" in item) text += item.str + (item.hasEOL ? "\\n" : "");
      pages.push(text.trim());
      chars += text.length;
      page.cleanup();
    }
    return pages.filter(Boolean).join("\\n\\n");
  } finally {
    await task.destroy();
  }
}

parentPort.on("message", async (job) => {
  try {
    const text = job.type === "docx" ? await docx(job.parts) : await pdf(job.bytes, job.maxChars);
    parentPort.postMessage({ kind: "text", text });
  } catch (e) {
    parentPort.postMessage({ kind: e && e.name === "PasswordException" ? "password" : "invalid" });
  }
});
`;

const here = createRequire(import.meta.url);
const LIBRARIES = {
  mammoth: pathToFileURL(here.resolve("mammoth")).href,
  pdfjs: pathToFileURL(here.resolve("pdfjs-dist/legacy/build/pdf.mjs")).href,
  fflate: pathToFileURL(here.resolve("fflate")).href,
};

/** What the thread reads: a .docx's parts, unpacked, or a PDF whole. */
export type ReadJob =
  | { type: "docx"; parts: Record<string, Uint8Array> }
  | { type: "pdf"; bytes: Uint8Array; maxChars: number };

/** The idle thread kept for the next file, with the heap cap it was started with. */
let idle: { worker: Worker; heapMb: number } | null = null;
/** Files wait for the one before them: the growth watch measures one file at a time. */
let queue: Promise<unknown> = Promise.resolve();

function threadFor(heapMb: number): Worker {
  if (idle?.heapMb === heapMb) {
    const { worker } = idle;
    idle = null;
    worker.ref();
    return worker;
  }
  void idle?.worker.terminate();
  idle = null;
  return new Worker(THREAD, {
    eval: true,
    workerData: LIBRARIES,
    resourceLimits: { maxOldGenerationSizeMb: heapMb },
  });
}

function readOne(job: ReadJob, limits: ReadLimits): Promise<ReadOutcome> {
  const worker = threadFor(limits.heapMb);
  const start = process.memoryUsage.rss();
  return new Promise<ReadOutcome>((resolve) => {
    let settled = false;
    const finish = (outcome: ReadOutcome, keep: boolean) => {
      if (settled) return;
      settled = true;
      clearInterval(watch);
      clearTimeout(timer);
      worker.off("message", onMessage).off("error", onError).off("exit", onExit);
      if (keep) {
        // An idle thread never keeps the process alive on its own.
        worker.unref();
        idle = { worker, heapMb: limits.heapMb };
      } else void worker.terminate();
      resolve(outcome);
    };
    const watch = setInterval(() => {
      if (process.memoryUsage.rss() - start > limits.growthMb * 1_048_576)
        finish({ kind: "too_large" }, false);
    }, WATCH_MS);
    const timer = setTimeout(() => finish({ kind: "too_slow" }, false), limits.timeoutMs);
    const onMessage = (outcome: ReadOutcome) => finish(outcome, true);
    // ERR_WORKER_OUT_OF_MEMORY is the heap cap; any other death of the thread is a file it
    // could not read.
    const onError = (e: Error & { code?: string }) =>
      finish({ kind: e.code === "ERR_WORKER_OUT_OF_MEMORY" ? "too_large" : "invalid" }, false);
    const onExit = () => finish({ kind: "invalid" }, false);
    worker.on("message", onMessage).on("error", onError).on("exit", onExit);
    // The thread gets copies (pdf.js detaches the buffer it is given).
    worker.postMessage(job);
  });
}

/** Reads one .docx or .pdf in the reading thread, within `limits`; files are read in turn. */
export function readInThread(job: ReadJob, limits: ReadLimits): Promise<ReadOutcome> {
  const turn = queue.then(() => readOne(job, limits));
  queue = turn.catch(() => undefined);
  return turn;
}
