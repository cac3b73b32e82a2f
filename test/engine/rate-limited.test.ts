// A provider asking to wait longer than a call waits (Retry-After: 300 over the gateway's 120 s)
// pauses the room, saying when it resumes by itself; it once failed the room with a message
// telling people to resume it, which a failed room cannot. (test/engine/rate-limit-resume.test.ts
// has the resume itself on both databases.)
import { afterEach, describe, expect, it } from "vitest";
import { openRuntime, type Runtime } from "../../src/runtime.js";
import { createModelGateway } from "../../src/models/router.js";
import { createWorkspace } from "../../src/app/workspaces.js";
import { createWorkroom, startWorkroom, workroomHistory } from "../../src/app/workrooms.js";
import { poolExec } from "../../src/engine/deps.js";
import { findWorkroom } from "../../src/store/workrooms.js";
import type { WorkroomState } from "../../src/domain/workroom.js";
import { startFakeProvider, type FakeProvider } from "../fakes/provider-server.js";
import { scriptedReply } from "../fakes/answers.js";
import { TEST_MASTER_KEY } from "../support/keys.js";
import { ManualClock } from "../support/clock.js";
import { createTestDatabase, type TestDatabase } from "../support/databases.js";
import { ownerOf, proposalRoom } from "../support/fixtures.js";
import { startHarness } from "../support/harness.js";
import { requestRevision } from "../../src/app/revisions.js";
import { ProviderError } from "../../src/models/errors.js";

let fake: FakeProvider | undefined;
let rt: Runtime | undefined;
let db: TestDatabase | undefined;
afterEach(async () => {
  await rt?.close();
  await fake?.close();
  await db?.drop();
  rt = fake = db = undefined;
});

const reached = (r: Runtime, roomId: string, states: WorkroomState[]) =>
  new Promise<void>((resolve) => {
    const off = r.deps.bus.subscribe((m) => {
      if (m.type === "room_state" && m.workroomId === roomId && states.includes(m.state)) {
        off();
        resolve();
      }
    });
  });

describe("a provider that asks to wait longer than a call waits", () => {
  it("pauses the room saying when it resumes by itself, charges nothing, and then completes it", async () => {
    const clock = new ManualClock(new Date("2026-03-02T14:00:00Z"));
    fake = await startFakeProvider("anthropic", scriptedReply);
    db = await createTestDatabase("sqlite");
    const models = createModelGateway({
      config: {
        anthropic: { apiKey: "k", baseURL: fake.url },
        timeoutMs: 2_000,
        retry: { maxRetries: 4, baseDelayMs: 5, maxDelayMs: 1_000 },
      },
    });
    rt = await openRuntime({
      databaseUrl: db.url,
      masterKey: TEST_MASTER_KEY,
      models,
      clock,
      config: { idlePollMs: 50 },
    });
    const ws = await createWorkspace(rt.deps, {
      name: "Agency",
      plan: "agency",
      defaultModel: "anthropic:claude-opus-4-1",
    });
    const actor = ownerOf(ws);
    rt.startWorker();
    fake.faults.push("429-long");
    const room = await createWorkroom(rt.deps, actor, proposalRoom({ max_credits: 2_000 }));
    const paused = reached(rt, room.id, ["paused", "failed"]);
    await startWorkroom(rt.deps, actor, room.id);
    await paused;

    const ex = poolExec(rt.deps);
    expect(await findWorkroom(ex, ws.id, room.id)).toMatchObject({
      state: "paused",
      pauseReason: "rate_limited",
      pausedFrom: "planning",
      creditsSpent: 0,
    });
    const history = await workroomHistory(rt.deps, actor, room.id);
    expect(history.find((e) => e.type === "model.rate_limited")?.data).toMatchObject({
      kind: "plan",
      model: "anthropic:claude-opus-4-1",
      wait_ms: 300_000,
      until: clock.now().getTime() + 300_000,
    });
    expect(
      history.find((e) => e.type === "state.changed" && e.data.to === "paused")?.data,
    ).toMatchObject({
      to: "paused",
      pause_reason: "rate_limited",
      resume_at: clock.now().getTime() + 300_000,
      reason: expect.stringMatching(
        /rate-limited.*wait 5 min; resumes by itself at 2026-03-02 14:05:00 UTC/,
      ),
    });
    expect(history.some((e) => e.type === "model.call")).toBe(false);
    expect(
      await ex.db.selectFrom("ledger").where("kind", "=", "debit").selectAll().execute(),
    ).toEqual([]);

    // Once the wait is over the room resumes by itself, the plan's call is made again and the
    // room completes.
    const done = reached(rt, room.id, ["completed", "failed"]);
    clock.set(new Date("2026-03-02T14:05:01Z"));
    await done;
    expect((await findWorkroom(ex, ws.id, room.id))!.state).toBe("completed");
    expect(fake.faultsSent).toEqual(["429-long"]);
  }, 30_000);
});

describe("a revision round a provider asks to wait for", () => {
  it("fails and is refunded (a round cannot pause), saying to request it again after the wait", async () => {
    const h = await startHarness("sqlite", {
      model: {
        fail: (c) =>
          c.req.purpose === "revise"
            ? new ProviderError("HTTP 429: Rate limited", true, 429, 300_000)
            : undefined,
      },
    });
    try {
      const actor = ownerOf(h.workspace);
      const room = await createWorkroom(h.runtime.deps, actor, proposalRoom());
      await startWorkroom(h.runtime.deps, actor, room.id);
      const done = await h.waitFor(room.id, ["completed"]);
      await requestRevision(h.runtime.deps, actor, room.id, {
        preset_slug: "tighten",
        preset_args: { instruction: "Cut it to the essentials.", target_section: "2" },
      });
      const events = await h.waitForHistory(room.id, (es) =>
        es.some((e) => e.type === "revision.refunded"),
      );
      const failed = events.find(
        (e) => e.type === "state.changed" && e.data.command === "revision_failed",
      );
      expect(failed?.data.reason).toMatch(
        /asks to wait 300 s\); request the round again after that\)/,
      );
      const after = (await findWorkroom(poolExec(h.runtime.deps), h.workspace.id, room.id))!;
      expect(after).toMatchObject({ state: "completed", creditsSpent: done.creditsSpent });
    } finally {
      await h.close();
    }
  });
});
