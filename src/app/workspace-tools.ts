// Tools for a server that hosts many workspaces: each workspace gets its own registry — the
// built-ins with its fetch allow-list, and its own MCP servers — built on first use and rebuilt
// when its settings change. The CLI, which acts in one workspace, builds one registry instead.
import { poolExec } from "../engine/deps.js";
import type { ToolRunner } from "../engine/deps.js";
import {
  builtinTools,
  connectMcpServers,
  createToolRegistry,
  type ToolRegistry,
} from "../integrations/tools/index.js";
import { parseJson } from "../store/exec.js";
import type { AppDeps } from "./context.js";
import { WorkspaceSettingsSchema } from "./settings.js";

interface Entry {
  /** The settings the registry was built from: a change rebuilds it. */
  key: string;
  registry: Promise<ToolRegistry>;
}

export interface WorkspaceTools extends ToolRunner {
  /** Closes every MCP connection. */
  close(): Promise<void>;
}

async function toolSettings(deps: AppDeps, workspaceId: string) {
  const row = await poolExec(deps)
    .db.selectFrom("workspaces")
    .select("settings")
    .where("id", "=", workspaceId)
    .executeTakeFirst();
  const s = WorkspaceSettingsSchema.parse(row ? parseJson(row.settings) : {});
  return { mcp_servers: s.mcp_servers, fetch_allow_hosts: s.fetch_allow_hosts };
}

export interface WorkspaceToolsOptions {
  /** Internal addresses MCP servers over HTTP may be reached at (the operator's setting). */
  mcpAllowAddresses?: readonly string[];
}

export function createWorkspaceTools(
  deps: AppDeps,
  options: WorkspaceToolsOptions = {},
): WorkspaceTools {
  const entries = new Map<string, Entry>();

  async function registryOf(workspaceId: string): Promise<ToolRegistry> {
    const settings = await toolSettings(deps, workspaceId);
    const key = JSON.stringify(settings);
    const cached = entries.get(workspaceId);
    if (cached?.key === key) return cached.registry;
    const registry = connectMcpServers(settings.mcp_servers, {
      allowAddresses: options.mcpAllowAddresses ?? [],
    }).then((mcp) =>
      createToolRegistry({
        builtins: builtinTools({ allowHosts: settings.fetch_allow_hosts }),
        mcp,
      }),
    );
    entries.set(workspaceId, { key, registry });
    // A failed connection is not cached: the next call tries again.
    registry.catch(() => {
      if (entries.get(workspaceId)?.registry === registry) entries.delete(workspaceId);
    });
    if (cached) void cached.registry.then((r) => r.close()).catch(() => {});
    return registry;
  }

  return {
    async list(workspaceId) {
      return (await registryOf(workspaceId)).list();
    },
    async runGranted(grants, name, args, ctx) {
      return (await registryOf(ctx.workspaceId)).runGranted(grants, name, args, ctx);
    },
    async close() {
      const all = [...entries.values()];
      entries.clear();
      await Promise.all(all.map((e) => e.registry.then((r) => r.close()).catch(() => {})));
    },
  };
}
