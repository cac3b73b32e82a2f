// A server hosts many workspaces: each one's rooms see and run only its own MCP servers, and a
// settings change takes effect on the next step without a restart.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { createAgent } from "../../src/app/agents.js";
import { addMcpServer, removeMcpServer } from "../../src/app/settings.js";
import { createWorkspace } from "../../src/app/workspaces.js";
import {
  createWorkroom,
  getWorkroom,
  startWorkroom,
  workroomHistory,
} from "../../src/app/workrooms.js";
import { createWorkspaceTools, type WorkspaceTools } from "../../src/app/workspace-tools.js";
import type { McpServerConfig } from "../../src/integrations/tools/index.js";
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

describe("an MCP server that cannot be reached", () => {
  let h: Harness;
  let tools: WorkspaceTools;
  let dir: string | undefined;
  afterEach(async () => {
    await tools?.close();
    await h?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  async function setUp(servers: McpServerConfig[]) {
    h = await startHarness("sqlite", { model: { respond: countPlan } });
    tools = createWorkspaceTools(h.runtime.deps);
    h.runtime.deps.tools = tools;
    const a = ownerOf(h.workspace);
    for (const s of servers) await addMcpServer(h.runtime.deps, a, s);
    return a;
  }

  it("leaves the other servers' tools to the Planner, and the history names it", async () => {
    const a = await setUp([
      STUDIO,
      { name: "crm", transport: "stdio", command: "/nonexistent/crm-server" },
    ]);
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
    const planPrompt = h.model.log.find((c) => c.req.purpose === "plan")!.prompt;
    expect(planPrompt).toContain('"name":"mcp:studio/word_count"');
    const history = await workroomHistory(h.runtime.deps, a, room.id);
    const note = history.find((e) => e.type === "tools.unreachable");
    expect(note?.data).toMatchObject({
      servers: [
        {
          server: "crm",
          reason: expect.stringContaining('Cannot connect to MCP server "crm"'),
        },
      ],
    });
  });

  it("is tried again on the next use, and its tools come back with it", async () => {
    dir = mkdtempSync(join(tmpdir(), "atelya-mcp-"));
    const down = join(dir, "down");
    writeFileSync(down, "");
    const a = await setUp([{ ...STUDIO, args: [SERVER, "--fail-while", down] }]);
    const names = async () => (await tools.list(a.workspaceId)).map((t) => t.name);
    expect(await names()).not.toContain("mcp:studio/word_count");
    expect(await names()).toContain("search_inputs");
    expect(await tools.unreachable(a.workspaceId)).toEqual([
      { server: "studio", reason: expect.stringContaining("refusing to start") },
    ]);
    rmSync(down);
    expect(await names()).toContain("mcp:studio/word_count");
    expect(await tools.unreachable(a.workspaceId)).toEqual([]);
  });
});

describe("a stdio MCP server that exits", () => {
  let h: Harness;
  let tools: WorkspaceTools;
  afterEach(async () => {
    await tools?.close();
    await h?.close();
  });

  it("is started again for the next call", async () => {
    h = await startHarness("sqlite", { worker: false });
    tools = createWorkspaceTools(h.runtime.deps);
    const a = ownerOf(h.workspace);
    await addMcpServer(h.runtime.deps, a, { ...STUDIO, args: [SERVER, "--with-crash"] });
    const grants = ["mcp:studio/crash", "mcp:studio/word_count"];
    const ctx = {
      workspaceId: a.workspaceId,
      signal: new AbortController().signal,
      inputs: [],
      now: () => new Date(),
    };
    await expect(tools.runGranted(grants, "mcp:studio/crash", {}, ctx)).rejects.toMatchObject({
      code: "failed",
      retryable: true,
    });
    const count = await tools.runGranted(grants, "mcp:studio/word_count", { text: "a b c" }, ctx);
    expect(count.output).toBe("3 words");
  });
});
