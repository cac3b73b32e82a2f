// The one event writer: queues events for a room's history (and credits for its row); the
// transaction appends them in order just before it commits.
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
  entryOf(tx, room).events.push(...events);
}

/** Adds charged credits to the room (and to its base, outside revision rounds), written with the
 *  room's history just before the transaction commits. */
export function addRoomCredits(
  tx: Tx,
  room: Pick<Workroom, "id" | "workspaceId">,
  credits: number,
  toBase: boolean,
): void {
  const entry = entryOf(tx, room);
  entry.credits.credits += credits;
  if (toBase) entry.credits.base += credits;
}

function entryOf(tx: Tx, room: Pick<Workroom, "id" | "workspaceId">) {
  let entry = tx.history.get(room.id);
  if (!entry) {
    entry = {
      room: { id: room.id, workspaceId: room.workspaceId },
      events: [],
      credits: { credits: 0, base: 0 },
    };
    tx.history.set(room.id, entry);
  }
  return entry;
}
