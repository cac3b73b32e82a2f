// `atelya serve` as a real process: first-run setup over HTTP, a room started with scripted
// latency, SIGTERM in the middle of the run — the process exits cleanly, no step is left held by
// it, and a new `atelya serve` on the same data finishes the room with a gapless history in which
// no task succeeded twice.
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { waitUntil } from "../support/processes.js";
import { startServe, type ServeProcess } from "../support/serve-process.js";

const dataDir = mkdtempSync(join(tmpdir(), "atelya-serve-"));
const running: ChildProcess[] = [];

afterAll(() => {
  for (const c of running) c.kill("SIGKILL");
  rmSync(dataDir, { recursive: true, force: true });
});

async function serve(): Promise<ServeProcess> {
  const started = await startServe({ dataDir, latencyMs: 150 });
  running.push(started.child);
  return started;
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
