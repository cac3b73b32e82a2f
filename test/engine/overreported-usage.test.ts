// A provider that reports more tokens than the call's worst case: the call is charged at most its
// reservation, and the usage row, the ledger, the room and the history all say the same credits
// (the row once said 148,000 where the ledger and the history said 1).
import { afterEach, describe, expect, it } from "vitest";
import { createWorkroom, startWorkroom, workroomHistory } from "../../src/app/workrooms.js";
import { callCost } from "../../src/domain/credits.js";
import { DEFAULT_PRICING, priceOf, ratesOf } from "../../src/models/pricing.js";
import { ownerOf, proposalRoom } from "../support/fixtures.js";
import { startHarness, type Harness } from "../support/harness.js";

describe("a call whose reported usage exceeds its reservation", () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it("is charged its reservation at most, and every record of it agrees", async () => {
    const warnings: string[] = [];
    const reported = { inputTokens: 2_000, outputTokens: 1_000_000, cachedInputTokens: 0 };
    h = await startHarness("sqlite", {
      model: { usage: () => reported }, // only the plan is asked for: the room stops for review
      log: { info() {}, error() {}, warn: (_, msg) => warnings.push(msg ?? "") },
    });
    const actor = ownerOf(h.workspace);
    const room = await createWorkroom(h.runtime.deps, actor, proposalRoom({ review_plan: true }));
    await startWorkroom(h.runtime.deps, actor, room.id);
    const paused = await h.waitFor(room.id, ["paused", "failed"]);
    expect(paused.pauseReason).toBe("plan_review");

    const call = (await workroomHistory(h.runtime.deps, actor, room.id)).find(
      (e) => e.type === "model.call",
    )!;
    const uncapped = callCost(reported, ratesOf(priceOf("scripted", DEFAULT_PRICING, false)));
    expect(call.data).toMatchObject({
      output_tokens: 1_000_000, // recorded as reported
      uncapped_credits: uncapped,
      credits: call.data.reserved_credits,
    });
    expect(call.data.credits).toBeLessThan(uncapped);

    const db = h.runtime.deps.store.db;
    const row = await db.selectFrom("model_calls").selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ credits: call.data.credits, charged: 1, output_tokens: 1_000_000 });
    const debit = await db
      .selectFrom("ledger")
      .selectAll()
      .where("kind", "=", "debit")
      .executeTakeFirstOrThrow();
    expect(-(debit.allowance_delta + debit.topup_delta)).toBe(call.data.credits);
    expect(paused.creditsSpent).toBe(call.data.credits);
    expect(warnings).toEqual([expect.stringContaining("more output tokens than the call allowed")]);
  });
});
