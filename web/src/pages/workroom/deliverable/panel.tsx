// Placeholder until this area is built (web app foundation).
import type { Schemas } from "../../../api/client";

export function DeliverablePanel({ room }: { room: Schemas["WorkroomDetail"] }) {
  return <p className="text-sm text-muted">Round {room.current_round}</p>;
}
