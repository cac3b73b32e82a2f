// What the page may offer in a room's state, asked of the domain's one transition function (the
// server runs the same one, so a button is shown exactly when the command would be accepted), and
// the room's state in words.
import { transition, type Lifecycle, type UserCommand } from "../../../../src/domain/workroom";
import { timeOrDate } from "../../ui/format";
import type { Command, Room } from "./queries";

/** The room as the domain's lifecycle sees it (the generation does not decide any command). */
export const lifecycleOf = (room: Room): Lifecycle => ({
  state: room.state,
  pausedFrom: room.paused_from,
  pauseReason: room.pause_reason,
  resumeAt: room.resume_at === null ? null : Date.parse(room.resume_at),
  failureReason: room.failure_reason,
  generation: 0,
  currentRound: room.current_round,
  finalRound: room.final_round,
  revisionInFlight: room.revision_in_flight,
});

export function allows(room: Room, command: Command): boolean {
  const asked: UserCommand = { type: command };
  return transition(lifecycleOf(room), asked).ok;
}

const PAUSE_WORDS: Record<NonNullable<Room["pause_reason"]>, string> = {
  user: "Paused by a person. Running work finishes; nothing new starts until you resume.",
  plan_review:
    "The plan is ready for review. Read it below, then approve it to start the work — no credits are spent on tasks until then.",
  budget:
    "Paused: the next model call would cross this room's credit cap. Raise the cap, then resume.",
  insufficient_credits:
    "Paused: the workspace has too few credits for the next model call. Top up, then resume.",
  rate_limited:
    "Paused: the model provider rate-limited this room and asked to wait. Resumed sooner, the call still waits until the provider's time.",
};

/** When a room paused for a provider's rate limit resumes by itself, in words. */
const resumesAt = (iso: string, now?: Date): string =>
  `Paused: the model provider rate-limited this room and asked to wait. Resumes by itself at ${timeOrDate(iso, now)}; resumed sooner, the call still waits until then.`;

/** One sentence on why the room is where it is, when its badge alone does not say it. */
export function stateNote(
  room: Room,
  now?: Date,
): { tone: "warning" | "danger" | "info"; text: string } | null {
  switch (room.state) {
    case "paused":
      return {
        tone: "warning",
        text:
          room.resume_at !== null
            ? resumesAt(room.resume_at, now)
            : PAUSE_WORDS[room.pause_reason ?? "user"],
      };
    case "failed":
      return {
        tone: "danger",
        text: `Failed: ${room.failure_reason ?? "no reason was recorded"}. Replan to try again with the finished work kept.`,
      };
    case "draft":
      return {
        tone: "info",
        text: "Nothing has run yet and no credits are spent. Start the room when its inputs are ready.",
      };
    case "planning":
      return { tone: "info", text: "The Planner is writing the plan." };
    case "composing":
      return { tone: "info", text: "Every task is done; the Composer is writing the deliverable." };
    case "awaiting_revision":
      return { tone: "info", text: `Revision round ${room.current_round} is being written.` };
    default:
      return null;
  }
}
