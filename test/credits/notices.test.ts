// The 80% notices (a room nearing its cap, a workspace nearing its monthly allowance) and the
// hours-saved insights that completed rooms store and the workspace sums.
import { afterEach, describe, expect, it } from "vitest";
import { createWorkroom, startWorkroom, workroomHistory } from "../../src/app/workrooms.js";
import { insights, insightsCsv } from "../../src/app/insights.js";
import { requestRevision } from "../../src/app/revisions.js";
import { ownerOf, proposalRoom } from "../support/fixtures.js";
import { startHarness, type Harness } from "../support/harness.js";
import type { ScriptedCall } from "../../src/models/scripted.js";
import type { Actor } from "../../src/app/context.js";
import { balance } from "../../src/app/credits.js";
import { setPlan } from "../../src/app/plan.js";
import { createWorkspace } from "../../src/app/workspaces.js";
import { PLANS } from "../../src/domain/roles.js";
import { toBalanceView } from "../../src/server/views/credits.js";
import { ManualClock } from "../support/clock.js";

/** Every call writes its whole output budget, so it is charged exactly what it reserved. */
const fullUsage = (c: ScriptedCall) => ({
  inputTokens: Math.ceil(c.prompt.length / 4),
  outputTokens: c.req.maxOutputTokens,
  cachedInputTokens: 0,
});

describe("credit notices at 80%", () => {
  let h: Harness;
  afterEach(async () => h?.close());

  const notices = async (actor: Actor, roomId: string) =>
    (await workroomHistory(h.runtime.deps, actor, roomId))
      .filter((e) => e.type === "budget.threshold_crossed")
      .map((e) => e.data);

  it("tells once when a room's spending crosses 80% of its cap", async () => {
    h = await startHarness("sqlite", { model: { usage: fullUsage } });
    const actor = ownerOf(h.workspace);
    const deps = h.runtime.deps;
    const reference = await createWorkroom(deps, actor, proposalRoom());
    await startWorkroom(deps, actor, reference.id);
    const total = (await h.waitFor(reference.id, ["completed"])).creditsSpent;
    expect(await notices(actor, reference.id)).toEqual([]); // no cap, no notice

    const cap = total + 1; // the room completes at over 80% of it
    const room = await createWorkroom(deps, actor, proposalRoom({ max_credits: cap }));
    await startWorkroom(deps, actor, room.id);
    const done = await h.waitFor(room.id, ["completed", "paused", "failed"]);
    expect(done).toMatchObject({ state: "completed", creditsSpent: total });
    const found = await notices(actor, room.id);
    expect(found).toEqual([{ scope: "workroom", spent: expect.any(Number), limit: cap }]);
    expect(found[0]!.spent).toBeGreaterThanOrEqual(0.8 * cap);
  });

  it("tells once when the workspace's monthly allowance is 80% used", async () => {
    h = await startHarness("sqlite", { model: { usage: fullUsage } });
    const actor = ownerOf(h.workspace);
    const deps = h.runtime.deps;
    const monthly = h.workspace.monthlyAllowance;
    // Two credits short of the 80% line before the room runs.
    await deps.store.db
      .updateTable("workspaces")
      .set({ allowance_credits: Math.ceil(monthly * 0.2) + 2 })
      .where("id", "=", h.workspace.id)
      .execute();
    const room = await createWorkroom(deps, actor, proposalRoom());
    await startWorkroom(deps, actor, room.id);
    await h.waitFor(room.id, ["completed"]);
    expect(await notices(actor, room.id)).toEqual([
      expect.objectContaining({ scope: "workspace", limit: monthly }),
    ]);
  });
});

describe("the allowance notice after a plan change mid-month", () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it("measures use against what this month granted, not the new plan's allowance", async () => {
    const clock = new ManualClock(new Date("2026-11-10T09:00:00Z"));
    h = await startHarness("sqlite", { clock, worker: false });
    const deps = h.runtime.deps;
    const solo = await createWorkspace(deps, {
      name: "Solo Studio",
      plan: "solo",
      defaultModel: "scripted",
    });
    const actor = ownerOf(solo);
    await setPlan(deps, actor, "agency");
    // Nothing is spent: the 1,000 granted for November are all there.
    expect(toBalanceView(await balance(deps, actor))).toMatchObject({
      allowance: PLANS.solo.monthlyCredits,
      allowance_granted: PLANS.solo.monthlyCredits,
      monthly_allowance: PLANS.agency.monthlyCredits,
      allowance_notice: false,
    });
    clock.set(new Date("2026-12-01T00:00:01Z"));
    expect(toBalanceView(await balance(deps, actor))).toMatchObject({
      allowance: PLANS.agency.monthlyCredits,
      allowance_granted: PLANS.agency.monthlyCredits,
      allowance_notice: false,
    });
  });

  it("tells once when 80% of the month's grant is used after moving to a smaller plan", async () => {
    h = await startHarness("sqlite", { model: { usage: fullUsage } });
    const actor = ownerOf(h.workspace);
    const deps = h.runtime.deps;
    const granted = h.workspace.monthlyAllowance;
    await setPlan(deps, actor, "solo");
    // Two credits short of the 80% line of what this month granted.
    await deps.store.db
      .updateTable("workspaces")
      .set({ allowance_credits: Math.ceil(granted * 0.2) + 2 })
      .where("id", "=", h.workspace.id)
      .execute();
    const room = await createWorkroom(deps, actor, proposalRoom());
    await startWorkroom(deps, actor, room.id);
    await h.waitFor(room.id, ["completed"]);
    expect(await notices(actor, room.id)).toEqual([
      expect.objectContaining({ scope: "workspace", limit: granted }),
    ]);
    expect(toBalanceView(await balance(deps, actor)).allowance_notice).toBe(true);
  });

  const notices = async (actor: Actor, roomId: string) =>
    (await workroomHistory(h.runtime.deps, actor, roomId))
      .filter((e) => e.type === "budget.threshold_crossed")
      .map((e) => e.data);
});

describe("insights", () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it("stores hours saved on each completed room, more after a revision, and sums them per workspace", async () => {
    h = await startHarness("sqlite");
    const actor = ownerOf(h.workspace);
    const deps = h.runtime.deps;
    const a = await createWorkroom(deps, actor, proposalRoom({ title: "Aurora proposal" }));
    const b = await createWorkroom(deps, actor, proposalRoom({ title: "Borealis recap" }));
    const idle = await createWorkroom(deps, actor, proposalRoom({ title: "Not started" }));
    for (const r of [a, b]) await startWorkroom(deps, actor, r.id);
    const [doneA, doneB] = [
      await h.waitFor(a.id, ["completed"]),
      await h.waitFor(b.id, ["completed"]),
    ];
    expect(doneA.hoursSaved).toBeGreaterThan(0);

    await requestRevision(deps, actor, a.id, {
      preset_slug: "expand",
      preset_args: { instruction: "More on risks" },
    });
    const revised = await h.waitFor(a.id, ["completed"]);
    expect(revised.hoursSaved).toBeGreaterThan(doneA.hoursSaved!);

    const report = await insights(deps, actor);
    expect(report.completedRooms).toBe(2);
    expect(report.rows.map((r) => r.id).sort()).toEqual([a.id, b.id].sort());
    expect(report.rows.some((r) => r.id === idle.id)).toBe(false);
    const byId = Object.fromEntries(report.rows.map((r) => [r.id, r]));
    expect(byId[a.id]).toMatchObject({ hoursSaved: revised.hoursSaved, rounds: 2 });
    expect(byId[b.id]).toMatchObject({ hoursSaved: doneB.hoursSaved, rounds: 1 });
    expect(report.totalHoursSaved).toBeCloseTo(revised.hoursSaved! + doneB.hoursSaved!, 5);

    const csv = (await insightsCsv(deps, actor)).trim().split("\n");
    expect(csv[0]).toBe("workroom_id,title,client,completed_at,rounds,credits,hours_saved");
    expect(csv).toHaveLength(3);
    await expect(insightsCsv(deps, { ...actor, role: "member" })).rejects.toMatchObject({
      code: "forbidden",
    });
  });
});
