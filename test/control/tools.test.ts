// tool_call tasks: a granted MCP tool runs and its result is the task's output; a plan naming an
// ungranted tool is refused whatever the Planner says.
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createAgent } from "../../src/app/agents.js";
import { addMcpServer } from "../../src/app/settings.js";
import {
  createWorkroom,
  getWorkroom,
  startWorkroom,
  workroomHistory,
} from "../../src/app/workrooms.js";
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

describe("a tool call that fails for a passing reason", () => {
  let h: Harness;
  afterEach(() => h?.close());

  /** A tool that hangs (until its time limit) the first `hangs` times, then answers. */
  function flakyTool(hangs: number) {
    let calls = 0;
    return {
      name: "mcp:crm/rates",
      description: "The agency's rates.",
      inputSchema: z.object({}),
      async run(_args: unknown, ctx: { signal: AbortSignal }) {
        if (calls++ < hangs)
          await new Promise((_, reject) => ctx.signal.addEventListener("abort", reject));
        return { output: "Designer: €95/hour" };
      },
    };
  }

  async function runRoom(hangs: number) {
    h = await startHarness("sqlite", {
      model: { respond: toolPlan("mcp:crm/rates") },
      tools: createToolRegistry({ tools: [flakyTool(hangs)], limits: { timeoutMs: 100 } }),
    });
    const actor = ownerOf(h.workspace);
    await addMcpServer(h.runtime.deps, actor, {
      name: "crm",
      transport: "http",
      url: "https://crm.example.com/mcp",
    });
    const researcher = await createAgent(h.runtime.deps, actor, {
      name: "Researcher",
      tool_grants: ["mcp:crm/rates"],
    });
    const room = await createWorkroom(
      h.runtime.deps,
      actor,
      proposalRoom({ agent_ids: [researcher.id] }),
    );
    await startWorkroom(h.runtime.deps, actor, room.id);
    const settled = await h.waitFor(room.id, ["completed", "failed"]);
    return { actor, room: settled };
  }

  it("is tried again after its time limit, as a model's passing error is, and the room completes", async () => {
    const { actor, room } = await runRoom(1);
    expect(room.state).toBe("completed");
    const { tasks } = await getWorkroom(h.runtime.deps, actor, room.id);
    expect(tasks[0]).toMatchObject({ status: "succeeded", output: "Designer: €95/hour" });
    const history = await workroomHistory(h.runtime.deps, actor, room.id);
    expect(history.filter((e) => e.type === "task.retried")).toEqual([
      expect.objectContaining({
        data: expect.objectContaining({
          task_id: tasks[0]!.id,
          failures: 1,
          error: expect.stringContaining("Tool mcp:crm/rates took longer than 100 ms"),
        }),
      }),
    ]);
  });

  it("fails the room only after the step's tries", async () => {
    const { room } = await runRoom(Infinity);
    expect(room.state).toBe("failed");
    expect(room.failureReason).toContain("Tool mcp:crm/rates took longer than 100 ms");
    const history = await workroomHistory(h.runtime.deps, ownerOf(h.workspace), room.id);
    expect(history.filter((e) => e.type === "task.retried")).toHaveLength(2);
  });
});
