// The estimate prices each call with the model that will make it: the Planner's, each agent task's
// agent's own (attached agents before planning, the plan's once planned), the Composer's. Before,
// every task was priced with the workspace default, so an Opus agent was estimated at a fraction.
import { afterEach, describe, expect, it } from "vitest";
import { createAgent, editAgent } from "../../src/app/agents.js";
import { estimateDraft, estimateRoom } from "../../src/app/credits.js";
import { updateModelSettings } from "../../src/app/model-settings.js";
import { createWorkroom, startWorkroom } from "../../src/app/workrooms.js";
import { estimateCredits } from "../../src/domain/estimate.js";
import { priceOf, ratesOf } from "../../src/models/pricing.js";
import { ownerOf, proposalRoom } from "../support/fixtures.js";
import { startHarness, type Harness } from "../support/harness.js";
import { planOf } from "../support/plans.js";

const OPUS = "anthropic:claude-opus-4-1";
const MINI = "openai:gpt-4.1-mini";

describe("the estimate of a room with an agent on its own model", () => {
  let h: Harness;
  afterEach(async () => h?.close());

  const ratesFor = (model: string) =>
    ratesOf(priceOf(model, h.runtime.deps.config.pricing, h.runtime.deps.models.isLocal(model)));
  const inputTokens = () =>
    h.runtime.deps.models.countTokens({
      model: "scripted",
      system: "",
      messages: proposalRoom().inputs!.map((i) => ({ role: "user" as const, content: i.content })),
    });

  it("before planning prices the typical tasks with the attached agent's model, the draft's too", async () => {
    h = await startHarness("sqlite", { worker: false });
    const actor = ownerOf(h.workspace);
    await updateModelSettings(h.runtime.deps, actor, { default_model: MINI });
    const agent = await createAgent(h.runtime.deps, actor, { name: "Strategist", model: OPUS });
    const room = await createWorkroom(
      h.runtime.deps,
      actor,
      proposalRoom({ agent_ids: [agent.id] }),
    );
    const expected = estimateCredits({
      inputTokens: inputTokens(),
      plannerRates: ratesFor(MINI),
      taskRates: Array.from({ length: 5 }, () => ratesFor(OPUS)),
      composerRates: ratesFor(MINI),
    });
    expect(expected.expected).toBeGreaterThan(20);
    expect(await estimateRoom(h.runtime.deps, actor, room.id)).toMatchObject(expected);
    const draft = await estimateDraft(h.runtime.deps, actor, {
      inputs: proposalRoom().inputs!,
      agent_ids: [agent.id],
    });
    expect(draft).toMatchObject(expected);
  });

  it("once planned prices each task with its agent's model", async () => {
    h = await startHarness("sqlite", {
      model: { respond: planOf([{ title: "Scope", agent: "Strategist" }, { title: "Pricing" }]) },
    });
    const actor = ownerOf(h.workspace);
    const agent = await createAgent(h.runtime.deps, actor, {
      name: "Strategist",
      model: "scripted:strategist",
    });
    const room = await createWorkroom(
      h.runtime.deps,
      actor,
      proposalRoom({ agent_ids: [agent.id] }),
    );
    await startWorkroom(h.runtime.deps, actor, room.id);
    await h.waitFor(room.id, ["completed"]);
    await editAgent(h.runtime.deps, actor, agent.id, { model: OPUS });
    expect(await estimateRoom(h.runtime.deps, actor, room.id)).toMatchObject(
      estimateCredits({
        inputTokens: inputTokens(),
        plannerRates: ratesFor("scripted"),
        taskRates: [ratesFor(OPUS), ratesFor("scripted")],
        composerRates: ratesFor("scripted"),
      }),
    );
  });
});
