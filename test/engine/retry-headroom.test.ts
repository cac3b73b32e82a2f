// A retried model call holds the reservation of the try it repeats: one 429 must not make the call
// need twice its worst case, which paused rooms for "budget" although the call fitted the cap.
import { afterEach, describe, expect, it } from "vitest";
import { createWorkroom, startWorkroom, workroomHistory } from "../../src/app/workrooms.js";
import { ProviderError } from "../../src/models/errors.js";
import { ownerOf, proposalRoom } from "../support/fixtures.js";
import { startHarness, type Harness } from "../support/harness.js";

describe("a model call retried after a 429", () => {
  let h: Harness;
  afterEach(async () => h?.close());

  /** A harness whose first model call is answered with a 429, then every call succeeds. */
  const harness = () =>
    startHarness("sqlite", {
      model: {
        fail: (c) =>
          c.index === 1 ? new ProviderError("HTTP 429: Rate limited", true, 429, 10) : undefined,
        gateway: { retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 1, sleep: async () => {} } },
      },
    });

  /** What the plan's call reserves: the need a room with a 1-credit cap is refused for. */
  async function planReservation(): Promise<number> {
    const actor = ownerOf(h.workspace);
    const probe = await createWorkroom(h.runtime.deps, actor, proposalRoom({ max_credits: 1 }));
    await startWorkroom(h.runtime.deps, actor, probe.id);
    await h.waitFor(probe.id, ["paused"]);
    const refused = (await workroomHistory(h.runtime.deps, actor, probe.id)).find(
      (e) => e.type === "budget.reservation_refused",
    )!;
    expect(h.model.log).toHaveLength(0);
    return refused.data.needed as number;
  }

  it("needs no more of the room's cap than its first try did", async () => {
    h = await harness();
    const actor = ownerOf(h.workspace);
    const needed = await planReservation();
    const room = await createWorkroom(
      h.runtime.deps,
      actor,
      proposalRoom({ max_credits: needed, review_plan: true }),
    );
    await startWorkroom(h.runtime.deps, actor, room.id);
    const paused = await h.waitFor(room.id, ["paused", "failed"]);
    expect(paused.pauseReason).toBe("plan_review");
    expect(paused.creditsSpent).toBeGreaterThan(0);
    expect(paused.creditsSpent).toBeLessThanOrEqual(needed);
    const types = (await workroomHistory(h.runtime.deps, actor, room.id)).map((e) => e.type);
    expect(types).toContain("model.retry");
    expect(types).toContain("plan.created");
    expect(types).not.toContain("budget.reservation_refused");
  });

  it("needs no more of the workspace balance than its first try did", async () => {
    h = await harness();
    const actor = ownerOf(h.workspace);
    const needed = await planReservation();
    await h.runtime.deps.store.db
      .updateTable("workspaces")
      .set({ allowance_credits: needed, topup_credits: 0 })
      .where("id", "=", h.workspace.id)
      .execute();
    const room = await createWorkroom(h.runtime.deps, actor, proposalRoom({ review_plan: true }));
    await startWorkroom(h.runtime.deps, actor, room.id);
    const paused = await h.waitFor(room.id, ["paused", "failed"]);
    expect(paused.pauseReason).toBe("plan_review");
    const types = (await workroomHistory(h.runtime.deps, actor, room.id)).map((e) => e.type);
    expect(types).toContain("model.retry");
    expect(types).not.toContain("budget.reservation_refused");
  });
});
