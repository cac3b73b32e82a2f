// The monthly allowance resets on the month boundary and does not roll over; top-ups survive it and
// are spent after the allowance; the ledger always sums to the balance.
import { afterEach, describe, expect, it } from "vitest";
import { addTopUp, balance, estimateRoom, ledger } from "../../src/app/credits.js";
import { createWorkroom, startWorkroom } from "../../src/app/workrooms.js";
import { PLANS } from "../../src/domain/roles.js";
import { ownerOf, proposalRoom } from "../support/fixtures.js";
import { startHarness, type Harness } from "../support/harness.js";
import { ManualClock } from "../support/clock.js";
import type { Actor } from "../../src/app/context.js";
import { DIALECTS } from "../support/databases.js";
import { currentWorkspace } from "../../src/engine/metering.js";
import { withTx } from "../../src/engine/tx.js";

describe.each(DIALECTS)("credit balances on %s", (dialect) => {
  let h: Harness;
  afterEach(async () => h?.close());

  const ledgerSum = async (actor: Actor) =>
    (await ledger(h.runtime.deps, actor)).reduce((n, l) => n + l.allowanceDelta + l.topupDelta, 0);

  it("resets the allowance at the month boundary without roll-over; top-ups survive and are spent last", async () => {
    const clock = new ManualClock(new Date("2026-11-30T22:00:00Z"));
    h = await startHarness(dialect, { clock });
    const actor = ownerOf(h.workspace);
    await addTopUp(h.runtime.deps, actor, 500, "pack-1");
    const monthly = PLANS.agency.monthlyCredits;
    expect(await balance(h.runtime.deps, actor)).toMatchObject({
      allowance: monthly,
      topup: 500,
      period: "2026-11",
    });

    const room = await createWorkroom(h.runtime.deps, actor, proposalRoom());
    await startWorkroom(h.runtime.deps, actor, room.id);
    const done = await h.waitFor(room.id, ["completed"]);
    const november = await balance(h.runtime.deps, actor);
    expect(november).toMatchObject({ allowance: monthly - done.creditsSpent, topup: 500 });
    expect(await ledgerSum(actor)).toBe(november.total);

    clock.set(new Date("2026-12-01T00:00:01Z"));
    const december = await balance(h.runtime.deps, actor);
    expect(december).toMatchObject({ allowance: monthly, topup: 500, period: "2026-12" });
    expect(await ledgerSum(actor)).toBe(december.total);
    const kinds = (await ledger(h.runtime.deps, actor)).map((l) => l.kind);
    expect(kinds.filter((k) => k === "allowance_expiry")).toHaveLength(1);
    expect(kinds.filter((k) => k === "allowance_grant")).toHaveLength(2);
    // Asking again in the same month grants nothing more.
    expect((await balance(h.runtime.deps, actor)).total).toBe(december.total);
  });

  it("keeps the new month's allowance when a clock a moment behind reads the workspace after the month turned", async () => {
    const clock = new ManualClock(new Date("2026-11-30T23:59:00Z"));
    h = await startHarness(dialect, { clock, worker: false });
    const actor = ownerOf(h.workspace);
    const monthly = PLANS.agency.monthlyCredits;
    clock.set(new Date("2026-12-01T00:00:00.500Z"));
    expect(await balance(h.runtime.deps, actor)).toMatchObject({
      allowance: monthly,
      period: "2026-12",
    });
    // Another process whose clock is 0.6 s behind (or a transaction begun just before midnight)
    // reads the workspace, through the app and through the engine.
    clock.set(new Date("2026-11-30T23:59:59.900Z"));
    expect(await balance(h.runtime.deps, actor)).toMatchObject({
      allowance: monthly,
      period: "2026-12",
    });
    const engineView = await withTx(h.runtime.deps, (tx) => currentWorkspace(tx, h.workspace.id));
    expect(engineView).toMatchObject({ allowanceCredits: monthly, allowancePeriod: "2026-12" });

    clock.set(new Date("2026-12-01T00:00:05Z"));
    expect(await balance(h.runtime.deps, actor)).toMatchObject({
      allowance: monthly,
      period: "2026-12",
    });
    const rows = await ledger(h.runtime.deps, actor);
    expect(rows.filter((l) => l.kind === "allowance_expiry").map((l) => l.note)).toEqual([
      "Unused allowance of 2026-11 expired",
    ]);
    expect(await ledgerSum(actor)).toBe(monthly);
  });

  it("flags a room whose estimate exceeds its cap before it starts", async () => {
    h = await startHarness(dialect, { worker: false });
    const actor = ownerOf(h.workspace);
    const tight = await createWorkroom(h.runtime.deps, actor, proposalRoom({ max_credits: 3 }));
    const roomy = await createWorkroom(h.runtime.deps, actor, proposalRoom({ max_credits: 5_000 }));
    const e = await estimateRoom(h.runtime.deps, actor, tight.id);
    expect(e.expected).toBeGreaterThan(3);
    expect(e.low).toBeLessThanOrEqual(e.expected);
    expect(e.exceedsCap).toBe(true);
    expect((await estimateRoom(h.runtime.deps, actor, roomy.id)).exceedsCap).toBe(false);
  });
});
