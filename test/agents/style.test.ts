// Custom agents and Style Memory: each agent's prompts carry its own seven fields, the workroom
// override wins, banned phrases are rewritten once and what remains is reported.
import { afterEach, describe, expect, it } from "vitest";
import {
  archiveAgent,
  copyAgent,
  createAgent,
  editAgent,
  extractStyle,
  listCustomAgents,
  saveStyle,
} from "../../src/app/agents.js";
import {
  createWorkroom,
  getWorkroom,
  startWorkroom,
  workroomHistory,
} from "../../src/app/workrooms.js";
import { balance } from "../../src/app/credits.js";
import { ACTION_CREDIT_COSTS } from "../../src/domain/credits.js";
import { StyleRulesSchema } from "../../src/domain/style.js";
import { readFences } from "../../src/agents/fence.js";
import { ownerOf, proposalRoom } from "../support/fixtures.js";
import { startHarness, type Harness } from "../support/harness.js";
import { planOf } from "../support/plans.js";

const rulesA = StyleRulesSchema.parse({
  tone_descriptors: ["plain", "direct"],
  banned_phrases: ["synergy"],
  required_sections: ["Scope"],
  voice_examples: ["We say what we will do, then do it."],
  structural_pattern: "point first",
  reading_level: "grade 8",
  formality: 2,
});
const rulesB = StyleRulesSchema.parse({
  ...rulesA,
  tone_descriptors: ["formal", "precise"],
  banned_phrases: ["leverage"],
  formality: 5,
});

describe("custom agents with Style Memory", () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it("gives each agent's prompt its own seven fields, lets the room override win, and rewrites banned phrases once", async () => {
    h = await startHarness("sqlite", {
      model: {
        respond: (c) => {
          const plan = planOf([
            { title: "Scope", agent: "Copywriter" },
            { title: "Pricing", agent: "Analyst" },
          ])(c);
          if (plan) return plan;
          if (c.req.purpose === "task" && c.prompt.includes('"title":"Scope"'))
            return c.prompt.includes("Rewrite your whole answer")
              ? "Scope without clichés."
              : "Real synergy across stores.";
          if (c.req.purpose === "task" && c.prompt.includes('"title":"Pricing"'))
            return "We leverage a fixed fee.";
          return undefined;
        },
      },
    });
    const actor = ownerOf(h.workspace);
    const a = await createAgent(h.runtime.deps, actor, {
      name: "Copywriter",
      role_description: "writes plain copy",
    });
    const b = await createAgent(h.runtime.deps, actor, {
      name: "Analyst",
      role_description: "prices work",
    });
    await saveStyle(h.runtime.deps, actor, a.id, rulesA);
    await saveStyle(h.runtime.deps, actor, b.id, rulesB);
    const room = await createWorkroom(
      h.runtime.deps,
      actor,
      proposalRoom({ agent_ids: [a.id, b.id], style_override: "Write in British English." }),
    );
    await startWorkroom(h.runtime.deps, actor, room.id);
    await h.waitFor(room.id, ["completed"]);

    const taskPrompt = (title: string) =>
      h.model.log.find((c) => c.req.purpose === "task" && c.prompt.includes(`"title":"${title}"`))!
        .prompt;
    const styleOf = (prompt: string) => JSON.parse(readFences(prompt, "style")[0]!.body);
    expect(styleOf(taskPrompt("Scope"))).toEqual(rulesA);
    expect(styleOf(taskPrompt("Pricing"))).toEqual(rulesB);
    for (const t of ["Scope", "Pricing"]) {
      expect(readFences(taskPrompt(t), "style_override")[0]!.body).toBe(
        "Write in British English.",
      );
      expect(taskPrompt(t)).toContain(
        "The style override above takes precedence over the style rules.",
      );
    }

    const detail = await getWorkroom(h.runtime.deps, actor, room.id);
    expect(detail.tasks.find((t) => t.title === "Scope")!.output).toBe("Scope without clichés.");
    const notes = (await workroomHistory(h.runtime.deps, actor, room.id)).filter(
      (e) => e.type === "style.banned_phrases",
    );
    expect(notes.map((n) => n.data)).toEqual([
      expect.objectContaining({ found: ["synergy"], remaining: [] }),
      expect.objectContaining({ found: ["leverage"], remaining: ["leverage"] }),
    ]);
  });

  it("creates, edits, copies and archives agents, and charges Style Memory extraction as a platform action", async () => {
    h = await startHarness("sqlite");
    const actor = ownerOf(h.workspace);
    const agent = await createAgent(h.runtime.deps, actor, {
      name: "Strategist",
      temperature: 0.3,
      tool_grants: ["search_inputs"],
    });
    const edited = await editAgent(h.runtime.deps, actor, agent.id, {
      role_description: "finds the angle",
    });
    expect(edited).toMatchObject({
      name: "Strategist",
      roleDescription: "finds the angle",
      temperature: 0.3,
      toolGrants: ["search_inputs"],
    });
    await expect(
      createAgent(h.runtime.deps, actor, { name: "", color: "blue" }),
    ).rejects.toMatchObject({ code: "invalid_input" });

    const before = (await balance(h.runtime.deps, actor)).total;
    const { rules: draft } = await extractStyle(
      h.runtime.deps,
      actor,
      agent.id,
      ["## Scope\nWe'll keep it simple. You'll see why.", "## Pricing\nIt's a fixed fee."],
      "req-1",
    );
    expect(StyleRulesSchema.parse(draft).required_sections).toEqual(["Scope", "Pricing"]);
    expect((await balance(h.runtime.deps, actor)).total).toBe(
      before - ACTION_CREDIT_COSTS.style_extraction,
    );
    await expect(
      extractStyle(
        h.runtime.deps,
        actor,
        agent.id,
        Array.from({ length: 6 }, () => "x"),
        "req-2",
      ),
    ).rejects.toMatchObject({ code: "invalid_input" });

    await saveStyle(h.runtime.deps, actor, agent.id, draft);
    const copy = await copyAgent(h.runtime.deps, actor, agent.id);
    expect(copy).toMatchObject({
      name: "Strategist (copy)",
      styleRules: draft,
      toolGrants: ["search_inputs"],
    });
    await archiveAgent(h.runtime.deps, actor, agent.id);
    expect((await listCustomAgents(h.runtime.deps, actor)).map((x) => x.name)).toEqual([
      "Strategist (copy)",
    ]);
    await expect(
      createWorkroom(h.runtime.deps, actor, proposalRoom({ agent_ids: [agent.id] })),
    ).rejects.toMatchObject({ code: "not_found" });
    await expect(
      editAgent(h.runtime.deps, { ...actor, role: "viewer" }, copy.id, { name: "x" }),
    ).rejects.toMatchObject({ code: "forbidden" });
  });
});
