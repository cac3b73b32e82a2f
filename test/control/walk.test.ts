// One room driven through every transition of the state diagram; in every state it reaches, every
// command the diagram does not allow is refused with a clear error and changes nothing.
import { afterEach, describe, expect, it } from "vitest";
import {
  control,
  createWorkroom,
  getWorkroom,
  startWorkroom,
  workroomHistory,
} from "../../src/app/workrooms.js";
import { requestRevision } from "../../src/app/revisions.js";
import { USER_COMMANDS, type UserCommand, type WorkroomState } from "../../src/domain/workroom.js";
import type { Actor } from "../../src/app/context.js";
import { ownerOf, proposalRoom } from "../support/fixtures.js";
import { startHarness, type Harness } from "../support/harness.js";

const ALLOWED: Record<WorkroomState, readonly string[]> = {
  draft: ["start", "cancel"],
  planning: ["pause", "replan", "cancel"],
  executing: ["pause", "replan", "cancel"],
  composing: ["pause", "cancel"],
  completed: ["request_revision"],
  awaiting_revision: [],
  paused: ["resume", "replan", "cancel"],
  failed: ["replan"],
  cancelled: [],
};

describe("one room through the whole state diagram", () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it("takes every transition and refuses every illegal command without change", async () => {
    let failTasks = false;
    h = await startHarness("sqlite", {
      worker: false,
      model: {
        // A revision takes long enough to check the awaiting_revision state while it runs.
        latencyMs: (c) => (c.req.purpose === "revise" ? 1_000 : 0),
        fail: (c) =>
          failTasks && c.req.purpose === "task" ? new Error("model refused") : undefined,
      },
    });
    const actor: Actor = ownerOf(h.workspace);
    const deps = h.runtime.deps;
    const worker = h.runtime.startWorker();
    const room = await createWorkroom(deps, actor, proposalRoom({ review_plan: true }));
    const seen = new Set<WorkroomState>();

    /** In the room's current state, every command the diagram does not allow is refused and changes nothing. */
    const refuseIllegal = async () => {
      const before = await getWorkroom(deps, actor, room.id);
      const history = (await workroomHistory(deps, actor, room.id)).length;
      seen.add(before.room.state);
      for (const type of USER_COMMANDS.filter((c) => !ALLOWED[before.room.state].includes(c))) {
        const attempt =
          type === "request_revision"
            ? requestRevision(deps, actor, room.id, {
                preset_slug: "tighten",
                preset_args: { instruction: "x" },
              })
            : control(deps, actor, room.id, { type } as UserCommand);
        const outcome = await attempt.then(
          () => "accepted",
          (e: { code?: string }) => e.code,
        );
        expect(`${type} when ${before.room.state}: ${outcome}`).toBe(
          `${type} when ${before.room.state}: illegal_transition`,
        );
      }
      const after = await getWorkroom(deps, actor, room.id);
      expect(after.room).toEqual(before.room);
      expect((await workroomHistory(deps, actor, room.id)).length).toBe(history);
    };
    const settle = async (states: WorkroomState[]) => {
      await h.waitFor(room.id, states);
      await worker.whenIdle();
    };

    await refuseIllegal(); // draft
    await startWorkroom(deps, actor, room.id); // draft → planning
    await settle(["paused"]); // planning → paused (plan_review)
    await refuseIllegal();
    await control(deps, actor, room.id, { type: "resume" }); // paused → executing
    await control(deps, actor, room.id, { type: "pause" }); // executing → paused
    await control(deps, actor, room.id, { type: "replan" }); // paused → planning
    await control(deps, actor, room.id, { type: "pause" }); // planning → paused
    await control(deps, actor, room.id, { type: "resume" }); // paused → planning
    await settle(["paused"]); // the new plan waits for review again
    failTasks = true;
    await control(deps, actor, room.id, { type: "resume" });
    await settle(["failed"]); // executing → failed
    await refuseIllegal();
    failTasks = false;
    await control(deps, actor, room.id, { type: "replan" }); // failed → planning
    await settle(["paused"]);
    await control(deps, actor, room.id, { type: "resume" });
    await settle(["completed"]); // executing → composing → completed
    await refuseIllegal();
    await requestRevision(deps, actor, room.id, {
      preset_slug: "expand",
      preset_args: { instruction: "More on risks" },
    }); // → awaiting_revision
    await refuseIllegal();
    await settle(["completed"]); // awaiting_revision → completed

    const other = await createWorkroom(deps, actor, proposalRoom());
    await control(deps, actor, other.id, { type: "cancel" }); // draft → cancelled
    const states = (await workroomHistory(deps, actor, room.id))
      .filter((e) => e.type === "state.changed")
      .map((e) => `${e.data.from}→${e.data.to}`);
    for (const t of [
      "draft→planning",
      "planning→paused",
      "paused→executing",
      "executing→paused",
      "paused→planning",
      "executing→failed",
      "failed→planning",
      "executing→composing",
      "composing→completed",
      "completed→awaiting_revision",
      "awaiting_revision→completed",
    ])
      expect(states).toContain(t);
    expect([...seen].sort()).toEqual([
      "awaiting_revision",
      "completed",
      "draft",
      "failed",
      "paused",
    ]);
    expect((await getWorkroom(deps, actor, other.id)).room.state).toBe("cancelled");
  });
});
