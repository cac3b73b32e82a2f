// Which model a call goes to: the Planner's smaller model, an agent's own model and temperature,
// and the workspace default for the rest (SPEC 8).
import { afterEach, describe, expect, it } from "vitest";
import { createWorkroom, startWorkroom } from "../../src/app/workrooms.js";
import { createAgent } from "../../src/app/agents.js";
import { ownerOf, proposalRoom } from "../support/fixtures.js";
import { startHarness, type Harness } from "../support/harness.js";
import { planOf } from "../support/plans.js";

describe("model choice", () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it("sends the plan to the Planner model, an agent's task to its model and temperature, and the rest to the default", async () => {
    h = await startHarness("sqlite", {
      model: { respond: planOf([{ title: "Scope", agent: "Copywriter" }, { title: "Pricing" }]) },
    });
    const actor = ownerOf(h.workspace);
    await h.runtime.deps.store.db
      .updateTable("workspaces")
      .set({ planner_model: "scripted:small" })
      .where("id", "=", h.workspace.id)
      .execute();
    const agent = await createAgent(h.runtime.deps, actor, {
      name: "Copywriter",
      model: "scripted:writer",
      temperature: 0.2,
    });
    const room = await createWorkroom(
      h.runtime.deps,
      actor,
      proposalRoom({ agent_ids: [agent.id] }),
    );
    await startWorkroom(h.runtime.deps, actor, room.id);
    await h.waitFor(room.id, ["completed"]);
    const calls = h.model.log.map((c) => ({
      purpose: c.req.purpose,
      model: c.req.model,
      temperature: c.req.temperature,
      scope: c.prompt.includes('"title":"Scope"'),
    }));
    expect(calls.filter((c) => c.purpose === "plan").map((c) => c.model)).toEqual([
      "scripted:small",
    ]);
    const tasks = calls.filter((c) => c.purpose === "task");
    expect(tasks.find((c) => c.scope)).toMatchObject({
      model: "scripted:writer",
      temperature: 0.2,
    });
    expect(tasks.find((c) => !c.scope)!.model).toBe("scripted");
    expect(calls.filter((c) => c.purpose === "compose").map((c) => c.model)).toEqual(["scripted"]);
  });
});
