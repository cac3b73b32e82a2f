// Tools for a server that hosts many workspaces: each workspace gets its own registry — the
// built-ins with its fetch allow-list, and its own MCP servers — built on first use and rebuilt
// when its settings change. The CLI, which acts in one workspace, builds one registry instead.
//
// Each MCP server is kept on its own: one that cannot be reached leaves the others working (the
// Planner plans without its tools), and one that failed or whose connection ended (a stdio server
// that exited) is connected again on its next use.
import { poolExec } from "../engine/deps.js";
import type { ToolRunner, UnreachableServer } from "../engine/deps.js";
import {
  builtinTools,
  connectMcpServer,
  createToolRegistry,
  McpConnectionError,
  type McpServerConnection,
  type Tool,
  type ToolRegistry,
} from "../integrations/tools/index.js";
import type { McpServerConfig } from "../integrations/tools/mcp-config.js";
import { parseJson } from "../store/exec.js";
import type { AppDeps } from "./context.js";
import { WorkspaceSettingsSchema } from "./settings.js";

/** One MCP server of a workspace: its connection under way, made, or the reason it failed. */
interface Slot {
  config: McpServerConfig;
  pending: Promise<void>;
  connection?: McpServerConnection;
  error?: McpConnectionError;
}

interface Entry {
  /** The settings as stored (sealed): the same text means the same settings, not opened again. */
  stored: string | undefined;
  /** The tool settings the entry was built from: a change builds a new one. */
  key: string;
  builtins: Tool[];
  slots: Map<string, Slot>;
  /** The registry of the connections it was built from, while they are the current ones. */
  built?: { from: readonly McpServerConnection[]; registry: ToolRegistry };
  /** Set once the entry is replaced or closed: connections made after that are closed at once. */
  closed: boolean;
}

export interface WorkspaceTools extends ToolRunner {
  unreachable(workspaceId: string): Promise<UnreachableServer[]>;
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

/** The server an `mcp:<server>/<tool>` name belongs to. */
const serverOf = (tool: string): string | undefined => /^mcp:([^/]+)\//.exec(tool)?.[1];

export function createWorkspaceTools(
  deps: AppDeps,
  options: WorkspaceToolsOptions = {},
): WorkspaceTools {
  const entries = new Map<string, Entry>();

  const closeEntry = async (entry: Entry) => {
    entry.closed = true;
    await Promise.all(
      [...entry.slots.values()].map((s) =>
        s.pending.then(() => s.connection?.close()).catch(() => {}),
      ),
    );
  };

  async function entryOf(workspaceId: string): Promise<Entry> {
    const stored = await storedSettings(deps, workspaceId);
    const cached = entries.get(workspaceId);
    if (cached && cached.stored === stored) return cached;
    const settings = toolSettings(deps, workspaceId, stored);
    const key = JSON.stringify(settings);
    if (cached?.key === key) {
      // Something else in the settings changed (the letterhead, a preset): the tools did not.
      cached.stored = stored;
      return cached;
    }
    const entry: Entry = {
      stored,
      key,
      builtins: builtinTools({ allowHosts: settings.fetch_allow_hosts }),
      slots: new Map(settings.mcp_servers.map((config) => [config.name, connectSlot(config)])),
      closed: false,
    };
    entries.set(workspaceId, entry);
    if (cached) void closeEntry(cached);
    return entry;
  }

  function connectSlot(config: McpServerConfig): Slot {
    const slot: Slot = { config, pending: Promise.resolve() };
    slot.pending = connectMcpServer(config, {
      allowAddresses: options.mcpAllowAddresses ?? [],
    }).then(
      (connection) => void (slot.connection = connection),
      (e: unknown) => {
        slot.error =
          e instanceof McpConnectionError
            ? e
            : new McpConnectionError(config.name, String(e), { cause: e });
        deps.log.warn({ server: config.name, err: slot.error.message }, "MCP server unreachable");
      },
    );
    return slot;
  }

  /** Connects again each named server that failed or whose connection ended; waits for them. */
  async function ensure(entry: Entry, names: readonly string[]): Promise<void> {
    await Promise.all(
      names.map((name) => {
        const slot = entry.slots.get(name);
        if (!slot) return undefined;
        const settled = slot.connection !== undefined || slot.error !== undefined;
        if (settled && !slot.connection?.open) {
          void slot.connection?.close();
          entry.slots.set(name, connectSlot(slot.config));
        }
        return entry.slots.get(name)!.pending;
      }),
    );
    if (entry.closed)
      // Replaced while connecting: what was connected for it is let go.
      await closeEntry(entry);
  }

  /** The registry of the entry's open connections (built again when they changed). */
  function registryOf(entry: Entry): ToolRegistry {
    const from = [...entry.slots.values()].flatMap((s) =>
      s.connection?.open ? [s.connection] : [],
    );
    const built = entry.built;
    if (built && built.from.length === from.length && built.from.every((c, i) => c === from[i]))
      return built.registry;
    // The registry does not own the connections (no `mcp`): the entry closes them.
    const registry = createToolRegistry({
      builtins: entry.builtins,
      tools: from.flatMap((c) => c.tools),
    });
    entry.built = { from, registry };
    return registry;
  }

  return {
    async list(workspaceId) {
      const entry = await entryOf(workspaceId);
      await ensure(entry, [...entry.slots.keys()]);
      return registryOf(entry).list();
    },
    async unreachable(workspaceId) {
      const entry = await entryOf(workspaceId);
      return [...entry.slots.values()].flatMap((s) =>
        s.error ? [{ server: s.config.name, reason: s.error.message }] : [],
      );
    },
    async runGranted(grants, name, args, ctx) {
      const entry = await entryOf(ctx.workspaceId);
      const server = serverOf(name);
      // Only a granted tool's server is connected: an ungranted call is refused by the registry.
      if (server !== undefined && grants.includes(name)) {
        await ensure(entry, [server]);
        const error = entry.slots.get(server)?.error;
        // Unreachable is a passing failure (retried), where an unknown tool would not be.
        if (error) throw error;
      }
      return registryOf(entry).runGranted(grants, name, args, ctx);
    },
    async forget(workspaceId) {
      const entry = entries.get(workspaceId);
      entries.delete(workspaceId);
      if (entry) await closeEntry(entry);
    },
    async close() {
      const all = [...entries.values()];
      entries.clear();
      await Promise.all(all.map(closeEntry));
    },
  };
}
