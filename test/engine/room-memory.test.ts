// A worker remembers a room's tasks and agents from one step to the next (store/room-memory.ts).
// What another process writes to them in between must reach the worker's next step all the same,
// which rests on every write of tasks being recorded in the room's history.
import { afterEach, describe, expect, it } from "vitest";
import { createWorkroom, getWorkroom, startWorkroom } from "../../src/app/workrooms.js";
import { decide } from "../../src/app/people.js";
import { withTx } from "../../src/engine/tx.js";
import { updateTask } from "../../src/store/tasks.js";
import { createAgent, editAgent } from "../../src/app/agents.js";
import { openRuntime, type Runtime } from "../../src/runtime.js";
import { ScriptedModel } from "../../src/models/scripted.js";
import { DIALECTS } from "../support/databases.js";
import { ownerOf, proposalRoom } from "../support/fixtures.js";
import { startHarness, type Harness } from "../support/harness.js";
import { TEST_MASTER_KEY } from "../support/keys.js";
import { planOf } from "../support/plans.js";

/** A second process on the harness's database (the API server, say), with no worker of its own. */
const otherProcess = (h: Harness): Promise<Runtime> =>
  openRuntime({ databaseUrl: h.db.url, masterKey: TEST_MASTER_KEY, models: new ScriptedModel() });

describe.each(DIALECTS)("a room's tasks between a worker's steps on %s", (dialect) => {
  let h: Harness;
  let other: Runtime | undefined;
  afterEach(async () => {
    await other?.close();
    other = undefined;
    await h?.close();
  });

  it("are read again when another process changed them: a rejection's comment reaches the re-run", async () => {
    h = await startHarness(dialect, {
      model: {
        respond: planOf([
          { title: "Pricing" },
          { title: "Approve pricing", type: "approval", depends_on: [1] },
        ]),
      },
    });
    other = await otherProcess(h);
    const actor = ownerOf(h.workspace);
    const room = await createWorkroom(h.runtime.deps, actor, proposalRoom());
    await startWorkroom(h.runtime.deps, actor, room.id);
    await h.waitForHistory(room.id, (e) => e.some((x) => x.type === "approval.requested"));
    const approval = (await getWorkroom(h.runtime.deps, actor, room.id)).tasks.find(
      (t) => t.title === "Approve pricing",
    )!;

    await decide(other.deps, actor, room.id, approval.id, {
      type: "reject",
      comment: "Add the retainer option",
    });
    await h.waitForHistory(
      room.id,
      (e) => e.filter((x) => x.type === "approval.requested").length === 2,
    );
    const pricing = h.model.log.filter(
      (c) => c.req.purpose === "task" && c.prompt.includes('"title":"Pricing"'),
    );
    expect(pricing).toHaveLength(2);
    expect(pricing[0]!.prompt).not.toContain("Add the retainer option");
    expect(pricing[1]!.prompt).toContain("Add the retainer option");

    await decide(other.deps, actor, room.id, approval.id, { type: "approve", comment: "Good" });
    const done = await h.waitFor(room.id, ["completed", "failed"]);
    expect(done.state, done.failureReason ?? "").toBe("completed");
    const tasks = (await getWorkroom(h.runtime.deps, actor, room.id)).tasks;
    expect(tasks.map((t) => [t.title, t.status, t.run])).toEqual([
      ["Pricing", "succeeded", 1],
      ["Approve pricing", "succeeded", 1],
      ["Compose", "succeeded", 0],
    ]);
    expect(tasks[1]!.output).toBe("Approved, with this note: Good");
    // The composition was given the approval as the other process stored it, and never who gave it.
    const compose = h.model.log.filter((c) => c.req.purpose === "compose");
    expect(compose.at(-1)!.prompt).toContain("Approved, with this note: Good");
    expect(compose.at(-1)!.prompt).not.toContain(actor.id);
  });

  it("are read again when another process edited an agent: the next step uses the new system prompt", async () => {
    let writer = "";
    h = await startHarness(dialect, {
      model: {
        respond: (call) =>
          planOf([
            { title: "Draft", agent: writer },
            { title: "Check the draft", type: "approval", depends_on: [1] },
            { title: "Polish", agent: writer, depends_on: [2] },
          ])(call),
      },
    });
    other = await otherProcess(h);
    const actor = ownerOf(h.workspace);
    writer = (
      await createAgent(h.runtime.deps, actor, { name: "Writer", system_prompt: "Be brief." })
    ).id;
    const room = await createWorkroom(h.runtime.deps, actor, proposalRoom({ agent_ids: [writer] }));
    await startWorkroom(h.runtime.deps, actor, room.id);
    await h.waitForHistory(room.id, (e) => e.some((x) => x.type === "approval.requested"));
    const approval = (await getWorkroom(h.runtime.deps, actor, room.id)).tasks.find(
      (t) => t.type === "approval",
    )!;

    await editAgent(other.deps, actor, writer, {
      system_prompt: "Write as a lighthouse keeper would.",
    });
    await decide(other.deps, actor, room.id, approval.id, { type: "approve" });
    const done = await h.waitFor(room.id, ["completed", "failed"]);
    expect(done.state, done.failureReason ?? "").toBe("completed");
    const prompt = (title: string) =>
      h.model.log.find((c) => c.req.purpose === "task" && c.prompt.includes(`"title":"${title}"`))!
        .prompt;
    expect(prompt("Draft")).toContain("Be brief.");
    expect(prompt("Polish")).toContain("Write as a lighthouse keeper would.");
    expect(prompt("Polish")).not.toContain("Be brief.");
  });

  it("refuses a transaction that writes a room's tasks without recording history, and keeps nothing of it", async () => {
    h = await startHarness(dialect, {
      model: {
        respond: planOf([
          { title: "Draft" },
          { title: "Check", type: "approval", depends_on: [1] },
        ]),
      },
    });
    const actor = ownerOf(h.workspace);
    const room = await createWorkroom(h.runtime.deps, actor, proposalRoom());
    await startWorkroom(h.runtime.deps, actor, room.id);
    await h.waitForHistory(room.id, (e) => e.some((x) => x.type === "approval.requested"));
    const check = (await getWorkroom(h.runtime.deps, actor, room.id)).tasks[1]!;

    await expect(
      withTx(h.runtime.deps, (tx) =>
        updateTask(tx.ex, { id: room.id }, check.id, { status: "failed", error: "silent" }),
      ),
    ).rejects.toThrow("without recording history");
    const after = (await getWorkroom(h.runtime.deps, actor, room.id)).tasks[1]!;
    expect([after.status, after.error]).toEqual(["waiting", null]);
  });
});
