// The room's cap and the workspace balance are hard: a reservation that would cross either pauses
// the room before the call; raising the cap or topping up and resuming completes it.
import { afterEach, describe, expect, it } from "vitest";
import {
  control,
  createWorkroom,
  setMaxCredits,
  startWorkroom,
  workroomHistory,
} from "../../src/app/workrooms.js";
import { addTopUp, balance } from "../../src/app/credits.js";
import { ownerOf, proposalRoom } from "../support/fixtures.js";
import { startHarness, type Harness } from "../support/harness.js";
import { DIALECTS } from "../support/databases.js";
import { reservationFor } from "../../src/domain/credits.js";
import { DEFAULT_PRICING, priceOf, ratesOf } from "../../src/models/pricing.js";
import { COMPOSE_OUTPUT_TOKENS } from "../../src/agents/composer.js";
import { poolExec } from "../../src/engine/deps.js";
import { reservedCredits } from "../../src/store/ledger.js";
import { findWorkroom } from "../../src/store/workrooms.js";

describe.each(DIALECTS)("credit caps on %s", (dialect) => {
  let h: Harness;
  afterEach(async () => h?.close());

  it("pauses on the room's cap before the call and resumes when the cap is raised", async () => {
    h = await startHarness(dialect);
    const actor = ownerOf(h.workspace);
    const room = await createWorkroom(h.runtime.deps, actor, proposalRoom({ max_credits: 10 }));
    await startWorkroom(h.runtime.deps, actor, room.id);
    const paused = await h.waitFor(room.id, ["paused", "completed", "failed"]);
    expect(paused).toMatchObject({ state: "paused", pauseReason: "budget" });
    expect(paused.creditsSpent).toBeLessThanOrEqual(10);
    const callsBefore = h.model.log.length;
    const history = await workroomHistory(h.runtime.deps, actor, room.id);
    expect(history.some((e) => e.type === "budget.reservation_refused")).toBe(true);

    await setMaxCredits(h.runtime.deps, actor, room.id, 500);
    await control(h.runtime.deps, actor, room.id, { type: "resume" });
    const done = await h.waitFor(room.id, ["completed", "failed", "paused"]);
    expect(done.state).toBe("completed");
    expect(done.creditsSpent).toBeLessThanOrEqual(500);
    expect(h.model.log.length).toBeGreaterThan(callsBefore);
  });

  it("pauses a room whose cap is 3 credits below its next reservation before that call; raising the cap completes it", async () => {
    h = await startHarness(dialect);
    const actor = ownerOf(h.workspace);
    const deps = h.runtime.deps;
    // A reference room (the scripted model is deterministic) shows what the Composer's call
    // reserves and what the room has spent before it: the call runs alone, after every task.
    const reference = await createWorkroom(deps, actor, proposalRoom());
    await startWorkroom(deps, actor, reference.id);
    const completed = await h.waitFor(reference.id, ["completed", "failed", "paused"]);
    const compose = (await workroomHistory(deps, actor, reference.id)).find(
      (e) => e.type === "model.call" && e.data.purpose === "compose",
    )!;
    const rates = ratesOf(priceOf("scripted", DEFAULT_PRICING, false));
    const needed = reservationFor(
      compose.data.input_tokens as number,
      COMPOSE_OUTPUT_TOKENS,
      rates,
    );
    const spentBefore = completed.creditsSpent - (compose.data.credits as number);
    const cap = spentBefore + needed - 3;

    const composeCalls = () => h.model.log.filter((c) => c.req.purpose === "compose").length;
    const room = await createWorkroom(deps, actor, proposalRoom({ max_credits: cap }));
    await startWorkroom(deps, actor, room.id);
    const paused = await h.waitFor(room.id, ["paused", "completed", "failed"]);
    expect(paused).toMatchObject({
      state: "paused",
      pauseReason: "budget",
      creditsSpent: spentBefore,
    });
    const refused = (await workroomHistory(deps, actor, room.id)).filter(
      (e) => e.type === "budget.reservation_refused",
    );
    expect(refused.map((e) => e.data)).toEqual([
      expect.objectContaining({ reason: "budget", needed, kind: "compose" }),
    ]);
    expect(composeCalls()).toBe(1); // the reference room's only: this room's was never made

    await setMaxCredits(deps, actor, room.id, cap + 20);
    await control(deps, actor, room.id, { type: "resume" });
    const done = await h.waitFor(room.id, ["completed", "failed", "paused"]);
    expect(done.state).toBe("completed");
    expect(composeCalls()).toBe(2);
    expect(done.creditsSpent).toBe(completed.creditsSpent);
    expect(done.creditsSpent).toBeLessThanOrEqual(cap + 20);
  });

  it("refuses a cap below what the room spent plus what its calls in flight hold, and never spends past the cap", async () => {
    h = await startHarness(dialect, {
      model: { latencyMs: (c) => (c.req.purpose === "task" ? 600 : 0) },
    });
    const actor = ownerOf(h.workspace);
    const deps = h.runtime.deps;
    const room = await createWorkroom(deps, actor, proposalRoom({ max_credits: 500 }));
    await startWorkroom(deps, actor, room.id);
    // The first task's call is in flight: its reservation is held on its claimed step.
    await h.waitForHistory(room.id, (events) => events.some((e) => e.type === "task.started"));
    const { room: held } = await roomAndReserved(room.id);
    expect(held.reserved).toBeGreaterThan(0);
    await expect(setMaxCredits(deps, actor, room.id, held.spent)).rejects.toMatchObject({
      code: "invalid_input",
      message: expect.stringContaining("in flight"),
    });
    const cap = held.spent + held.reserved;
    await setMaxCredits(deps, actor, room.id, cap);
    const after = await h.waitFor(room.id, ["paused", "completed", "failed"]);
    expect(after.creditsSpent).toBeLessThanOrEqual(cap);
    expect(after).toMatchObject({ state: "paused", pauseReason: "budget", maxCredits: cap });
  });

  async function roomAndReserved(id: string) {
    const ex = poolExec(h.runtime.deps);
    const room = (await findWorkroom(ex, h.workspace.id, id))!;
    const reserved = await reservedCredits(ex, h.workspace.id, id);
    return { room: { spent: room.creditsSpent, reserved: reserved.room } };
  }

  it("pauses on an empty workspace balance and resumes after a top-up", async () => {
    h = await startHarness(dialect);
    const actor = ownerOf(h.workspace);
    // Spend the allowance down to a few credits.
    await h.runtime.deps.store.db
      .updateTable("workspaces")
      .set({ allowance_credits: 10 })
      .where("id", "=", h.workspace.id)
      .execute();
    const room = await createWorkroom(h.runtime.deps, actor, proposalRoom());
    await startWorkroom(h.runtime.deps, actor, room.id);
    const paused = await h.waitFor(room.id, ["paused", "completed", "failed"]);
    expect(paused).toMatchObject({ state: "paused", pauseReason: "insufficient_credits" });
    expect((await balance(h.runtime.deps, actor)).total).toBeGreaterThanOrEqual(0);
    await addTopUp(h.runtime.deps, actor, 1_000, "test-pack");
    await addTopUp(h.runtime.deps, actor, 1_000, "test-pack"); // a retried request adds nothing
    expect((await balance(h.runtime.deps, actor)).topup).toBe(1_000);
    await control(h.runtime.deps, actor, room.id, { type: "resume" });
    expect((await h.waitFor(room.id, ["completed", "failed", "paused"])).state).toBe("completed");
  });
});
