// Approvals, questions and durable waits.
import { afterEach, describe, expect, it } from "vitest";
import { createWorkroom, getWorkroom, startWorkroom } from "../../src/app/workrooms.js";
import { decide, inbox } from "../../src/app/people.js";
import { openRuntime } from "../../src/runtime.js";
import { ScriptedModel } from "../../src/models/scripted.js";
import { findWorkroom } from "../../src/store/workrooms.js";
import { poolExec } from "../../src/engine/deps.js";
import { ownerOf, proposalRoom } from "../support/fixtures.js";
import { startHarness, type Harness } from "../support/harness.js";
import { planOf } from "../support/plans.js";
import { DIALECTS } from "../support/databases.js";
import { TEST_MASTER_KEY } from "../support/keys.js";

describe.each(DIALECTS)("people in the loop on %s", (dialect) => {
  let h: Harness;
  afterEach(async () => h?.close());

  it("takes two open approvals in either order, ignores a duplicate, and re-runs a rejected task with the comment", async () => {
    h = await startHarness(dialect, {
      model: {
        respond: planOf([
          { title: "Pricing" },
          { title: "Timeline" },
          { title: "Approve pricing", type: "approval", depends_on: [1] },
          { title: "Approve timeline", type: "approval", depends_on: [2] },
          {
            title: "Budget question",
            type: "user_input",
            question: "What is the hard budget ceiling?",
          },
        ]),
      },
    });
    const actor = ownerOf(h.workspace);
    const room = await createWorkroom(h.runtime.deps, actor, proposalRoom());
    await startWorkroom(h.runtime.deps, actor, room.id);
    await h.waitForHistory(
      room.id,
      (e) =>
        e.filter((x) => x.type === "approval.requested").length === 2 &&
        e.some((x) => x.type === "question.asked"),
    );

    const waiting = await inbox(h.runtime.deps, actor);
    expect(waiting.map((i) => i.task.title).sort()).toEqual([
      "Approve pricing",
      "Approve timeline",
      "Budget question",
    ]);
    expect(waiting.find((i) => i.task.title === "Approve pricing")!.context[0]!.title).toBe(
      "Pricing",
    );
    const id = (title: string) => waiting.find((i) => i.task.title === title)!.task.id;

    // The second approval first, then a rejection of the first with a comment.
    expect(
      (await decide(h.runtime.deps, actor, room.id, id("Approve timeline"), { type: "approve" }))
        .applied,
    ).toBe(true);
    expect(
      (await decide(h.runtime.deps, actor, room.id, id("Approve timeline"), { type: "approve" }))
        .applied,
    ).toBe(false);
    await decide(h.runtime.deps, actor, room.id, id("Approve pricing"), {
      type: "reject",
      comment: "Show the retainer option as well",
    });
    await h.waitForHistory(
      room.id,
      (e) => e.filter((x) => x.type === "approval.requested").length === 3,
    );
    const rerun = h.model.log.filter(
      (c) => c.req.purpose === "task" && c.prompt.includes('"title":"Pricing"'),
    );
    expect(rerun).toHaveLength(2);
    expect(rerun[1]!.prompt).toContain("Show the retainer option as well");

    await decide(h.runtime.deps, actor, room.id, id("Budget question"), {
      type: "answer",
      text: "€45,000 including VAT",
    });
    await decide(h.runtime.deps, actor, room.id, id("Approve pricing"), {
      type: "approve",
      comment: "Good now",
    });
    expect((await h.waitFor(room.id, ["completed", "failed"])).state).toBe("completed");
    const done = await getWorkroom(h.runtime.deps, actor, room.id);
    // The Composer reads the approval's note, not a bare approval, and never who approved.
    const composing = h.model.log.filter((c) => c.req.purpose === "compose").at(-1)!.prompt;
    expect(composing).toContain("Approved, with this note: Good now");
    expect(composing).not.toContain("Approve timeline");
    expect(composing).not.toContain(actor.id);
    expect(done.tasks.find((t) => t.title === "Budget question")!.output).toBe(
      "€45,000 including VAT",
    );
    expect(await inbox(h.runtime.deps, actor)).toEqual([]);
    // Answering a finished task again is harmless; answering an approval with text is refused.
    expect(
      (
        await decide(h.runtime.deps, actor, room.id, id("Budget question"), {
          type: "answer",
          text: "again",
        })
      ).applied,
    ).toBe(false);
    await expect(
      decide(h.runtime.deps, actor, room.id, id("Approve pricing"), { type: "answer", text: "x" }),
    ).rejects.toMatchObject({ code: "invalid_input" });
    await expect(
      decide(h.runtime.deps, actor, room.id, "task_unknown", { type: "approve" }),
    ).rejects.toMatchObject({ code: "not_found" });
  });

  it("keeps a 2 s wait across a process restart and completes it", async () => {
    h = await startHarness(dialect, {
      model: {
        respond: planOf([
          { title: "Cool-off", type: "wait", wait_seconds: 2 },
          { title: "Follow-up", depends_on: [1] },
        ]),
      },
    });
    const actor = ownerOf(h.workspace);
    const room = await createWorkroom(h.runtime.deps, actor, proposalRoom());
    await startWorkroom(h.runtime.deps, actor, room.id);
    const events = await h.waitForHistory(room.id, (e) => e.some((x) => x.type === "wait.started"));
    const until = Date.parse(events.find((e) => e.type === "wait.started")!.data.until as string);
    await h.runtime.close(); // the process "dies" during the wait

    const again = await openRuntime({
      databaseUrl: h.db.url,
      masterKey: TEST_MASTER_KEY,
      models: new ScriptedModel(),
      config: { idlePollMs: 100 },
    });
    try {
      const worker = again.startWorker();
      const state = async () =>
        (await findWorkroom(poolExec(again.deps), h.workspace.id, room.id))!.state;
      await new Promise<void>((resolve) => {
        const off = again.deps.bus.subscribe(
          (m) => m.type === "room_state" && m.state === "completed" && (off(), resolve()),
        );
      });
      expect(await state()).toBe("completed");
      expect(Date.now()).toBeGreaterThanOrEqual(until);
      await worker.stop();
    } finally {
      await again.close();
      h.runtime = { ...h.runtime, close: async () => {} };
    }
  });
});
