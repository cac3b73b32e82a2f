// The composition root: opens the store, the bus and the model gateway, and builds the one bag of
// engine dependencies that the CLI, the server and the tests pass down.
import type { ModelGateway } from "./models/gateway.js";
import { openStore, type StoreOptions } from "./store/db.js";
import type { MasterKey } from "./store/crypto/master-key.js";
import { execOf } from "./store/exec.js";
import { providerCredentials } from "./store/workspace-secrets.js";
import { withWorkspaceCredentials } from "./models/credentials.js";
import { createPgBus } from "./store/pg-bus.js";
import { createLocalBus } from "./engine/bus.js";
import {
  DEFAULT_ENGINE_CONFIG,
  silentLogger,
  systemClock,
  type Clock,
  type EngineConfig,
  type EngineDeps,
  type Logger,
  type ToolRunner,
} from "./engine/deps.js";
import { Worker } from "./engine/worker.js";

export interface RuntimeOptions {
  databaseUrl: string;
  /** Seals content and secrets at rest (SPEC 10); required so no caller stores plaintext. */
  masterKey: MasterKey;
  models: ModelGateway;
  tools?: ToolRunner;
  clock?: Clock;
  log?: Logger;
  config?: Partial<EngineConfig>;
  /** See StoreOptions (the benchmark turns SQLite's checkpoints off to read the WAL). */
  walCheckpoints?: StoreOptions["walCheckpoints"];
  /** See StoreOptions (tests of a busy pool shorten the wait for a connection). */
  connectTimeoutMs?: StoreOptions["connectTimeoutMs"];
}

export interface Runtime {
  deps: EngineDeps;
  /** Starts a worker in this process. */
  startWorker(options?: { id?: string }): Worker;
  /** Stops workers (releasing their steps) and closes the store and the bus. */
  close(): Promise<void>;
}

export async function openRuntime(o: RuntimeOptions): Promise<Runtime> {
  // The store may report trouble before `deps` exists, and `serve` gives the engine its logger
  // after opening: the logger is looked up when trouble comes.
  let logger = (): Logger => o.log ?? silentLogger;
  const store = await openStore(o.databaseUrl, {
    masterKey: o.masterKey,
    ...(o.walCheckpoints && { walCheckpoints: o.walCheckpoints }),
    ...(o.connectTimeoutMs && { connectTimeoutMs: o.connectTimeoutMs }),
    onCheckpointTrouble: (error) =>
      error === undefined
        ? logger().info({}, "background WAL checkpoints work again")
        : logger().warn(
            { error },
            "background WAL checkpoints are failing; the WAL grows until a commit checkpoints it",
          ),
  });
  const log = o.log ?? silentLogger;
  const bus =
    store.dialect === "postgres"
      ? await createPgBus(o.databaseUrl, (e) => log.warn({ err: e }, "bus error"))
      : createLocalBus();
  const deps: EngineDeps = {
    store,
    // Calls made for a workspace use its own provider keys (model settings) when it has set any.
    models: withWorkspaceCredentials(o.models, (id) => providerCredentials(execOf(store), id)),
    ...(o.tools ? { tools: o.tools } : {}),
    clock: o.clock ?? systemClock,
    bus,
    log,
    config: { ...DEFAULT_ENGINE_CONFIG, ...o.config },
  };
  logger = () => deps.log;
  const workers: Worker[] = [];
  return {
    deps,
    startWorker(options = {}) {
      const w = new Worker(deps, options);
      workers.push(w);
      w.start();
      return w;
    },
    async close() {
      await Promise.all(workers.map((w) => w.stop()));
      await bus.close();
      await store.close();
    },
  };
}
