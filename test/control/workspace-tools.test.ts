// A server hosts many workspaces: each one's rooms see and run only its own MCP servers, and a
// settings change takes effect on the next step without a restart.
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { createAgent } from "../../src/app/agents.js";
import { addMcpServer, removeMcpServer } from "../../src/app/settings.js";
import { createWorkspace } from "../../src/app/workspaces.js";
import { createWorkroom, getWorkroom, startWorkroom } from "../../src/app/workrooms.js";
import { createWorkspaceTools, type WorkspaceTools } from "../../src/app/workspace-tools.js";
import type { ScriptedCall } from "../../src/models/scripted.js";
import { ownerOf, proposalRoom } from "../support/fixtures.js";
import { startHarness, type Harness } from "../support/harness.js";
import { agentsIn } from "../support/plans.js";

const SERVER = fileURLToPath(new URL("../fixtures/mcp-server.mjs", import.meta.url));
const STUDIO = {
  name: "studio",
  transport: "stdio" as const,
  command: process.execPath,
  args: [SERVER],
};

const countPlan = (c: ScriptedCall) => {
  if (c.req.purpose !== "plan") return undefined;
  const composer = agentsIn(c).find((a) => a.bot_type === "composer")!.id;
  return {
    tasks: [
      {
        ordinal: 1,
        title: "Count the brief",
        type: "tool_call",
        agent: "Researcher",
        tool: "mcp:studio/word_count",
        args: { text: "one two three" },
      },
      { ordinal: 2, title: "Compose", type: "composition", agent: composer },
    ],
  };
};

describe("tools per workspace", () => {
  let h: Harness;
  let tools: WorkspaceTools;
  afterEach(async () => {
    await tools?.close();
    await h?.close();
  });

  it("gives each workspace its own MCP servers and follows settings changes", async () => {
    h = await startHarness("sqlite", { model: { respond: countPlan } });
    tools = createWorkspaceTools(h.runtime.deps);
    h.runtime.deps.tools = tools;
    const a = ownerOf(h.workspace);
    const other = await createWorkspace(h.runtime.deps, {
      name: "Other Agency",
      plan: "agency",
      defaultModel: "scripted",
    });
    await addMcpServer(h.runtime.deps, a, STUDIO);

    const names = async (ws: string) => (await tools.list(ws)).map((t) => t.name);
    expect(await names(a.workspaceId)).toContain("mcp:studio/word_count");
    expect(await names(a.workspaceId)).toContain("search_inputs");
    expect(await names(other.id)).not.toContain("mcp:studio/word_count");

    const researcher = await createAgent(h.runtime.deps, a, {
      name: "Researcher",
      tool_grants: ["mcp:studio/word_count"],
    });
    const room = await createWorkroom(
      h.runtime.deps,
      a,
      proposalRoom({ agent_ids: [researcher.id] }),
    );
    await startWorkroom(h.runtime.deps, a, room.id);
    expect((await h.waitFor(room.id, ["completed", "failed"])).state).toBe("completed");
    const { tasks } = await getWorkroom(h.runtime.deps, a, room.id);
    expect(tasks[0]).toMatchObject({ type: "tool_call", status: "succeeded", output: "3 words" });

    await removeMcpServer(h.runtime.deps, a, "studio");
    expect(await names(a.workspaceId)).not.toContain("mcp:studio/word_count");
  });
});
