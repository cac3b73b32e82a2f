// A workspace's archive is written whole before it is sent (export spool). It held inputs, drafts
// and history in clear in /tmp/atelya-export-<uuid>.zip, readable by any local user (0644), and a
// server killed while sending it left the file there for good. The spool file now lives in a
// private folder, is readable by its owner alone, has no name while it is written and sent (so a
// kill at any moment leaves nothing), and what a killed process did leave is removed at start.
import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { text } from "node:stream/consumers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportWorkspace } from "../../src/app/workspace-data.js";
import { createWorkroom } from "../../src/app/workrooms.js";
import { startApi, type ApiWorld } from "../support/api.js";

const SECRET = "Marta's home address: Pikk 12, Tallinn.";

/** Files this process holds open under `dir`, by the name they had, with their mode (Linux). */
function openFilesUnder(dir: string): { target: string; mode: number }[] {
  const open: { target: string; mode: number }[] = [];
  for (const fd of readdirSync("/proc/self/fd")) {
    let target: string;
    try {
      target = readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      continue; // closed meanwhile (the readdir's own descriptor)
    }
    if (target.startsWith(dir)) open.push({ target, mode: statSync(`/proc/self/fd/${fd}`).mode });
  }
  return open;
}

/** Archives the old code spooled to the system's temporary folder. */
const inTmp = () => readdirSync(tmpdir()).filter((f) => /^atelya-export-[0-9a-f-]+\.zip$/.test(f));

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
  return Number(child.stdout.toString());
}

describe("the workspace export's spool file", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "atelya-spool-test-"));
  const spoolDir = join(dataDir, "spool");
  let api: ApiWorld;
  beforeAll(async () => {
    api = await startApi("sqlite", { config: { spoolDir } });
    const deps = api.server.harness.runtime.deps;
    await createWorkroom(deps, api.people.owner.actor, {
      title: "Private brief",
      deliverables: ["Proposal"],
      inputs: [{ kind: "brief", content: SECRET }],
    });
  });
  afterAll(async () => {
    await api?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it.runIf(process.platform === "linux")(
    "is readable by its owner alone and has no name while it is sent, and is gone after",
    async () => {
      const before = new Set(inTmp());
      const archive = await exportWorkspace(
        api.server.harness.runtime.deps,
        api.people.owner.actor,
        spoolDir,
      );
      // Written, not yet read: the bytes are in a file this process holds open, which no other
      // user may open and which no path reaches (a kill now leaves nothing behind).
      expect(inTmp().filter((f) => !before.has(f))).toEqual([]);
      expect(statSync(spoolDir).mode & 0o777).toBe(0o700);
      expect(readdirSync(spoolDir)).toEqual([]);
      const open = openFilesUnder(spoolDir);
      expect(open).toHaveLength(1);
      expect(open[0]!.target).toMatch(/ \(deleted\)$/);
      expect(open[0]!.mode & 0o777).toBe(0o600);

      await text(archive.stream);
      await expect.poll(() => openFilesUnder(spoolDir)).toEqual([]);
    },
  );

  it("sends the archive whole over HTTP and leaves nothing in the spool folder", async () => {
    const res = await fetch(`${api.url}/api/v1/workspace/export`, {
      headers: { authorization: `Bearer ${api.people.owner.key}` },
    });
    expect(res.status).toBe(200);
    expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    expect(readdirSync(spoolDir)).toEqual([]);
  });

  it("removes at start what a killed process left in the spool folder, and nothing else", async () => {
    const dir = join(dataDir, "restart-spool");
    mkdirSync(dir, { mode: 0o700 });
    const dead = join(dir, `atelya-export-${deadPid()}-0b0e5f7e.zip`);
    const live = join(dir, `atelya-export-${process.pid}-5a1d0c3b.zip`);
    const other = join(dir, "notes.txt");
    for (const f of [dead, live, other]) writeFileSync(f, SECRET, { mode: 0o600 });

    const restarted = await startApi("sqlite", { config: { spoolDir: dir } });
    try {
      expect(existsSync(dead)).toBe(false);
      // A file of a process still running is its own (another server on the same data folder).
      expect(existsSync(live)).toBe(true);
      expect(existsSync(other)).toBe(true);
    } finally {
      await restarted.close();
    }
  });
});
