// Bus: wakes workers when steps are enqueued, tells them to abort a room's running calls, and fans
// history events out to live listeners. In-process here; PostgreSQL LISTEN/NOTIFY in store/pg-bus.ts.

import type { WorkroomState } from "../domain/workroom.js";

export type BusMessage =
  | { type: "steps_ready" }
  /** The bus was cut off from other processes and is back: what they said meanwhile is lost. */
  | { type: "bus_reconnected" }
  | { type: "room_aborted"; workroomId: string }
  /** Webhook deliveries were queued: dispatchers claim them without waiting for their poll. */
  | { type: "webhooks_ready" }
  | { type: "room_changed"; workroomId: string; workspaceId: string; seq: number }
  /** The room's lifecycle state changed: listeners can follow rooms without reading the database. */
  | { type: "room_state"; workroomId: string; workspaceId: string; state: WorkroomState };

export interface Bus {
  publish(message: BusMessage): void;
  subscribe(listener: (message: BusMessage) => void): () => void;
  close(): Promise<void>;
}

export function createLocalBus(): Bus {
  const listeners = new Set<(message: BusMessage) => void>();
  return {
    publish(message) {
      for (const l of listeners) l(message);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
    },
  };
}
