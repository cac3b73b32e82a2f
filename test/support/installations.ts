// Whole installations for tests that move data between them (a database copied, a workspace
// restored): fresh databases of either dialect, stores and runtimes on them, all closed and dropped
// after each test of the file that asked for them. Call `useInstallations()` once at its top.
import { Writable } from "node:stream";
import { afterEach } from "vitest";
import type { Actor } from "../../src/app/context.js";
import { writeWorkspaceArchive } from "../../src/app/workspace-data.js";
import { ScriptedModel } from "../../src/models/scripted.js";
import { openRuntime, type Runtime } from "../../src/runtime.js";
import { openStore, type StoreConnection } from "../../src/store/db.js";
import { createTestDatabase, type TestDatabase } from "./databases.js";
import { TEST_MASTER_KEY } from "./keys.js";

export interface Installations {
  database(dialect: "sqlite" | "postgres"): Promise<TestDatabase>;
  /** A runtime (no worker started) whose scripted model answers after `latencyMs`. */
  runtimeOn(db: TestDatabase, latencyMs?: number): Promise<Runtime>;
  /** A fresh database of `dialect` and a runtime on it. */
  installation(dialect: "sqlite" | "postgres", latencyMs?: number): Promise<Runtime>;
  storeOn(db: TestDatabase): Promise<StoreConnection>;
}

export function useInstallations(): Installations {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });
  const later = (fn: () => Promise<void>) => void cleanup.push(fn);
  const database = async (dialect: "sqlite" | "postgres") => {
    const db = await createTestDatabase(dialect);
    later(() => db.drop());
    return db;
  };
  const runtimeOn = async (db: TestDatabase, latencyMs = 0) => {
    const rt = await openRuntime({
      databaseUrl: db.url,
      masterKey: TEST_MASTER_KEY,
      models: new ScriptedModel({ latencyMs }),
      config: { idlePollMs: 100 },
    });
    later(() => rt.close());
    return rt;
  };
  return {
    database,
    runtimeOn,
    installation: async (dialect, latencyMs) => runtimeOn(await database(dialect), latencyMs),
    storeOn: async (db) => {
      const store = await openStore(db.url, { masterKey: TEST_MASTER_KEY });
      later(() => store.close());
      return store;
    },
  };
}

/** Resolves when the room's state (as the bus announces it) becomes one of `states`. */
export function roomState(rt: Runtime, roomId: string, states: readonly string[]): Promise<void> {
  return new Promise((resolve) => {
    const off = rt.deps.bus.subscribe((m) => {
      if (m.type === "room_state" && m.workroomId === roomId && states.includes(m.state)) {
        off();
        resolve();
      }
    });
  });
}

/** The workspace archive `actor` downloads (`GET /api/v1/workspace/export`), in memory. */
export async function exportedArchive(rt: Runtime, actor: Actor): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  await writeWorkspaceArchive(rt.deps, actor, out);
  return Buffer.concat(chunks);
}
