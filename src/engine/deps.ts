// The one bag of dependencies every engine system receives (no module-level singletons).
import type { ModelGateway } from "../models/gateway.js";
import { DEFAULT_PRICING, type PricingTable } from "../models/pricing.js";
import type { StoreConnection } from "../store/db.js";
import { execOf, type Exec } from "../store/exec.js";
import type { Bus } from "./bus.js";

export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

export interface ToolSummary {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

export interface UnreachableServer {
  server: string;
  /** Names the server and its host, never a URL's credentials or query. */
  reason: string;
}

/**
 * Runs a granted tool for a tool_call task (the registry of integrations/tools implements it).
 * Calls name the workspace: a server hosting many workspaces gives each its own tools (its MCP
 * servers, its fetch allow-list); the CLI's one registry ignores it.
 */
export interface ToolRunner {
  /** Every tool of the workspace with its description and JSON-schema parameters, for the Planner. */
  list(workspaceId: string): ToolSummary[] | Promise<ToolSummary[]>;
  runGranted(
    grants: readonly string[],
    name: string,
    args: Record<string, unknown>,
    ctx: {
      workspaceId: string;
      signal: AbortSignal;
      inputs: { kind: string; label?: string; content: string }[];
      now: () => Date;
    },
  ): Promise<{ output: string }>;
  /** The workspace's MCP servers that could not be reached when its tools were last listed, each
   *  with why: the Planner plans without their tools, and the room's history says so. */
  unreachable?(workspaceId: string): Promise<UnreachableServer[]>;
  /** The workspace is gone: let go of what is kept for it (its MCP connections). */
  forget?(workspaceId: string): Promise<void>;
}

export interface EngineConfig {
  /** How long a claim is valid without a heartbeat. */
  leaseMs: number;
  /** Steps one worker process runs at once. */
  concurrency: number;
  /** Sleep between queue checks when nothing wakes the worker. */
  idlePollMs: number;
  /** Failed attempts of a step (transient errors) before the task fails. */
  maxStepFailures: number;
  /** Re-asks of an invalid plan before the room fails (SPEC: at most 2). */
  planRetries: number;
  pricing: PricingTable;
}

export const DEFAULT_ENGINE_CONFIG: EngineConfig = {
  leaseMs: 30_000,
  concurrency: 8,
  idlePollMs: 1_000,
  maxStepFailures: 3,
  planRetries: 2,
  pricing: DEFAULT_PRICING,
};

export interface EngineDeps {
  store: StoreConnection;
  models: ModelGateway;
  tools?: ToolRunner;
  clock: Clock;
  bus: Bus;
  log: Logger;
  config: EngineConfig;
}

/** The repository handle of the store's pool. */
export const poolExec = (deps: EngineDeps): Exec => execOf(deps.store);

/**
 * Runs `fn`'s few quick reads on one consistent snapshot (`readSnapshot`, short), with a
 * repository handle bound to it: what it reads agrees, whatever the engine commits meanwhile.
 */
export function readTogether<T>(deps: EngineDeps, fn: (ex: Exec) => Promise<T>): Promise<T> {
  const { dialect, cipher } = deps.store;
  return deps.store.readSnapshot((db) => fn(execOf({ db, dialect, cipher })), { short: true });
}

/** Runs `fn` in a short transaction with a repository handle bound to it. */
export function inTransaction<T>(
  deps: EngineDeps,
  fn: (ex: Exec) => Promise<T>,
  options?: { replayable?: boolean },
): Promise<T> {
  return deps.store.transaction((tx) => fn(deps.store.execIn(tx)), options);
}
