// Reads .docx and .pdf files in a thread of their own (platform/threads.ts), one file at a time,
// so a hostile file costs bounded time and memory and never the event loop: pdf.js (its "fake
// worker" runs on the thread that loads it) and mammoth parse synchronously, and before this a
// 717 KB PDF froze every request for seconds while the process grew to 2.5 GB. Besides the
// thread's heap cap and time limit, the process's growth is watched (decoded buffers live outside
// that heap), which is why files are read one at a time.
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { threadPool, type ThreadLimits } from "../../platform/threads.js";

export type ReadLimits = Required<ThreadLimits>;

export const DEFAULT_READ_LIMITS: ReadLimits = { heapMb: 256, growthMb: 512, timeoutMs: 30_000 };

export type ReadOutcome =
  | { kind: "text"; text: string }
  | { kind: "invalid" }
  | { kind: "password" }
  | { kind: "too_slow" }
  | { kind: "too_large" };

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

/** One thread: the growth watch measures one file at a time. */
const reader = threadPool<ReadJob, ReadOutcome>({
  source: THREAD,
  workerData: LIBRARIES,
  threads: 1,
});

/** Reads one .docx or .pdf in the reading thread, within `limits`; files are read in turn. */
export async function readInThread(job: ReadJob, limits: ReadLimits): Promise<ReadOutcome> {
  const outcome = await reader.run(job, limits);
  // A thread that died (not of its heap cap) was reading a file it could not read.
  return outcome.kind === "answered"
    ? outcome.answer
    : outcome.kind === "died"
      ? { kind: "invalid" }
      : outcome;
}
