// The one event writer: appends to a room's history and queues the live notification.
import type { Workroom } from "../domain/types.js";
import { appendEvents, type NewEvent } from "../store/events.js";
import type { Tx } from "./tx.js";

export const ENGINE_ACTOR = "engine";

export async function record(tx: Tx, room: Pick<Workroom, "id" | "workspaceId">, events: readonly NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  const seq = await appendEvents(tx.ex, room, events, tx.now);
  tx.outbox.push({ type: "room_changed", workroomId: room.id, workspaceId: room.workspaceId, seq });
}
