// tool_call tasks: a granted MCP tool runs and its result is the task's output; a plan naming an
// ungranted tool is refused whatever the Planner says.
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { createAgent } from "../../src/app/agents.js";
import { addMcpServer } from "../../src/app/settings.js";
import { createWorkroom, getWorkroom, startWorkroom } from "../../src/app/workrooms.js";
import {
  builtinTools,
  connectMcpServers,
  createToolRegistry,
  type McpTools,
} from "../../src/integrations/tools/index.js";
import type { ScriptedCall } from "../../src/models/scripted.js";
import { ownerOf, proposalRoom } from "../support/fixtures.js";
import { startHarness, type Harness } from "../support/harness.js";
import { agentsIn } from "../support/plans.js";

const SERVER = fileURLToPath(new URL("../fixtures/mcp-server.mjs", import.meta.url));

function toolPlan(tool: string) {
  return (c: ScriptedCall) => {
    if (c.req.purpose !== "plan") return undefined;
    const composer = agentsIn(c).find((a) => a.bot_type === "composer")!.id;
    return {
      tasks: [
        {
          ordinal: 1,
          title: "Count the brief",
          type: "tool_call",
          agent: "Researcher",
          tool,
          args: { text: "one two three four" },
        },
        { ordinal: 2, title: "Compose", type: "composition", agent: composer },
      ],
    };
  };
}

describe("tool_call tasks", () => {
  let h: Harness;
  let mcp: McpTools;
  afterEach(async () => {
    await h?.close();
    await mcp?.close();
  });

  async function setUp(tool: string) {
    const studio = {
      name: "studio",
      transport: "stdio" as const,
      command: process.execPath,
      args: [SERVER],
    };
    mcp = await connectMcpServers([studio]);
    h = await startHarness("sqlite", {
      model: { respond: toolPlan(tool) },
      tools: createToolRegistry({ tools: [...builtinTools(), ...mcp.tools] }),
    });
    const actor = ownerOf(h.workspace);
    // As a person would: the workspace adds the server, then grants one of its tools.
    await addMcpServer(h.runtime.deps, actor, studio);
    const researcher = await createAgent(h.runtime.deps, actor, {
      name: "Researcher",
      tool_grants: ["mcp:studio/word_count"],
    });
    const room = await createWorkroom(
      h.runtime.deps,
      actor,
      proposalRoom({ agent_ids: [researcher.id] }),
    );
    await startWorkroom(h.runtime.deps, actor, room.id);
    return { actor, room };
  }

  it("runs a granted MCP tool and makes its result the task's output", async () => {
    const { actor, room } = await setUp("mcp:studio/word_count");
    expect((await h.waitFor(room.id, ["completed", "failed"])).state).toBe("completed");
    const { tasks } = await getWorkroom(h.runtime.deps, actor, room.id);
    expect(tasks[0]).toMatchObject({ type: "tool_call", status: "succeeded", output: "4 words" });
    const planPrompt = h.model.log.find((c) => c.req.purpose === "plan")!.prompt;
    expect(planPrompt).toContain('"name":"mcp:studio/word_count"');
    expect(planPrompt).not.toContain("mcp:studio/lookup_rate"); // not granted to any attached agent
  });

  it("refuses a plan that names a tool the agent was not granted", async () => {
    const { room } = await setUp("mcp:studio/lookup_rate");
    const failed = await h.waitFor(room.id, ["failed", "completed"]);
    expect(failed.state).toBe("failed");
    expect(failed.failureReason).toContain(
      'tool "mcp:studio/lookup_rate" is not granted to agent "Researcher"',
    );
    expect(h.model.log.every((c) => c.req.purpose === "plan")).toBe(true);
  });
});
