// `atelya serve` as a real process: first-run setup over HTTP, a room started with scripted
// latency, SIGTERM in the middle of the run — the process exits cleanly, no step is left held by
// it, and a new `atelya serve` on the same data finishes the room with a gapless history in which
// no task succeeded twice.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { waitUntil } from "../support/processes.js";

const MAIN = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), "atelya-serve-"));
const running: ChildProcess[] = [];

afterAll(() => {
  for (const c of running) c.kill("SIGKILL");
  rmSync(dataDir, { recursive: true, force: true });
});

/** Starts `atelya serve` on a free port and resolves with its address once it listens. */
async function serve(): Promise<{ child: ChildProcess; url: string; exited: Promise<number> }> {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "-e",
      `import(${JSON.stringify(MAIN)}).then((m) => m.main(["node", "atelya", "serve", "--port", "0", "--scripted-latency", "150"]))`,
    ],
    {
      env: { ...process.env, ATELYA_DATA_DIR: dataDir, ATELYA_LOG_LEVEL: "warn" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  running.push(child);
  const exited = new Promise<number>((resolve) =>
    child.once("exit", (code) => resolve(code ?? -1)),
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /serving on (http:\/\/[^\s]+) /.exec(out);
      if (m) resolve(m[1]!);
    });
    child.stderr!.on("data", (d: Buffer) => process.stderr.write(d));
    void exited.then((code) => reject(new Error(`serve exited early (${code}): ${out}`)));
  });
  return { child, url, exited };
}

async function json<T>(url: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(url, init);
  return { status: res.status, body: (await res.json()) as T };
}

describe("atelya serve", () => {
  it("stops gracefully mid-run and a restart finishes the room", async () => {
    const first = await serve();
    const setup = await fetch(`${first.url}/api/v1/setup`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        email: "owner@agency.test",
        name: "Olive Owner",
        password: "correct horse battery staple",
        workspace_name: "Agency",
      }),
    });
    expect(setup.status).toBe(201);
    const cookie = setup.headers.get("set-cookie")!.split(";")[0]!;
    const { csrf_token } = (await setup.json()) as { csrf_token: string };
    const created = await json<{ key: string }>(`${first.url}/api/v1/api-keys`, {
      method: "POST",
      headers: { cookie, "x-csrf-token": csrf_token, "content-type": "application/json" },
      body: JSON.stringify({ name: "test" }),
    });
    expect(created.status).toBe(201);
    const auth = { authorization: `Bearer ${created.body.key}` };

    const room = await json<{ id: string }>(`${first.url}/api/v1/workrooms`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({
        title: "Graceful stop",
        deliverables: ["Proposal"],
        inputs: [{ kind: "brief", content: "A proposal for a florist's spring campaign." }],
      }),
    });
    const id = room.body.id;
    await fetch(`${first.url}/api/v1/workrooms/${id}/start`, { method: "POST", headers: auth });
    type Detail = { state: string; tasks: { status: string }[] };
    const detail = (url: string) =>
      json<Detail>(`${url}/api/v1/workrooms/${id}`, { headers: auth });
    await waitUntil(
      async () => (await detail(first.url)).body.tasks.some((t) => t.status === "succeeded"),
      "a task to finish before the stop",
    );

    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);

    const second = await serve();
    await waitUntil(
      async () => (await detail(second.url)).body.state === "completed",
      "the room to complete after the restart",
      60_000,
    );
    const history = await json<{
      events: { seq: number; type: string; data: { task_id?: string } }[];
    }>(`${second.url}/api/v1/workrooms/${id}/events?limit=1000`, { headers: auth });
    const seqs = history.body.events.map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    const succeeded = history.body.events
      .filter((e) => e.type === "task.succeeded")
      .map((e) => e.data.task_id);
    expect(new Set(succeeded).size).toBe(succeeded.length);
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
  });
});
