// Waiting for a room of any workspace to settle, by listening to the bus (no sleeps): the API
// world's rooms live in its own workspaces, not the harness's.
import type { AppDeps } from "../../src/app/context.js";
import type { HistoryEvent, Workroom } from "../../src/domain/types.js";
import type { WorkroomId, WorkspaceId } from "../../src/domain/ids.js";
import type { WorkroomState } from "../../src/domain/workroom.js";
import { poolExec } from "../../src/engine/deps.js";
import { listEvents } from "../../src/store/events.js";
import { findWorkroom } from "../../src/store/workrooms.js";

/** Resolves once `check` holds, re-checked whenever the room's history or state changes. */
function watch<T>(
  deps: AppDeps,
  roomId: string,
  look: () => Promise<T | undefined>,
  describe: () => Promise<string>,
  timeoutMs: number,
): Promise<T> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const check = async () => {
      const found = await look();
      if (settled || found === undefined) return;
      settled = true;
      unsubscribe();
      clearTimeout(timer);
      resolve(found);
    };
    const unsubscribe = deps.bus.subscribe((m) => {
      if ((m.type === "room_state" || m.type === "room_changed") && m.workroomId === roomId)
        void check();
    });
    const timer = setTimeout(async () => {
      unsubscribe();
      reject(new Error(await describe()));
    }, timeoutMs);
    void check();
  });
}

export function waitForRoom(
  deps: AppDeps,
  workspaceId: string,
  roomId: string,
  states: WorkroomState[],
  timeoutMs = 20_000,
): Promise<Workroom> {
  const room = () => findWorkroom(poolExec(deps), workspaceId as WorkspaceId, roomId);
  return watch(
    deps,
    roomId,
    async () => {
      const r = await room();
      return r && states.includes(r.state) ? r : undefined;
    },
    async () => {
      const r = await room();
      return `room ${roomId} did not reach ${states.join("|")} (is ${r?.state}: ${r?.failureReason ?? r?.pauseReason ?? ""})`;
    },
    timeoutMs,
  );
}

export function waitForEvents(
  deps: AppDeps,
  workspaceId: string,
  roomId: string,
  check: (events: HistoryEvent[]) => boolean,
  timeoutMs = 20_000,
): Promise<HistoryEvent[]> {
  const room = { id: roomId as WorkroomId, workspaceId: workspaceId as WorkspaceId };
  return watch(
    deps,
    roomId,
    async () => {
      const events = await listEvents(poolExec(deps), room);
      return check(events) ? events : undefined;
    },
    async () => `history of ${roomId} never matched`,
    timeoutMs,
  );
}
