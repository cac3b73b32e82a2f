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
