// Opens what a CLI command needs: the runtime on the configured database, the model gateway, and
// the workspace the CLI acts in (created on first use).
import { mkdirSync } from "node:fs";
import { isPostgresUrl } from "../store/db.js";
import { openRuntime, type Runtime } from "../runtime.js";
import { allWorkspaces, createWorkspace } from "../app/workspaces.js";
import type { Actor } from "../app/context.js";
import type { Workspace } from "../domain/types.js";
import { ScriptedModel } from "../models/scripted.js";
import { getSettings } from "../app/settings.js";
import {
  builtinTools,
  connectMcpServers,
  createToolRegistry,
  type McpTools,
} from "../integrations/tools/index.js";
import type { ModelGateway } from "../models/gateway.js";
import { modelConfigFromEnv, type ModelConfig } from "../models/config.js";
import { progressBar } from "../models/presets.js";
import { createModelGateway } from "../models/router.js";
import { configFromEnv, type CliConfig } from "./config.js";

export interface Session {
  runtime: Runtime;
  workspace: Workspace;
  actor: Actor;
  close(): Promise<void>;
}

export const DEFAULT_WORKSPACE = "My agency";

export interface SessionOptions {
  /** Connect the workspace's tools (built-ins and MCP servers): for commands that run work. */
  tools?: boolean;
  model?: string;
  /** Scripted model latency per call, for demos. */
  latencyMs?: number;
  /** The workspace the CLI acts in, created on first use (the demo keeps its own). */
  workspaceName?: string;
  /** A command about one room acts in that room's workspace, whichever it is. */
  roomId?: string;
}

/** The model gateway of a CLI session: providers from the environment, the embedded model for
 *  `local:` names, the scripted model for `scripted`. */
export function gatewayFor(models: ModelConfig, latencyMs: number): ModelGateway {
  return createModelGateway({
    config: models,
    scripted: new ScriptedModel({ latencyMs }),
    onDownload: progressBar(process.stderr),
  });
}

/** The workspace a room belongs to: the CLI runs as the owner of this installation's workspaces. */
async function workspaceOfRoom(runtime: Runtime, roomId: string): Promise<string | undefined> {
  const row = await runtime.deps.store.db
    .selectFrom("workrooms")
    .select("workspace_id")
    .where("id", "=", roomId)
    .executeTakeFirst();
  return row?.workspace_id;
}

/** Gives the runtime the workspace's tools; the returned MCP connections close with the session. */
async function openTools(
  runtime: Runtime,
  actor: Actor,
  mcpAllowAddresses: readonly string[],
): Promise<McpTools> {
  const settings = await getSettings(runtime.deps, actor);
  const mcp = await connectMcpServers(settings.mcp_servers, { allowAddresses: mcpAllowAddresses });
  runtime.deps.tools = createToolRegistry({
    tools: [...builtinTools({ allowHosts: settings.fetch_allow_hosts }), ...mcp.tools],
  });
  return mcp;
}

export async function openSession(config: CliConfig, o: SessionOptions = {}): Promise<Session> {
  if (!isPostgresUrl(config.databaseUrl)) mkdirSync(config.dataDir, { recursive: true });
  const model = o.model ?? config.defaultModel ?? "scripted";
  const models = modelConfigFromEnv(process.env);
  const runtime = await openRuntime({
    databaseUrl: config.databaseUrl,
    masterKey: config.masterKey,
    models: gatewayFor(models, o.latencyMs ?? 0),
    config: {
      pricing: models.pricing,
      ...(config.concurrency ? { concurrency: config.concurrency } : {}),
    },
  });
  try {
    const existing = await allWorkspaces(runtime.deps);
    const name = o.workspaceName ?? DEFAULT_WORKSPACE;
    const owner = o.roomId ? await workspaceOfRoom(runtime, o.roomId) : undefined;
    const workspace =
      existing.find((w) => (owner ? w.id === owner : w.name === name)) ??
      (await createWorkspace(runtime.deps, { name, plan: "agency", defaultModel: model }));
    const actor: Actor = { id: "cli", workspaceId: workspace.id, role: "owner" };
    const mcp = o.tools ? await openTools(runtime, actor, config.mcpAllowAddresses) : undefined;
    return {
      runtime,
      workspace,
      actor,
      close: async () => {
        await runtime.close();
        await mcp?.close();
      },
    };
  } catch (e) {
    await runtime.close();
    throw e;
  }
}

/** Runs a command body in a session on the configured database, closing it afterwards. */
export async function withSession<T>(
  fn: (s: Session) => Promise<T>,
  options: SessionOptions = {},
): Promise<T> {
  const s = await openSession(configFromEnv(process.env), options);
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}

/** `withSession` in the workspace of one room (commands that take a room id). */
export const withRoomSession = <T>(
  roomId: string,
  fn: (s: Session) => Promise<T>,
  options: SessionOptions = {},
): Promise<T> => withSession(fn, { ...options, roomId });
