// A room a provider's rate limit paused resumes by itself once the provider's wait is over: a
// workspace's unattended room used to sit paused until a person pressed Resume. Only that pause
// resumes by itself (never a person's), a person resuming sooner takes the time back, a worker
// that starts after the time resumes the room, and two workers on one database resume it once.
import { afterEach, describe, expect, it } from "vitest";
import { openRuntime, type Runtime } from "../../src/runtime.js";
import { createWorkspace } from "../../src/app/workspaces.js";
import {
  control,
  createWorkroom,
  getWorkroom,
  startWorkroom,
  workroomHistory,
} from "../../src/app/workrooms.js";
import type { Actor } from "../../src/app/context.js";
import type { HistoryEvent, Workroom } from "../../src/domain/types.js";
import type { WorkroomState } from "../../src/domain/workroom.js";
import { ProviderError } from "../../src/models/errors.js";
import { resumeDueRooms } from "../../src/engine/resume-due.js";
import { ScriptedModel } from "../../src/models/scripted.js";
import { toWorkroomView } from "../../src/server/views/workrooms.js";
import { ManualClock } from "../support/clock.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../support/databases.js";
import { ownerOf, proposalRoom } from "../support/fixtures.js";
import { TEST_MASTER_KEY } from "../support/keys.js";
import { waitUntil } from "../support/processes.js";

const START = new Date("2026-03-02T14:00:00Z");
const WAIT_MS = 300_000;
const UNTIL = START.getTime() + WAIT_MS;

let db: TestDatabase | undefined;
const runtimes: Runtime[] = [];
afterEach(async () => {
  for (const rt of runtimes.splice(0)) await rt.close();
  await db?.drop();
  db = undefined;
});

/** A model whose first call for the plan is refused with a 429 asking to wait 300 s. */
function rateLimitedOnce(): ScriptedModel {
  let limited = false;
  return new ScriptedModel({
    fail: (c) => {
      if (limited || c.req.purpose !== "plan") return undefined;
      limited = true;
      return new ProviderError("HTTP 429: Rate limited", true, 429, WAIT_MS);
    },
  });
}

/** An engine on the test database (a process of its own, as far as the database can tell). */
async function engine(clock: ManualClock, model = rateLimitedOnce()): Promise<Runtime> {
  const rt = await openRuntime({
    databaseUrl: db!.url,
    masterKey: TEST_MASTER_KEY,
    models: model,
    clock,
    config: { idlePollMs: 20 },
  });
  runtimes.push(rt);
  return rt;
}

async function setUp(dialect: "sqlite" | "postgres") {
  db = await createTestDatabase(dialect);
  const clock = new ManualClock(START);
  const rt = await engine(clock);
  const ws = await createWorkspace(rt.deps, {
    name: "Agency",
    plan: "agency",
    defaultModel: "scripted",
  });
  const actor = ownerOf(ws);
  const room = await createWorkroom(rt.deps, actor, proposalRoom());
  return { clock, rt, actor, roomId: room.id };
}

const roomOf = async (rt: Runtime, actor: Actor, id: string): Promise<Workroom> =>
  (await getWorkroom(rt.deps, actor, id, { drafts: false })).room;

/** Waits until the room is in one of `states` (read from the database: any engine may move it). */
async function reached(rt: Runtime, actor: Actor, id: string, states: WorkroomState[]) {
  await waitUntil(
    async () => states.includes((await roomOf(rt, actor, id)).state),
    `room ${id} to reach ${states.join("|")}`,
    20_000,
  );
  return roomOf(rt, actor, id);
}

const resumes = (history: HistoryEvent[]) =>
  history.filter((e) => e.type === "state.changed" && e.data.command === "resume");

describe.each(DIALECTS)("a room a provider rate-limited, on %s", (dialect) => {
  it("says when it resumes by itself, waits for that time, then resumes and finishes", async () => {
    const { clock, rt, actor, roomId } = await setUp(dialect);
    const worker = rt.startWorker();
    await startWorkroom(rt.deps, actor, roomId);
    const paused = await reached(rt, actor, roomId, ["paused", "failed"]);
    expect(paused).toMatchObject({
      state: "paused",
      pauseReason: "rate_limited",
      resumeAt: UNTIL,
    });
    expect(toWorkroomView(paused).resume_at).toBe("2026-03-02T14:05:00.000Z");
    const pause = (await workroomHistory(rt.deps, actor, roomId)).find(
      (e) => e.type === "state.changed" && e.data.to === "paused",
    );
    expect(pause?.data).toMatchObject({ pause_reason: "rate_limited", resume_at: UNTIL });
    expect(pause?.data.reason).toMatch(/resumes by itself at 2026-03-02 14:05:00 UTC/);

    // A second before the time, a worker with nothing else to do leaves it paused.
    clock.set(new Date(UNTIL - 1_000));
    await worker.whenIdle();
    expect(await roomOf(rt, actor, roomId)).toMatchObject({ state: "paused", resumeAt: UNTIL });

    clock.set(new Date(UNTIL + 1_000));
    const done = await reached(rt, actor, roomId, ["completed", "failed"]);
    expect(done).toMatchObject({ state: "completed", resumeAt: null });
    const resumed = resumes(await workroomHistory(rt.deps, actor, roomId));
    expect(resumed).toHaveLength(1);
    expect(resumed[0]).toMatchObject({
      actor: "engine",
      data: {
        from: "paused",
        to: "planning",
        reason: "Resumed planning by itself: the model provider's wait is over",
      },
    });
  });

  it("is resumed sooner by a person, and a person's later pause is never resumed by itself", async () => {
    const { clock, rt, actor, roomId } = await setUp(dialect);
    const worker = rt.startWorker();
    await startWorkroom(rt.deps, actor, roomId);
    await reached(rt, actor, roomId, ["paused", "failed"]);

    const resumed = await control(rt.deps, actor, roomId, { type: "resume" });
    expect(resumed).toMatchObject({ state: "planning", resumeAt: null });
    expect(toWorkroomView(resumed).resume_at).toBeNull();
    // The plan's call waits for the provider's time all the same; meanwhile the person pauses.
    await worker.whenIdle();
    expect((await roomOf(rt, actor, roomId)).state).toBe("planning");
    await control(rt.deps, actor, roomId, { type: "pause" });

    clock.set(new Date(UNTIL + 60_000));
    await worker.whenIdle();
    expect(await roomOf(rt, actor, roomId)).toMatchObject({
      state: "paused",
      pauseReason: "user",
      resumeAt: null,
    });
    const history = await workroomHistory(rt.deps, actor, roomId);
    expect(resumes(history).map((e) => e.actor)).toEqual(["usr_test"]);

    await control(rt.deps, actor, roomId, { type: "resume" });
    expect((await reached(rt, actor, roomId, ["completed", "failed"])).state).toBe("completed");
  });

  it("is resumed by a worker started after the time, when none ran meanwhile", async () => {
    const { clock, rt, actor, roomId } = await setUp(dialect);
    const first = rt.startWorker();
    await startWorkroom(rt.deps, actor, roomId);
    await reached(rt, actor, roomId, ["paused", "failed"]);
    await first.stop();

    clock.set(new Date(UNTIL + 3_600_000));
    const later = await engine(clock, new ScriptedModel());
    later.startWorker();
    expect((await reached(later, actor, roomId, ["completed", "failed"])).state).toBe("completed");
    const resumed = resumes(await workroomHistory(later.deps, actor, roomId));
    expect(resumed.map((e) => e.actor)).toEqual(["engine"]);
  });

  it("is resumed once when two workers of two engines on one database find it due", async () => {
    const { clock, rt, actor, roomId } = await setUp(dialect);
    rt.startWorker();
    await startWorkroom(rt.deps, actor, roomId);
    await reached(rt, actor, roomId, ["paused", "failed"]);
    const other = await engine(clock, new ScriptedModel());
    other.startWorker();

    clock.set(new Date(UNTIL));
    expect((await reached(rt, actor, roomId, ["completed", "failed"])).state).toBe("completed");
    const history = await workroomHistory(rt.deps, actor, roomId);
    expect(resumes(history)).toHaveLength(1);
    expect(history.filter((e) => e.type === "state.changed").map((e) => e.data.to)).toEqual([
      "planning",
      "paused",
      "planning",
      "executing",
      "composing",
      "completed",
    ]);
  });

  it("is resumed once when two engines look for due rooms at the same moment", async () => {
    const { clock, rt, actor, roomId } = await setUp(dialect);
    const worker = rt.startWorker();
    await startWorkroom(rt.deps, actor, roomId);
    await reached(rt, actor, roomId, ["paused", "failed"]);
    await worker.stop();
    const other = await engine(clock, new ScriptedModel());

    clock.set(new Date(UNTIL));
    const looks = await Promise.all([resumeDueRooms(rt.deps), resumeDueRooms(other.deps)]);
    expect(looks.map((l) => l.resumed).sort()).toEqual([0, 1]);
    expect((await roomOf(rt, actor, roomId)).state).toBe("planning");
    expect(resumes(await workroomHistory(rt.deps, actor, roomId))).toHaveLength(1);
  });
});

describe.each(DIALECTS)("two calls of a room a provider rate-limited at once, on %s", (dialect) => {
  it("have the room wait for the later of the two times", async () => {
    db = await createTestDatabase(dialect);
    const clock = new ManualClock(START);
    // The scripted plan's Pricing and Timeline run side by side after Scope: both are limited.
    const waits = [300_000, 900_000];
    let taskCalls = 0;
    const rt = await engine(
      clock,
      new ScriptedModel({
        fail: (c) => {
          if (c.req.purpose !== "task" || ++taskCalls === 1) return undefined;
          const wait = waits.shift();
          return wait === undefined
            ? undefined
            : new ProviderError("HTTP 429: Rate limited", true, 429, wait);
        },
      }),
    );
    const ws = await createWorkspace(rt.deps, {
      name: "A",
      plan: "agency",
      defaultModel: "scripted",
    });
    const actor = ownerOf(ws);
    const room = await createWorkroom(rt.deps, actor, proposalRoom());
    const worker = rt.startWorker();
    await startWorkroom(rt.deps, actor, room.id);
    await reached(rt, actor, room.id, ["paused", "failed"]);
    await worker.whenIdle();
    expect(waits).toEqual([]);
    expect(await roomOf(rt, actor, room.id)).toMatchObject({
      state: "paused",
      resumeAt: START.getTime() + 900_000,
    });
    clock.set(new Date(START.getTime() + 300_000));
    await worker.whenIdle();
    expect((await roomOf(rt, actor, room.id)).state).toBe("paused");
    clock.set(new Date(START.getTime() + 900_000));
    expect((await reached(rt, actor, room.id, ["completed", "failed"])).state).toBe("completed");
  });
});
