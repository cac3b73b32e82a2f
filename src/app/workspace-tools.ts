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
  /** The settings as stored (sealed): the same text means the same settings, not opened again. */
  stored: string | undefined;
  /** The tool settings the registry was built from: a change rebuilds it. */
  key: string;
  registry: Promise<ToolRegistry>;
}

export interface WorkspaceTools extends ToolRunner {
  /** Closes every MCP connection. */
  close(): Promise<void>;
}

/** The workspace's settings as stored, unopened (a new write is always a new envelope). */
async function storedSettings(deps: AppDeps, workspaceId: string): Promise<string | undefined> {
  const row = await poolExec(deps)
    .db.withoutPlugins()
    .selectFrom("workspaces")
    .select("settings")
    .where("id", "=", workspaceId)
    .executeTakeFirst();
  return row?.settings;
}

/** What of the stored settings the tools depend on. The settings also hold the letterhead, whose
 *  logo can be megabytes: they are opened only when their stored text changed. */
function toolSettings(deps: AppDeps, workspaceId: string, stored: string | undefined) {
  const s = WorkspaceSettingsSchema.parse(
    stored === undefined ? {} : parseJson(deps.store.cipher.open(stored, workspaceId)),
  );
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
    const stored = await storedSettings(deps, workspaceId);
    const cached = entries.get(workspaceId);
    if (cached && cached.stored === stored) return cached.registry;
    const settings = toolSettings(deps, workspaceId, stored);
    const key = JSON.stringify(settings);
    if (cached?.key === key) {
      // Something else in the settings changed (the letterhead, a preset): the tools did not.
      cached.stored = stored;
      return cached.registry;
    }
    const registry = connectMcpServers(settings.mcp_servers, {
      allowAddresses: options.mcpAllowAddresses ?? [],
    }).then((mcp) =>
      createToolRegistry({
        builtins: builtinTools({ allowHosts: settings.fetch_allow_hosts }),
        mcp,
      }),
    );
    entries.set(workspaceId, { stored, key, registry });
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
    async forget(workspaceId) {
      const entry = entries.get(workspaceId);
      entries.delete(workspaceId);
      await entry?.registry.then((r) => r.close()).catch(() => {});
    },
    async close() {
      const all = [...entries.values()];
      entries.clear();
      await Promise.all(all.map((e) => e.registry.then((r) => r.close()).catch(() => {})));
    },
  };
}
