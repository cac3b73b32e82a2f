// Killing a worker with SIGKILL mid-run loses nothing: the room completes after a restart, no
// committed step runs again, every call is debited exactly once and the history has no gap.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openRuntime, type Runtime } from "../../src/runtime.js";
import { ScriptedModel } from "../../src/models/scripted.js";
import { createWorkspace } from "../../src/app/workspaces.js";
import { createWorkroom, startWorkroom } from "../../src/app/workrooms.js";
import type { WorkroomId, WorkspaceId } from "../../src/domain/ids.js";
import type { HistoryEvent, Workspace } from "../../src/domain/types.js";
import { listEvents } from "../../src/store/events.js";
import { execOf } from "../../src/store/exec.js";
import { createTestDatabase, type TestDatabase } from "../support/databases.js";
import { TEST_MASTER_KEY } from "../support/keys.js";
import { ownerOf, proposalRoom } from "../support/fixtures.js";
import { spawnWorker, stepSpans, waitUntil, type WorkerProcess } from "../support/processes.js";

let db: TestDatabase | undefined;
let runtime: Runtime | undefined;
const children: WorkerProcess[] = [];

afterEach(async () => {
  await Promise.all(children.splice(0).map((c) => c.kill()));
  await runtime?.close();
  await db?.drop();
  runtime = undefined;
  db = undefined;
});

async function setUp(
  dialect: "sqlite" | "postgres",
): Promise<{ rt: Runtime; ws: Workspace; logDir: string }> {
  db = await createTestDatabase(dialect);
  runtime = await openRuntime({
    databaseUrl: db.url,
    masterKey: TEST_MASTER_KEY,
    models: new ScriptedModel(),
  });
  const ws = await createWorkspace(runtime.deps, {
    name: "Crash Agency",
    plan: "agency",
    defaultModel: "scripted",
    topup: 100_000,
  });
  return { rt: runtime, ws, logDir: mkdtempSync(join(tmpdir(), "atelya-crash-")) };
}

async function roomStates(rt: Runtime, ids: string[]): Promise<string[]> {
  const rows = await rt.deps.store.db
    .selectFrom("workrooms")
    .select(["id", "state"])
    .where("id", "in", ids)
    .execute();
  return rows.map((r) => r.state);
}

/** A room's whole history, as the API reads it. */
async function roomHistory(rt: Runtime, id: string): Promise<HistoryEvent[]> {
  const room = await rt.deps.store.db
    .selectFrom("workrooms")
    .select("workspace_id")
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
  return listEvents(execOf(rt.deps.store), {
    id: id as WorkroomId,
    workspaceId: room.workspace_id as WorkspaceId,
  });
}

/** The durable-history invariants every crash test checks. */
async function expectConsistent(rt: Runtime, ids: string[]): Promise<void> {
  const db = rt.deps.store.db;
  for (const id of ids) {
    const events = await roomHistory(rt, id);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    const succeeded = events
      .filter((e) => e.type === "task.succeeded")
      .map((e) => e.data.task_id as string);
    expect(new Set(succeeded).size).toBe(succeeded.length);
    expect(succeeded).toHaveLength(6);
    const calls = await db
      .selectFrom("model_calls")
      .select(["credits", "charged"])
      .where("workroom_id", "=", id)
      .execute();
    const debits = await db
      .selectFrom("ledger")
      .select(["allowance_delta", "topup_delta", "idempotency_key"])
      .where("workroom_id", "=", id)
      .execute();
    expect(debits).toHaveLength(calls.length);
    expect(new Set(debits.map((d) => d.idempotency_key)).size).toBe(debits.length);
    const room = await db
      .selectFrom("workrooms")
      .select(["credits_spent"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(-debits.reduce((n, d) => n + d.allowance_delta + d.topup_delta, 0)).toBe(
      room.credits_spent,
    );
    expect(
      events
        .filter((e) => e.type === "model.call")
        .reduce((n, e) => n + (e.data.credits as number), 0),
    ).toBe(room.credits_spent);
  }
}

describe("a worker killed with SIGKILL", () => {
  it("on SQLite: the room completes after restart without redoing committed steps", async () => {
    const { rt, ws, logDir } = await setUp("sqlite");
    const room = await createWorkroom(rt.deps, ownerOf(ws), proposalRoom());
    await startWorkroom(rt.deps, ownerOf(ws), room.id);
    const first = await spawnWorker(db!.url, "first", {
      latencyMs: 150,
      leaseMs: 1_000,
      logFile: join(logDir, "first.log"),
    });
    children.push(first);
    const succeeded = async () =>
      (await roomHistory(rt, room.id)).filter((e) => e.type === "task.succeeded").length;
    await waitUntil(async () => (await succeeded()) >= 2, "two tasks to finish");
    const killedAt = await first.kill("SIGKILL");
    expect(await roomStates(rt, [room.id])).toEqual(["executing"]);
    const doneBefore = stepSpans(first.logFile, killedAt)
      .filter((s) => s.end !== killedAt)
      .map((s) => s.step);

    const second = await spawnWorker(db!.url, "second", {
      latencyMs: 150,
      leaseMs: 1_000,
      logFile: join(logDir, "second.log"),
    });
    children.push(second);
    await waitUntil(
      async () => (await roomStates(rt, [room.id]))[0] === "completed",
      "the room to complete",
    );
    const redone = stepSpans(second.logFile).filter((s) => doneBefore.includes(s.step));
    expect(redone).toEqual([]);
    await expectConsistent(rt, [room.id]);
  });

  it("on PostgreSQL: two workers share 50 rooms, one is killed, all complete and no step is worked by both at once", async () => {
    const { rt, ws, logDir } = await setUp("postgres");
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) {
      const room = await createWorkroom(rt.deps, ownerOf(ws), proposalRoom({ title: `Room ${i}` }));
      ids.push(room.id);
    }
    const a = await spawnWorker(db!.url, "a", {
      latencyMs: 40,
      leaseMs: 1_500,
      logFile: join(logDir, "a.log"),
    });
    const b = await spawnWorker(db!.url, "b", {
      latencyMs: 40,
      leaseMs: 1_500,
      logFile: join(logDir, "b.log"),
    });
    children.push(a, b);
    for (const id of ids) await startWorkroom(rt.deps, ownerOf(ws), id);
    await waitUntil(
      async () => (await roomStates(rt, ids)).filter((s) => s === "completed").length >= 10,
      "ten rooms to complete",
    );
    const killedAt = await a.kill("SIGKILL");
    expect((await roomStates(rt, ids)).filter((s) => s === "completed").length).toBeLessThan(50);
    await waitUntil(
      async () => (await roomStates(rt, ids)).every((s) => s === "completed"),
      "all 50 rooms to complete",
      60_000,
    );

    const spans = [...stepSpans(a.logFile, killedAt), ...stepSpans(b.logFile)];
    expect(new Set(spans.map((s) => s.worker))).toEqual(new Set(["a", "b"]));
    const byStep = new Map<string, typeof spans>();
    for (const s of spans) byStep.set(s.step, [...(byStep.get(s.step) ?? []), s]);
    for (const [, list] of byStep)
      for (const x of list)
        for (const y of list)
          if (x !== y && x.worker !== y.worker)
            expect(x.end <= y.start || y.end <= x.start, `step ${x.step} overlapped`).toBe(true);
    await expectConsistent(rt, ids);
  });
});
