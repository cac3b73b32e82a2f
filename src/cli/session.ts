// Opens what a CLI command needs: the runtime on the configured database, the model gateway, and
// the workspace the CLI acts in (created on first use).
import { mkdirSync } from "node:fs";
import { isPostgresUrl } from "../store/db.js";
import { openRuntime, type Runtime } from "../runtime.js";
import { allWorkspaces, createWorkspace } from "../app/workspaces.js";
import type { Actor } from "../app/context.js";
import type { Workspace } from "../domain/types.js";
import { ScriptedModel } from "../models/scripted.js";
import type { ModelGateway } from "../models/gateway.js";
import { configFromEnv, type CliConfig } from "./config.js";

export interface Session {
  runtime: Runtime;
  workspace: Workspace;
  actor: Actor;
  close(): Promise<void>;
}

export interface SessionOptions {
  model?: string;
  /** Scripted model latency per call, for demos. */
  latencyMs?: number;
  workspaceId?: string;
}

export function gatewayFor(model: string, latencyMs: number): ModelGateway {
  if (model === "scripted" || model.startsWith("scripted:"))
    return new ScriptedModel({ latencyMs });
  throw new Error(
    `Model "${model}" is not available in this build. Use --model scripted, or configure a provider (see docs/providers.md).`,
  );
}

export async function openSession(config: CliConfig, o: SessionOptions = {}): Promise<Session> {
  if (!isPostgresUrl(config.databaseUrl)) mkdirSync(config.dataDir, { recursive: true });
  const model = o.model ?? config.defaultModel ?? "scripted";
  const runtime = await openRuntime({
    databaseUrl: config.databaseUrl,
    models: gatewayFor(model, o.latencyMs ?? 0),
    config: config.concurrency ? { concurrency: config.concurrency } : {},
  });
  try {
    const existing = await allWorkspaces(runtime.deps);
    const workspace =
      (o.workspaceId ? existing.find((w) => w.id === o.workspaceId) : existing[0]) ??
      (o.workspaceId
        ? undefined
        : await createWorkspace(runtime.deps, {
            name: "My agency",
            plan: "agency",
            defaultModel: model,
          }));
    if (!workspace) throw new Error(`No workspace ${o.workspaceId} in ${config.databaseUrl}.`);
    return {
      runtime,
      workspace,
      actor: { id: "cli", workspaceId: workspace.id, role: "owner" },
      close: () => runtime.close(),
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
