// Pause, resume, replan and cancel at any moment, including while model calls are running.
import { afterEach, describe, expect, it } from "vitest";
import { control, createWorkroom, getWorkroom, startWorkroom } from "../../src/app/workrooms.js";
import { listAudit } from "../../src/store/audit.js";
import { listLedger } from "../../src/store/ledger.js";
import { poolExec } from "../../src/engine/deps.js";
import type { HistoryEvent } from "../../src/domain/types.js";
import { ownerOf, proposalRoom } from "../support/fixtures.js";
import { startHarness, type Harness } from "../support/harness.js";
import { planOf } from "../support/plans.js";
import { DIALECTS } from "../support/databases.js";

const count = (events: HistoryEvent[], type: string) =>
  events.filter((e) => e.type === type).length;

describe.each(DIALECTS)("workroom control on %s", (dialect) => {
  let h: Harness;
  afterEach(async () => h?.close());

  it("pause lets three running tasks finish, starts nothing new, and resume completes the room", async () => {
    h = await startHarness(dialect, {
      model: {
        latencyMs: (c) => (c.req.purpose === "task" ? 300 : 0),
        respond: planOf([
          { title: "Research" },
          { title: "Pricing" },
          { title: "Timeline" },
          { title: "Summary", depends_on: [1, 2, 3] },
        ]),
      },
    });
    const actor = ownerOf(h.workspace);
    const room = await createWorkroom(h.runtime.deps, actor, proposalRoom());
    await startWorkroom(h.runtime.deps, actor, room.id);
    await h.waitForHistory(room.id, (e) => count(e, "task.started") === 3);
    await control(h.runtime.deps, actor, room.id, { type: "pause" });
    const events = await h.waitForHistory(room.id, (e) => count(e, "task.succeeded") === 3);
    const paused = await getWorkroom(h.runtime.deps, actor, room.id);
    expect(paused.room.state).toBe("paused");
    expect(paused.tasks.map((t) => t.status)).toEqual([
      "succeeded",
      "succeeded",
      "succeeded",
      "pending",
      "pending",
    ]);
    expect(count(events, "task.started")).toBe(3);
    expect(count(events, "model.call")).toBe(4); // plan + the three tasks, all recorded

    await control(h.runtime.deps, actor, room.id, { type: "resume" });
    expect((await h.waitFor(room.id, ["completed", "failed"])).state).toBe("completed");
  });

  it("replan aborts running calls, keeps completed tasks and runs the new plan with them as context", async () => {
    let plans = 0;
    h = await startHarness(dialect, {
      model: {
        latencyMs: (c) =>
          c.req.purpose === "task" && /"title":"(Pricing|Timeline)"/.test(c.prompt) ? 5_000 : 0,
        respond: (c) => {
          if (c.req.purpose !== "plan") return undefined;
          plans++;
          return planOf(
            plans === 1
              ? [
                  { title: "Scope" },
                  { title: "Pricing", depends_on: [1] },
                  { title: "Timeline", depends_on: [1] },
                ]
              : [{ title: "Summary" }],
          )(c);
        },
      },
    });
    const actor = ownerOf(h.workspace);
    const room = await createWorkroom(h.runtime.deps, actor, proposalRoom());
    await startWorkroom(h.runtime.deps, actor, room.id);
    await h.waitForHistory(room.id, (e) => count(e, "task.started") === 3);
    const started = Date.now();
    await control(h.runtime.deps, actor, room.id, { type: "replan" });
    const done = await h.waitFor(room.id, ["completed", "failed"]);
    expect(done.state).toBe("completed");
    expect(Date.now() - started).toBeLessThan(4_000); // the 5 s calls were aborted, not awaited
    expect(done.generation).toBe(1);
    const all = await h.runtime.deps.store.db
      .selectFrom("tasks")
      .select(["title", "status", "generation"])
      .where("workroom_id", "=", room.id)
      .orderBy("generation")
      .orderBy("ordinal")
      .execute();
    expect(all).toEqual([
      { title: "Scope", status: "succeeded", generation: 0 },
      { title: "Pricing", status: "discarded", generation: 0 },
      { title: "Timeline", status: "discarded", generation: 0 },
      { title: "Compose", status: "discarded", generation: 0 },
      { title: "Summary", status: "succeeded", generation: 1 },
      { title: "Compose", status: "succeeded", generation: 1 },
    ]);
    const secondPlan = h.model.log.filter((c) => c.req.purpose === "plan")[1]!;
    expect(secondPlan.prompt).toContain("Work already completed in an earlier plan");
    expect(secondPlan.prompt).toMatch(/<output task="1" title="Scope"/);
    // The deliverable is composed from the kept work as well as the new plan's.
    const composed = h.model.log.filter((c) => c.req.purpose === "compose");
    expect(composed).toHaveLength(1);
    expect(composed[0]!.prompt).toMatch(/<output task="1" title="Scope"/);
    expect(composed[0]!.prompt).toMatch(/<output task="1" title="Summary"/);
  });

  it("on the scripted model, a replan plans only the work left, and the deliverable keeps the rest", async () => {
    let replanned = false;
    h = await startHarness(dialect, {
      model: {
        // Risks (after Pricing and Timeline) is still running when the room is replanned.
        latencyMs: (c) =>
          !replanned && c.req.purpose === "task" && /"title":"Risks"/.test(c.prompt) ? 5_000 : 0,
      },
    });
    const actor = ownerOf(h.workspace);
    const room = await createWorkroom(h.runtime.deps, actor, proposalRoom());
    await startWorkroom(h.runtime.deps, actor, room.id);
    await h.waitForHistory(room.id, (e) => count(e, "task.succeeded") === 3);
    replanned = true;
    await control(h.runtime.deps, actor, room.id, { type: "replan" });
    expect((await h.waitFor(room.id, ["completed", "failed"])).state).toBe("completed");
    const detail = await getWorkroom(h.runtime.deps, actor, room.id);
    expect(detail.tasks.map((t) => [t.title, t.dependsOn])).toEqual([
      ["Risks", []],
      ["Summary", [1]],
      ["Compose the Proposal", [1, 2]],
    ]);
    const worked = h.model.log
      .filter((c) => c.req.purpose === "task")
      .map((c) => /"title":"(\w+)"/.exec(c.prompt)?.[1]);
    expect(worked.filter((t) => t === "Scope")).toHaveLength(1);
    const sections = detail.drafts
      .at(-1)!
      .document.sections.map((x) => x.title)
      .join(" | ");
    for (const title of ["Scope", "Pricing", "Timeline", "Risks", "Summary"])
      expect(sections).toContain(title);
  });

  it("cancel stops everything; nothing runs afterwards and spent credits stay recorded", async () => {
    h = await startHarness(dialect, {
      model: { latencyMs: (c) => (c.req.purpose === "task" ? 400 : 0) },
    });
    const actor = ownerOf(h.workspace);
    const room = await createWorkroom(h.runtime.deps, actor, proposalRoom());
    await startWorkroom(h.runtime.deps, actor, room.id);
    await h.waitForHistory(
      room.id,
      (e) => count(e, "task.succeeded") >= 1 && count(e, "task.started") >= 2,
    );
    const cancelled = await control(h.runtime.deps, actor, room.id, { type: "cancel" });
    expect(cancelled.state).toBe("cancelled");
    await h.runtime.startWorker().whenIdle();
    const calls = h.model.log.length;
    await expect(control(h.runtime.deps, actor, room.id, { type: "resume" })).rejects.toMatchObject(
      { code: "illegal_transition" },
    );
    const detail = await getWorkroom(h.runtime.deps, actor, room.id);
    expect(detail.room.state).toBe("cancelled");
    expect(h.model.log.length).toBe(calls);
    const ledger = await listLedger(poolExec(h.runtime.deps), h.workspace.id, {
      workroomId: room.id,
    });
    expect(detail.room.creditsSpent).toBeGreaterThan(0);
    expect(-ledger.reduce((n, l) => n + l.allowanceDelta + l.topupDelta, 0)).toBe(
      detail.room.creditsSpent,
    );
    // The audit log names who created, started and cancelled it; the refused resume left no trace.
    const audit = await listAudit(poolExec(h.runtime.deps), h.workspace.id);
    expect(
      audit
        .filter((a) => a.target === room.id)
        .map((a) => [a.action, a.actor])
        .reverse(),
    ).toEqual([
      ["workroom.created", actor.id],
      ["workroom.started", actor.id],
      ["workroom.cancelled", actor.id],
    ]);
  });

  it("review_plan stops after planning before any task credit is spent", async () => {
    h = await startHarness(dialect);
    const actor = ownerOf(h.workspace);
    const room = await createWorkroom(h.runtime.deps, actor, proposalRoom({ review_plan: true }));
    await startWorkroom(h.runtime.deps, actor, room.id);
    const paused = await h.waitFor(room.id, ["paused"]);
    expect(paused.pauseReason).toBe("plan_review");
    expect(h.model.log.map((c) => c.req.purpose)).toEqual(["plan"]);
    await control(h.runtime.deps, actor, room.id, { type: "resume" });
    expect((await h.waitFor(room.id, ["completed"])).finalRound).toBe(1);
  });

  it("a failed room shows its reason and can be replanned", async () => {
    let fail = true;
    h = await startHarness(dialect, {
      model: {
        fail: (c) =>
          fail && c.req.purpose === "task"
            ? new Error("The provider refused: content policy")
            : undefined,
      },
    });
    const actor = ownerOf(h.workspace);
    const room = await createWorkroom(h.runtime.deps, actor, proposalRoom());
    await startWorkroom(h.runtime.deps, actor, room.id);
    const failed = await h.waitFor(room.id, ["failed"]);
    expect(failed.failureReason).toBe(
      "Task 1 (Scope) failed: The provider refused: content policy",
    );
    fail = false;
    await control(h.runtime.deps, actor, room.id, { type: "replan" });
    expect((await h.waitFor(room.id, ["completed"])).generation).toBe(1);
  });
});
