// A running engine on a test database with the scripted model, and helpers that wait for rooms to
// settle by listening to the bus (no sleeps).
import { openRuntime, type Runtime } from "../../src/runtime.js";
import { createWorkspace } from "../../src/app/workspaces.js";
import { ScriptedModel, type ScriptedOptions } from "../../src/models/scripted.js";
import type { EngineConfig, Clock, Logger, ToolRunner } from "../../src/engine/deps.js";
import type { HistoryEvent, Workspace, Workroom } from "../../src/domain/types.js";
import type { WorkroomId, WorkspaceId } from "../../src/domain/ids.js";
import { listEvents } from "../../src/store/events.js";
import type { WorkroomState } from "../../src/domain/workroom.js";
import { findWorkroom } from "../../src/store/workrooms.js";
import { poolExec } from "../../src/engine/deps.js";
import type { Worker } from "../../src/engine/worker.js";
import { createTestDatabase, type TestDatabase } from "./databases.js";
import { TEST_MASTER_KEY } from "./keys.js";

export interface Harness {
  runtime: Runtime;
  model: ScriptedModel;
  workspace: Workspace;
  db: TestDatabase;
  /** The worker the harness started (undefined with `worker: false`). */
  worker: Worker | undefined;
  /** Resolves when the room reaches one of `states` (checked on every history change). */
  waitFor(roomId: string, states: WorkroomState[], timeoutMs?: number): Promise<Workroom>;
  /** Resolves with the history once `check` holds for it (checked on every history change). */
  waitForHistory(
    roomId: string,
    check: (events: HistoryEvent[]) => boolean,
    timeoutMs?: number,
  ): Promise<HistoryEvent[]>;
  close(): Promise<void>;
}

export async function startHarness(
  dialect: "sqlite" | "postgres",
  options: {
    model?: ScriptedOptions;
    config?: Partial<EngineConfig>;
    clock?: Clock;
    worker?: boolean;
    topup?: number;
    tools?: ToolRunner;
    log?: Logger;
    /** PostgreSQL: how long a query waits for a pooled connection (StoreOptions). */
    connectTimeoutMs?: number;
  } = {},
): Promise<Harness> {
  const db = await createTestDatabase(dialect);
  const model = new ScriptedModel({ keepLog: true, ...options.model });
  const runtime = await openRuntime({
    databaseUrl: db.url,
    masterKey: TEST_MASTER_KEY,
    models: model,
    config: { idlePollMs: 200, ...options.config },
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.tools ? { tools: options.tools } : {}),
    ...(options.log ? { log: options.log } : {}),
    ...(options.connectTimeoutMs ? { connectTimeoutMs: options.connectTimeoutMs } : {}),
  });
  const workspace = await createWorkspace(runtime.deps, {
    name: "Test Agency",
    plan: "agency",
    defaultModel: "scripted",
    topup: options.topup ?? 0,
  });
  const worker = (options.worker ?? true) ? runtime.startWorker() : undefined;
  // Rooms of any workspace (API tests make their own): the test looks the owner up first.
  const workspaceOf = async (id: string): Promise<WorkspaceId> => {
    const row = await runtime.deps.store.db
      .selectFrom("workrooms")
      .select("workspace_id")
      .where("id", "=", id)
      .executeTakeFirst();
    return row ? (row.workspace_id as WorkspaceId) : workspace.id;
  };
  const roomOf = async (id: string) =>
    findWorkroom(poolExec(runtime.deps), await workspaceOf(id), id);
  return {
    runtime,
    model,
    workspace,
    db,
    worker,
    waitFor(roomId, states, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        let settled = false;
        // A read that fails (a test cutting the database's connections) is tried again shortly.
        const check = (): void =>
          void roomOf(roomId).then(
            (room) => {
              if (!settled && room && states.includes(room.state)) {
                settled = true;
                unsubscribe();
                clearTimeout(timer);
                resolve(room);
              }
            },
            () => !settled && setTimeout(check, 100),
          );
        const unsubscribe = runtime.deps.bus.subscribe((m) => {
          if (m.type === "room_state" && m.workroomId === roomId && states.includes(m.state))
            check();
          // Messages sent while the bus was away are lost (PostgreSQL): look again.
          if (m.type === "bus_reconnected") check();
        });
        const timer = setTimeout(async () => {
          settled = true;
          unsubscribe();
          const room = await roomOf(roomId).catch(() => undefined);
          reject(
            new Error(
              `room ${roomId} did not reach ${states.join("|")} (is ${room?.state}: ${room?.failureReason ?? room?.pauseReason ?? ""})`,
            ),
          );
        }, timeoutMs);
        check();
      });
    },
    waitForHistory(roomId, check, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        let settled = false;
        const read = async () => {
          const room = {
            id: roomId as WorkroomId,
            workspaceId: await workspaceOf(roomId),
          };
          return listEvents(poolExec(runtime.deps), room);
        };
        // As in waitFor: a read that fails is tried again shortly.
        const look = (): void =>
          void read().then(
            (events) => {
              if (!settled && check(events)) {
                settled = true;
                unsubscribe();
                clearTimeout(timer);
                resolve(events);
              }
            },
            () => !settled && setTimeout(look, 100),
          );
        const unsubscribe = runtime.deps.bus.subscribe((m) => {
          if (
            (m.type === "room_changed" && m.workroomId === roomId) ||
            m.type === "bus_reconnected"
          )
            look();
        });
        const timer = setTimeout(() => {
          settled = true;
          unsubscribe();
          reject(new Error(`history of ${roomId} never matched`));
        }, timeoutMs);
        look();
      });
    },
    async close() {
      await runtime.close();
      await db.drop();
    },
  };
}
