// Runs the `atelya` command in a child process, in a data folder of its own (the embedded SQLite
// default), and returns what a user would see: exit code, stdout and stderr.
import { expect } from "vitest";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

const ENTRY = fileURLToPath(new URL("./cli-entry.ts", import.meta.url));
// By path: commands run in a folder of their own, where `--import tsx` would not resolve.
const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

/** A command that succeeded: exit 0, nothing on stderr. Returns its stdout. */
export function succeeded(r: CliResult): string {
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return r.stdout;
}

/** Bad input as the CLI refuses it: exit 2, nothing on stdout, one line on stderr matching. */
export function refused(r: CliResult, message: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe("");
  expect(r.stderr).toMatch(message);
  expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliFolder {
  /** The folder commands run in (relative paths in arguments resolve here). */
  dir: string;
  /** The data folder (ATELYA_DATA_DIR): the SQLite database and the master key. */
  dataDir: string;
  /** Runs `atelya …args`; `input`, if given, is its standard input. */
  run(args: string[], env?: Record<string, string>, input?: string): Promise<CliResult>;
  /** Starts `atelya …args` and hands over the process (for a test that stops it half-way). */
  start(args: string[], env?: Record<string, string>): ChildProcessWithoutNullStreams;
  remove(): void;
}

export function cliFolder(): CliFolder {
  const dir = mkdtempSync(join(tmpdir(), "atelya-cli-"));
  const dataDir = join(dir, ".atelya");
  // Nothing of the machine's own configuration: the embedded default in this folder.
  const base = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !k.startsWith("ATELYA_") && k !== "DATABASE_URL" && !k.endsWith("_API_KEY"),
    ),
  );
  const start = (args: string[], env: Record<string, string> = {}) =>
    spawn(process.execPath, ["--import", TSX, ENTRY, ...args], {
      cwd: dir,
      env: { ...base, ATELYA_DATA_DIR: dataDir, NO_COLOR: "1", ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
  return {
    dir,
    dataDir,
    start,
    run(args, env = {}, input) {
      return new Promise((resolve, reject) => {
        const child = start(args, env);
        child.stdin.end(input);
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
        child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
        child.once("error", reject);
        child.once("close", (code) => resolve({ code, stdout, stderr }));
      });
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
