// Opens what a CLI command needs: the runtime on the configured database, the model gateway, and
// the workspace the CLI acts in: the one named with --workspace (or ATELYA_WORKSPACE), else the
// installation's only one (made on first use by `atelya run`); with several, the command must name one.
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
import { CliError } from "./errors.js";
import type { AppDeps } from "../app/context.js";

export interface Session {
  runtime: Runtime;
  workspace: Workspace;
  actor: Actor;
  close(): Promise<void>;
}

export const DEFAULT_WORKSPACE = "My agency";
/** The workspace `atelya demo` runs its sample room in (on the scripted model, whatever the
 *  agency's workspace uses): a command acts in it only when it is named. */
export const DEMO_WORKSPACE = "Atelya demo";

/** The workspace named on the command line (the global --workspace option), for this run. */
let namedOnCommandLine: string | undefined;
/** Called by the program before each command runs, with its --workspace option. */
export const nameWorkspace = (name: string | undefined): void => {
  namedOnCommandLine = name;
};
/** The workspace a command was told to act in: --workspace, else ATELYA_WORKSPACE. */
export const namedWorkspace = (config: Pick<CliConfig, "workspace">): string | undefined =>
  namedOnCommandLine ?? config.workspace;

/** Workspaces by name; one whose name another shares comes with its id, the only way to tell them apart. */
const names = (list: readonly Workspace[]): string =>
  list
    .map((w) =>
      list.some((o) => o !== w && o.name === w.name) ? `"${w.name}" (${w.id})` : `"${w.name}"`,
    )
    .join(", ");

/**
 * The workspace a command acts in: `named` (a name or an id), else the installation's only one
 * (the demo's own left out). With none yet, `firstUse` makes one (the CLI's own, so `atelya run`
 * works on a fresh installation) or the command is refused; with several, the command must name
 * one. (It used to act in a workspace of its own, "My agency", beside the one the web app's set-up
 * made.)
 */
export async function chooseWorkspace(
  deps: AppDeps,
  named: string | undefined,
  firstUse?: () => Promise<Workspace>,
): Promise<Workspace> {
  const everyOne = await allWorkspaces(deps);
  if (named !== undefined) {
    const byId = everyOne.find((w) => w.id === named);
    if (byId) return byId;
    const byName = everyOne.filter((w) => w.name === named);
    if (byName.length === 1) return byName[0]!;
    if (byName.length > 1)
      throw new CliError(
        `${byName.length} workspaces are named "${named}" (${names(byName)}): name one by its id with --workspace <id>.`,
      );
    throw new CliError(
      everyOne.length === 0
        ? `No workspace "${named}": this installation has none yet.`
        : `No workspace "${named}". Workspaces: ${names(everyOne)}.`,
    );
  }
  const all = everyOne.filter((w) => w.name !== DEMO_WORKSPACE);
  if (all.length === 1) return all[0]!;
  if (all.length === 0) {
    if (firstUse) return firstUse();
    throw new CliError(
      "No workspace yet: `atelya run` makes one on first use, or create the owner with `atelya users create --owner …` (or the set-up page of `atelya serve`).",
    );
  }
  throw new CliError(
    `This installation has ${all.length} workspaces (${names(all)}): name one with --workspace <name or id>.`,
  );
}

export interface SessionOptions {
  /** Connect the workspace's tools (built-ins and MCP servers): for commands that run work. */
  tools?: boolean;
  model?: string;
  /** Scripted model latency per call, for demos. */
  latencyMs?: number;
  /** With no workspace yet, make one ("My agency"): only for commands that do work in it
   *  (`atelya run`); the others, reading or setting things up, are refused instead of leaving a
   *  workspace with a fresh allowance behind. */
  createOnFirstUse?: boolean;
  /** A workspace of this name, created on first use, whatever else there is: the demo's own. */
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
  // A server that cannot be reached is named, and the session goes on with the others' tools.
  for (const e of mcp.unavailable) process.stderr.write(`${e.message}\n`);
  const unreachable = mcp.unavailable.map((e) => ({ server: e.server, reason: e.message }));
  runtime.deps.tools = {
    ...createToolRegistry({
      tools: [...builtinTools({ allowHosts: settings.fetch_allow_hosts }), ...mcp.tools],
    }),
    unreachable: async () => unreachable,
  };
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
    const create = (name: string) => () =>
      createWorkspace(runtime.deps, { name, plan: "agency", defaultModel: model });
    const named = namedWorkspace(config);
    let workspace: Workspace;
    if (o.workspaceName !== undefined)
      workspace =
        (await allWorkspaces(runtime.deps)).find((w) => w.name === o.workspaceName) ??
        (await create(o.workspaceName)());
    else if (o.roomId !== undefined) {
      const owner = await workspaceOfRoom(runtime, o.roomId);
      if (owner === undefined) throw new CliError(`No workroom ${o.roomId} on this installation.`);
      workspace = (await allWorkspaces(runtime.deps)).find((w) => w.id === owner)!;
      if (named !== undefined && (await chooseWorkspace(runtime.deps, named)).id !== owner)
        throw new CliError(`Workroom ${o.roomId} is not in the workspace "${named}".`);
    } else
      workspace = await chooseWorkspace(
        runtime.deps,
        named,
        o.createOnFirstUse ? create(DEFAULT_WORKSPACE) : undefined,
      );
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

/** `withSession` for a command that sets the workspace up (an agent, a top-up, the letterhead…):
 *  on a fresh installation it makes the workspace, as `atelya run` does. */
export const withSessionMakingWorkspace = <T>(
  fn: (s: Session) => Promise<T>,
  options: SessionOptions = {},
): Promise<T> => withSession(fn, { ...options, createOnFirstUse: true });

/** `withSession` in the workspace of one room (commands that take a room id). */
export const withRoomSession = <T>(
  roomId: string,
  fn: (s: Session) => Promise<T>,
  options: SessionOptions = {},
): Promise<T> => withSession(fn, { ...options, roomId });
