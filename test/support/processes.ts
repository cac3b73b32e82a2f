// Worker child processes for crash tests, and polling the database across processes (the only
// way to observe another process's SQLite writes).
import { fork, type ChildProcess } from "node:child_process";
import { readFileSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const SCRIPT = fileURLToPath(new URL("./worker-process.ts", import.meta.url));

export interface WorkerProcess {
  child: ChildProcess;
  id: string;
  logFile: string;
  kill(signal?: NodeJS.Signals): Promise<number>;
}

export async function spawnWorker(
  url: string,
  id: string,
  o: { latencyMs: number; leaseMs: number; logFile: string },
): Promise<WorkerProcess> {
  const child = fork(SCRIPT, [url, id, String(o.latencyMs), String(o.leaseMs), o.logFile], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  await new Promise<void>((resolve, reject) => {
    child.once("message", () => resolve());
    child.once("exit", (code) => reject(new Error(`worker ${id} exited early (${code})`)));
  });
  return {
    child,
    id,
    logFile: o.logFile,
    kill(signal = "SIGKILL") {
      return new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve(Date.now());
        child.once("exit", () => resolve(Date.now()));
        child.kill(signal);
      });
    },
  };
}

export async function waitUntil(
  check: () => Promise<boolean>,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface StepSpan {
  worker: string;
  step: string;
  attempt: number;
  start: number;
  end: number;
}

/** The spans during which each worker worked each step; unfinished spans end at `killedAt`. */
export function stepSpans(logFile: string, killedAt = Number.POSITIVE_INFINITY): StepSpan[] {
  if (!existsSync(logFile)) return [];
  const open = new Map<string, StepSpan>();
  const spans: StepSpan[] = [];
  for (const line of readFileSync(logFile, "utf8").split("\n").filter(Boolean)) {
    const e = JSON.parse(line) as {
      msg: string;
      worker: string;
      step: string;
      attempt: number;
      at: number;
    };
    const key = `${e.step}:${e.attempt}`;
    if (e.msg === "step started")
      open.set(key, {
        worker: e.worker,
        step: e.step,
        attempt: e.attempt,
        start: e.at,
        end: killedAt,
      });
    if (e.msg === "step finished") {
      const span = open.get(key);
      if (span) spans.push({ ...span, end: e.at });
      open.delete(key);
    }
  }
  return [...spans, ...open.values()];
}
