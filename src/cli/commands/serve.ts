// `atelya serve` (HTTP API, web app, a worker pool and the webhook dispatcher on one port) and
// `atelya worker` (workers and webhooks only, for scale-out on PostgreSQL). Both stop gracefully on SIGINT/SIGTERM: the server stops
// accepting, running steps are aborted and released (another worker, or the next start, carries
// them on), and the database is closed. A second signal exits at once.
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { wholeNumber } from "../options.js";
import { z } from "zod";
import { isPostgresUrl } from "../../store/db.js";
import { openRuntime, type Runtime } from "../../runtime.js";
import { ServerConfigSchema, type ServerConfig } from "../../server/config.js";
import { modelConfigFromEnv } from "../../models/config.js";
import { commaList, configFromEnv, type CliConfig } from "../config.js";
import { CliError } from "../errors.js";
import { gatewayFor } from "../session.js";
import { createWorkspaceTools } from "../../app/workspace-tools.js";
import { startWebhookDispatcher } from "../../integrations/webhooks/index.js";
import { guardedSender } from "../../integrations/webhooks/guarded-sender.js";

const ServerEnvSchema = z.object({
  ATELYA_CONFIG: z.string().min(1).optional(),
  ATELYA_HOST: z.string().min(1).optional(),
  ATELYA_PORT: z.string().min(1).optional(),
  ATELYA_PUBLIC_URL: z.string().min(1).optional(),
  ATELYA_TRUST_PROXY: z.enum(["true", "false", "1", "0"]).optional(),
  ATELYA_SECURE_COOKIES: z.enum(["true", "false", "1", "0"]).optional(),
  ATELYA_LOG_LEVEL: z.string().min(1).optional(),
  ATELYA_MODEL: z.string().min(1).optional(),
  // Lists: set but empty (`ATELYA_MCP_ALLOW_ADDRESSES=`) means none, as unset does.
  ATELYA_WEBHOOK_ALLOW_ADDRESSES: z.string().optional(),
  ATELYA_MCP_ALLOW_ADDRESSES: z.string().optional(),
  ATELYA_WEB_ROOT: z.string().min(1).optional(),
});

const flag = (v: string | undefined) => (v === undefined ? undefined : v === "true" || v === "1");

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new CliError(`Cannot read the config file ${path}.`);
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
      throw new Error("not an object");
    return parsed as Record<string, unknown>;
  } catch (e) {
    throw new CliError(`The config file ${path} is not a JSON object (${(e as Error).message}).`);
  }
}

/** Defaults < config file < environment < flags; validated once, with one clear line on error. */
export function serverConfigFrom(
  env: NodeJS.ProcessEnv,
  flags: { host?: string; port?: string; config?: string },
): ServerConfig {
  const checked = ServerEnvSchema.safeParse(env);
  if (!checked.success)
    throw new CliError(
      `Invalid server configuration: ${checked.error.issues
        .map((i) => `${i.path.join(".")}: ${i.message}`)
        .join("; ")}`,
    );
  const e = checked.data;
  const file = flags.config ?? e.ATELYA_CONFIG;
  const fromFile = file ? readConfigFile(file) : {};
  const known = new Set(Object.keys(ServerConfigSchema.shape));
  const unknown = Object.keys(fromFile).filter((k) => !known.has(k));
  if (unknown.length)
    throw new CliError(
      `Unknown setting${unknown.length > 1 ? "s" : ""} in ${file}: ${unknown.join(", ")}. Known: ${[...known].join(", ")}.`,
    );
  // Each setting with where it came from, so that a bad value is named as the user wrote it.
  const merged: Record<string, unknown> = { ...fromFile };
  const source: Record<string, string> = Object.fromEntries(
    Object.keys(fromFile).map((k) => [k, `${k} in ${file}`]),
  );
  const set = (key: keyof ServerConfig, value: unknown, from: string) => {
    if (value === undefined || value === "") return;
    merged[key] = value;
    source[key] = from;
  };
  set("host", e.ATELYA_HOST, "ATELYA_HOST");
  set("port", e.ATELYA_PORT, "ATELYA_PORT");
  set("publicUrl", e.ATELYA_PUBLIC_URL, "ATELYA_PUBLIC_URL");
  set("trustProxy", flag(e.ATELYA_TRUST_PROXY), "ATELYA_TRUST_PROXY");
  set("secureCookies", flag(e.ATELYA_SECURE_COOKIES), "ATELYA_SECURE_COOKIES");
  set("logLevel", e.ATELYA_LOG_LEVEL, "ATELYA_LOG_LEVEL");
  set("webRoot", e.ATELYA_WEB_ROOT, "ATELYA_WEB_ROOT");
  set("host", flags.host, "--host");
  set("port", flags.port, "--port");
  set("defaultModel", e.ATELYA_MODEL, "ATELYA_MODEL");
  // Set but empty is a list of none, and overrides the file's (docs/configuration.md).
  if (e.ATELYA_WEBHOOK_ALLOW_ADDRESSES !== undefined)
    set(
      "webhookAllowAddresses",
      commaList(e.ATELYA_WEBHOOK_ALLOW_ADDRESSES),
      "ATELYA_WEBHOOK_ALLOW_ADDRESSES",
    );
  if (e.ATELYA_MCP_ALLOW_ADDRESSES !== undefined)
    set("mcpAllowAddresses", commaList(e.ATELYA_MCP_ALLOW_ADDRESSES), "ATELYA_MCP_ALLOW_ADDRESSES");
  const parsed = ServerConfigSchema.safeParse(merged);
  if (!parsed.success)
    throw new CliError(
      `Invalid server configuration: ${parsed.error.issues
        .map((i) => `${source[String(i.path[0])] ?? i.path.join(".")}: ${i.message}`)
        .join("; ")}`,
    );
  return parsed.data;
}

interface Background {
  runtime: Runtime;
  /** Stops the webhook dispatcher and the workers, closes MCP connections and the store. */
  close(): Promise<void>;
}

/** The runtime of a server or worker process: every workspace's tools, and outgoing webhooks. */
async function openBackground(
  config: CliConfig,
  server?: ServerConfig,
  latencyMs = 0,
): Promise<Background> {
  if (!isPostgresUrl(config.databaseUrl)) mkdirSync(config.dataDir, { recursive: true });
  const models = modelConfigFromEnv(process.env);
  const runtime = await openRuntime({
    databaseUrl: config.databaseUrl,
    masterKey: config.masterKey,
    models: gatewayFor(models, latencyMs),
    config: {
      pricing: models.pricing,
      ...(config.concurrency ? { concurrency: config.concurrency } : {}),
    },
  });
  const tools = createWorkspaceTools(runtime.deps, {
    mcpAllowAddresses: server?.mcpAllowAddresses ?? config.mcpAllowAddresses,
  });
  runtime.deps.tools = tools;
  const webhooks = startWebhookDispatcher(runtime.deps, {
    publicBaseUrl: server?.publicUrl ?? null,
    send: guardedSender({ allowAddresses: server?.webhookAllowAddresses ?? [] }),
  });
  return {
    runtime,
    async close() {
      await webhooks.stop();
      await runtime.close();
      await tools.close();
    },
  };
}

/** Runs `stop` once on the first SIGINT/SIGTERM; a second signal exits at once. */
function onShutdown(stop: () => Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const handler = () => {
      if (stopping) process.exit(1);
      stopping = true;
      process.stderr.write("Stopping: releasing running steps (Ctrl-C again to quit at once)…\n");
      void stop().then(resolve, (e: unknown) => {
        process.stderr.write(`error while stopping: ${(e as Error).message}\n`);
        process.exit(1);
      });
    };
    process.on("SIGINT", handler);
    process.on("SIGTERM", handler);
  });
}

interface ServeFlags {
  host?: string;
  port?: string;
  config?: string;
  worker: boolean;
  scriptedLatency: number;
}

export function registerServe(program: Command): void {
  program
    .command("serve")
    .description("start the HTTP API, the web app and a worker pool on one port")
    .option("--host <host>", "address to listen on (default 127.0.0.1; 0.0.0.0 for all)")
    .option("--port <port>", "port to listen on (default 8080)")
    .option("--config <file>", "a JSON file of server settings (see docs/configuration.md)")
    .option("--no-worker", "serve the API only; run `atelya worker` processes for the work")
    .option(
      "--scripted-latency <ms>",
      "latency of each scripted-model call, so demos show progress",
      wholeNumber(0),
      0,
    )
    .action(async (o: ServeFlags) => {
      const config = configFromEnv(process.env);
      const server = serverConfigFrom(process.env, o);
      // A workspace's archive is spooled in the data folder, the server's own on PostgreSQL too
      // (its master.key, local models): never the shared temporary folder.
      server.spoolDir ??= join(config.dataDir, "spool");
      const { runtime, close } = await openBackground(config, server, o.scriptedLatency);
      // The server's modules (Fastify, the routes, the export and upload libraries) load here, so
      // every other command starts without them.
      const { buildServer } = await import("../../server/app.js");
      const app = await buildServer({ deps: runtime.deps, config: server });
      // The engine logs beside the requests (it was silent: a full disk left no line at all).
      runtime.deps.log = app.log.child({ component: "engine" });
      try {
        await app.listen({ host: server.host, port: server.port });
      } catch (e) {
        await close();
        throw new CliError(
          `Cannot listen on ${server.host}:${server.port}: ${(e as Error).message}`,
        );
      }
      if (o.worker) runtime.startWorker();
      const address = app.server.address();
      const port = typeof address === "object" && address ? address.port : server.port;
      process.stdout.write(
        `Atelya is serving on http://${server.host === "0.0.0.0" ? "localhost" : server.host}:${port} (${runtime.deps.store.dialect}${o.worker ? ", with a worker" : ""}).\n`,
      );
      await onShutdown(async () => {
        await app.close();
        await close();
      });
    });

  program
    .command("worker")
    .description("run workers only: claim and work steps until stopped")
    .action(async () => {
      // The public address reaches workers too: webhook messages link to the room.
      const server = serverConfigFrom(process.env, {});
      const { runtime, close } = await openBackground(configFromEnv(process.env), server);
      // Loaded here, like the server's modules, so other commands start without it.
      const { pino } = await import("pino");
      runtime.deps.log = pino({ level: server.logLevel }).child({ component: "engine" });
      const worker = runtime.startWorker();
      process.stdout.write(`Worker ${worker.id} is running (${runtime.deps.store.dialect}).\n`);
      await onShutdown(close);
    });
}
