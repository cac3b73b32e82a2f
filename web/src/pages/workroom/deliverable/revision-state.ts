// Whether a revision may be requested now, asked of the domain's one transition function (the
// server runs the same), and the soft warning SPEC 4 asks for from round 5.
import { transition } from "../../../../../src/domain/workroom";
import { lifecycleOf } from "../lifecycle";
import type { Room } from "./queries";

export function revisionRefusal(room: Room): string | null {
  const result = transition(lifecycleOf(room), { type: "request_revision" });
  return result.ok ? null : result.error.message;
}

export const revisionRunning = (room: Room) =>
  room.revision_in_flight || room.state === "awaiting_revision";

/** Rounds from this one on get a gentle nudge; there is no hard cap. */
export const SOFT_ROUND_LIMIT = 5;
