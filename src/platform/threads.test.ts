import { describe, expect, it } from "vitest";
import { threadPool } from "./threads.js";

// A thread that answers each job after `ms`, or never (`hang`), or exits, or fills its heap.
const SOURCE = `
const { parentPort } = require("node:worker_threads");
parentPort.on("message", (job) => {
  if (job.do === "exit") process.exit(3);
  if (job.do === "hang") return;
  if (job.do === "grow") { const a = []; for (;;) a.push(new Array(1e5).fill(Math.random())); }
  setTimeout(() => parentPort.postMessage({ id: job.id, at: Date.now() }), job.ms ?? 0);
});
`;
type Job = { id?: number; do?: string; ms?: number };
type Answer = { id: number; at: number };
const limits = { heapMb: 64, timeoutMs: 2_000 };

describe("a pool of threads with limits", () => {
  it("runs at most `threads` jobs at once; the rest wait their turn, in order", async () => {
    const pool = threadPool<Job, Answer>({ source: SOURCE, workerData: null, threads: 2 });
    const started = Date.now();
    const outcomes = await Promise.all(
      [1, 2, 3, 4, 5].map((id) => pool.run({ id, ms: 150 }, limits)),
    );
    const answers = outcomes.map((o) => (o.kind === "answered" ? o.answer : undefined));
    expect(answers.map((a) => a?.id)).toEqual([1, 2, 3, 4, 5]);
    // Two at a time: the fifth job ran in the third turn, after two turns of 150 ms.
    expect(answers[4]!.at - started).toBeGreaterThanOrEqual(450);
    expect(answers[2]!.at).toBeGreaterThanOrEqual(answers[0]!.at);
  });

  it("ends a job past its time, a thread that dies, and one past its heap; the next job runs", async () => {
    const pool = threadPool<Job, Answer>({ source: SOURCE, workerData: null, threads: 1 });
    expect(await pool.run({ do: "hang" }, { ...limits, timeoutMs: 200 })).toEqual({
      kind: "too_slow",
    });
    expect(await pool.run({ do: "exit" }, limits)).toEqual({
      kind: "died",
      message: "the thread exited (code 3)",
    });
    expect(await pool.run({ do: "grow" }, { ...limits, heapMb: 16, timeoutMs: 20_000 })).toEqual({
      kind: "too_large",
    });
    expect(await pool.run({ id: 9 }, limits)).toMatchObject({
      kind: "answered",
      answer: { id: 9 },
    });
  });
});
