// The composition root: opens the store, the bus and the model gateway, and builds the one bag of
// engine dependencies that the CLI, the server and the tests pass down.
import type { ModelGateway } from "./models/gateway.js";
import { openStore } from "./store/db.js";
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
  models: ModelGateway;
  tools?: ToolRunner;
  clock?: Clock;
  log?: Logger;
  config?: Partial<EngineConfig>;
}

export interface Runtime {
  deps: EngineDeps;
  /** Starts a worker in this process. */
  startWorker(options?: { id?: string }): Worker;
  /** Stops workers (releasing their steps) and closes the store and the bus. */
  close(): Promise<void>;
}

export async function openRuntime(o: RuntimeOptions): Promise<Runtime> {
  const store = await openStore(o.databaseUrl);
  const log = o.log ?? silentLogger;
  const bus =
    store.dialect === "postgres"
      ? await createPgBus(o.databaseUrl, (e) => log.warn({ err: e }, "bus error"))
      : createLocalBus();
  const deps: EngineDeps = {
    store,
    models: o.models,
    ...(o.tools ? { tools: o.tools } : {}),
    clock: o.clock ?? systemClock,
    bus,
    log,
    config: { ...DEFAULT_ENGINE_CONFIG, ...o.config },
  };
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
