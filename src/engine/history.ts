// The one event writer: queues events for a room's history; the transaction appends them in order
// just before it commits.
import type { Workroom } from "../domain/types.js";
import type { NewEvent } from "../store/events.js";
import type { Tx } from "./tx.js";

export const ENGINE_ACTOR = "engine";

export function record(
  tx: Tx,
  room: Pick<Workroom, "id" | "workspaceId">,
  events: readonly NewEvent[],
): void {
  if (events.length === 0) return;
  const entry = tx.history.get(room.id);
  if (entry) entry.events.push(...events);
  else
    tx.history.set(room.id, {
      room: { id: room.id, workspaceId: room.workspaceId },
      events: [...events],
    });
}
