// With 200 ms per model call, a room takes about as long as its critical path: independent tasks
// run in parallel and the engine adds little between steps.
import { afterEach, describe, expect, it } from "vitest";
import { createWorkroom, startWorkroom, workroomHistory } from "../../src/app/workrooms.js";
import { ownerOf, proposalRoom } from "../support/fixtures.js";
import { startHarness, type Harness } from "../support/harness.js";

// On the embedded store. On PostgreSQL each step adds ~15 ms of round trips on this machine
// (about 8% at 200 ms per call); `npm run bench` reports it rather than a timed test.
describe.each(["sqlite"] as const)("parallel execution on %s", (dialect) => {
  let h: Harness;
  afterEach(async () => h?.close());

  it("finishes within 15% of the critical path", async () => {
    h = await startHarness(dialect, { model: { latencyMs: 200 } });
    const actor = ownerOf(h.workspace);
    const room = await createWorkroom(h.runtime.deps, actor, proposalRoom());
    await startWorkroom(h.runtime.deps, actor, room.id);
    await h.waitFor(room.id, ["completed"]);
    const history = await workroomHistory(h.runtime.deps, actor, room.id);
    const started = history.find((e) => e.type === "state.changed" && e.data.to === "planning")!.at;
    const finished = history.find(
      (e) => e.type === "state.changed" && e.data.to === "completed",
    )!.at;
    // plan → scope → pricing ∥ timeline → risks → summary → compose: 6 calls on the critical path.
    const criticalPath = 6 * 200;
    // Pricing and timeline really overlapped.
    const starts = history
      .filter((e) => e.type === "task.started")
      .map((e) => [e.data.title, e.at] as const);
    const pricing = starts.find(([t]) => t === "Pricing")![1];
    const timeline = starts.find(([t]) => t === "Timeline")![1];
    expect(Math.abs(pricing - timeline)).toBeLessThan(100);
    expect(finished - started).toBeGreaterThanOrEqual(criticalPath);
    expect(finished - started).toBeLessThanOrEqual(criticalPath * 1.15);
  });
});
