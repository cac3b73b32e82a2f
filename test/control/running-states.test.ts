// The transitions the one-room walk cannot take in one room: the running states held still (no
// worker, or a room waiting on an approval) so every illegal command is refused there without
// change; composing → paused → composing; planning → failed and composing → failed; cancel from
// every non-terminal state, after which nothing is allowed.
import { afterEach, describe, expect, it } from "vitest";
import { control, createWorkroom, getWorkroom, workroomHistory } from "../../src/app/workrooms.js";
import { decide } from "../../src/app/people.js";
import { requestRevision } from "../../src/app/revisions.js";
import { USER_COMMANDS, type UserCommand, type WorkroomState } from "../../src/domain/workroom.js";
import type { Actor } from "../../src/app/context.js";
import type { Worker } from "../../src/engine/worker.js";
import { ownerOf, proposalRoom } from "../support/fixtures.js";
import { startHarness, type Harness } from "../support/harness.js";
import { planOf } from "../support/plans.js";

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

describe("the running states", () => {
  let h: Harness;
  let worker: Worker | undefined;
  afterEach(async () => {
    await worker?.stop();
    await h?.close();
  });

  it("refuses illegal commands while running, pauses and resumes composing, fails and cancels from each state", async () => {
    let composeMs = 60_000;
    const failing = new Set<string>();
    h = await startHarness("sqlite", {
      worker: false,
      config: { maxStepFailures: 1 },
      model: {
        latencyMs: (c) => (c.req.purpose === "compose" ? composeMs : 0),
        fail: (c) => (failing.has(c.req.purpose) ? new Error("model refused") : undefined),
        respond: planOf([
          { title: "Scope" },
          { title: "Sign-off on the scope", type: "approval", depends_on: [1] },
          { title: "Pricing", depends_on: [2] },
        ]),
      },
    });
    const actor: Actor = ownerOf(h.workspace);
    const deps = h.runtime.deps;
    const seen = new Set<WorkroomState>();
    const state = async (id: string) => (await getWorkroom(deps, actor, id)).room.state;

    const refuseIllegal = async (id: string) => {
      const before = await getWorkroom(deps, actor, id);
      const history = (await workroomHistory(deps, actor, id)).length;
      seen.add(before.room.state);
      for (const type of USER_COMMANDS.filter((c) => !ALLOWED[before.room.state].includes(c))) {
        const attempt =
          type === "request_revision"
            ? requestRevision(deps, actor, id, {
                preset_slug: "tighten",
                preset_args: { instruction: "x" },
              })
            : control(deps, actor, id, { type } as UserCommand);
        const outcome = await attempt.then(
          () => "accepted",
          (e: { code?: string }) => e.code,
        );
        expect(`${type} when ${before.room.state}: ${outcome}`).toBe(
          `${type} when ${before.room.state}: illegal_transition`,
        );
      }
      const after = await getWorkroom(deps, actor, id);
      expect(after.room).toEqual(before.room);
      expect((await workroomHistory(deps, actor, id)).length).toBe(history);
    };
    const transitions = async (id: string) =>
      (await workroomHistory(deps, actor, id))
        .filter((e) => e.type === "state.changed")
        .map((e) => `${e.data.from}→${e.data.to}`);

    // planning, held: no worker runs.
    const a = await createWorkroom(deps, actor, proposalRoom());
    await control(deps, actor, a.id, { type: "start" });
    await refuseIllegal(a.id);

    // executing, held on the approval.
    worker = h.runtime.startWorker();
    await h.waitForHistory(a.id, (es) => es.some((e) => e.type === "approval.requested"));
    await worker.whenIdle();
    expect(await state(a.id)).toBe("executing");
    await refuseIllegal(a.id);

    // composing, held: the Composer's call is slow, and the worker stops (its step is released).
    const { tasks } = await getWorkroom(deps, actor, a.id);
    await decide(deps, actor, a.id, tasks.find((t) => t.type === "approval")!.id, {
      type: "approve",
    });
    await h.waitFor(a.id, ["composing"]);
    await worker.stop();
    await refuseIllegal(a.id);
    await control(deps, actor, a.id, { type: "pause" }); // composing → paused
    await control(deps, actor, a.id, { type: "resume" }); // paused → composing
    expect(await state(a.id)).toBe("composing");
    composeMs = 0;
    worker = h.runtime.startWorker();
    await h.waitFor(a.id, ["completed"]);
    for (const t of [
      "planning→executing",
      "executing→composing",
      "composing→paused",
      "paused→composing",
      "composing→completed",
    ])
      expect(await transitions(a.id)).toContain(t);

    // planning → failed, and composing → failed.
    failing.add("plan");
    const b = await createWorkroom(deps, actor, proposalRoom());
    await control(deps, actor, b.id, { type: "start" });
    await h.waitFor(b.id, ["failed"]);
    expect(await transitions(b.id)).toContain("planning→failed");
    failing.delete("plan");
    failing.add("compose");
    const c = await createWorkroom(deps, actor, proposalRoom());
    await control(deps, actor, c.id, { type: "start" });
    await h.waitForHistory(c.id, (es) => es.some((e) => e.type === "approval.requested"));
    const waiting = (await getWorkroom(deps, actor, c.id)).tasks.find(
      (t) => t.type === "approval",
    )!;
    await decide(deps, actor, c.id, waiting.id, { type: "approve" });
    await h.waitFor(c.id, ["failed"]);
    expect(await transitions(c.id)).toContain("composing→failed");
    failing.clear();

    // cancel from planning, executing, composing and paused; then nothing is allowed.
    await worker.stop();
    worker = undefined;
    const cancelIn = async (hold: WorkroomState) => {
      const r = await createWorkroom(deps, actor, proposalRoom());
      await control(deps, actor, r.id, { type: "start" });
      if (hold !== "planning") {
        const w = h.runtime.startWorker();
        if (hold === "composing") {
          composeMs = 60_000;
          await h.waitForHistory(r.id, (es) => es.some((e) => e.type === "approval.requested"));
          const t = (await getWorkroom(deps, actor, r.id)).tasks.find(
            (x) => x.type === "approval",
          )!;
          await decide(deps, actor, r.id, t.id, { type: "approve" });
          await h.waitFor(r.id, ["composing"]);
        } else
          await h.waitForHistory(r.id, (es) => es.some((e) => e.type === "approval.requested"));
        await w.stop();
      }
      if (hold === "paused") await control(deps, actor, r.id, { type: "pause" });
      expect(await state(r.id)).toBe(hold === "planning" ? "planning" : hold);
      await control(deps, actor, r.id, { type: "cancel" });
      expect(await transitions(r.id)).toContain(`${hold}→cancelled`);
      // Nothing is left running, waiting or pending in a cancelled room.
      const open = (await getWorkroom(deps, actor, r.id)).tasks.filter((t) =>
        ["pending", "running", "waiting"].includes(t.status),
      );
      expect(open.map((t) => `${t.title}: ${t.status}`)).toEqual([]);
      await refuseIllegal(r.id);
    };
    for (const hold of ["planning", "executing", "composing", "paused"] as const)
      await cancelIn(hold);
    expect([...seen].sort()).toEqual(["cancelled", "composing", "executing", "planning"]);
  });
});
