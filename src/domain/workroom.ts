// The workroom lifecycle of SPEC 2.1 as a pure reducer: (room, command) → { room, events, effects }
// or a DomainError saying why the command is refused. The engine carries out the effects.
import { DomainError, assertNever, err, ok, type Result } from "./errors.js";
import { utcTime } from "./format.js";

export const WORKROOM_STATES = [
  "draft", // being set up; nothing runs, no credits spent
  "planning", // the Planner is writing (or rewriting) the plan
  "executing", // plan tasks run in dependency order
  "composing", // the Composer writes the deliverable
  "completed", // a finished draft exists (terminal for the run; revisions start from here)
  "awaiting_revision", // a revision round is in flight
  "paused", // nothing new starts; `paused_from` says where resume returns to
  "failed", // a step failed after its retries; only replan leaves it
  "cancelled", // stopped for good
] as const;
export type WorkroomState = (typeof WORKROOM_STATES)[number];

/** A state in words, as people read it (the web app's badges, the CLI, the history in words). */
export const STATE_LABELS: Record<WorkroomState, string> = {
  draft: "Draft",
  planning: "Planning",
  executing: "Working",
  composing: "Composing",
  completed: "Completed",
  awaiting_revision: "Revising",
  paused: "Paused",
  failed: "Failed",
  cancelled: "Cancelled",
};

/** States in which the run can still do work; `cancel` is allowed from these. */
export const ACTIVE_STATES = ["draft", "planning", "executing", "composing", "paused"] as const;
/** States in which model work runs: the only ones `pause` and `fail` apply to. */
export const RUNNING_STATES = ["planning", "executing", "composing"] as const;
export type RunningState = (typeof RUNNING_STATES)[number];

export const PAUSE_REASONS = [
  "user", // a person pressed pause
  "plan_review", // review_plan: a person reads the plan before credits are spent
  "budget", // the next call's reservation would cross the room's max_credits
  "insufficient_credits", // the next call's reservation would cross the workspace balance
  "rate_limited", // the provider asked to wait longer than a call waits (a long Retry-After)
] as const;
export type PauseReason = (typeof PAUSE_REASONS)[number];

export const isRunningState = (s: WorkroomState): s is RunningState =>
  (RUNNING_STATES as readonly string[]).includes(s);
export const isActiveState = (s: WorkroomState): boolean =>
  (ACTIVE_STATES as readonly string[]).includes(s);
/** A room in one of these states has no step to run and none will be scheduled. */
export const isRestingState = (s: WorkroomState): boolean =>
  s === "draft" || s === "completed" || s === "failed" || s === "cancelled" || s === "paused";

/**
 * Whether a room's credit cap may change. A cancelled room never spends again, so a new cap would
 * only rewrite its record; a completed room keeps its cap for revisions.
 */
export function checkCapChange(state: WorkroomState): Result<null> {
  return state === "cancelled"
    ? err(
        "illegal_transition",
        "The workroom is cancelled, so its credit cap can no longer change; create a new workroom to continue the work.",
      )
    : ok(null);
}

/** The lifecycle part of a workroom; the rest of the room is data the reducer does not need. */
export interface Lifecycle {
  state: WorkroomState;
  /** Where `resume` returns to; set only while paused. */
  pausedFrom: RunningState | null;
  pauseReason: PauseReason | null;
  /** When the room resumes by itself (ms since the epoch): set only while it is paused for a
   *  provider's rate limit, to the end of the provider's wait. A person's pause, a pause on
   *  credits and a plan review never resume by themselves. */
  resumeAt: number | null;
  failureReason: string | null;
  /** Incremented by every replan; steps of an older generation are dropped at commit. */
  generation: number;
  /** The round last started: the one being written while a revision is in flight, else the last
   *  finished one or, after a failed round, that round (a round's number is never used twice). */
  currentRound: number;
  /** The round of the latest finished draft. */
  finalRound: number;
  revisionInFlight: boolean;
}

export const newLifecycle = (): Lifecycle => ({
  state: "draft",
  pausedFrom: null,
  pauseReason: null,
  resumeAt: null,
  failureReason: null,
  generation: 0,
  currentRound: 0,
  finalRound: 0,
  revisionInFlight: false,
});

/** Commands people may send (through the API, CLI or web app). */
export type UserCommand =
  | { type: "start" }
  | { type: "pause" }
  | { type: "resume" }
  | { type: "replan" }
  | { type: "cancel" }
  | { type: "request_revision" };

/** Commands the engine sends as work finishes. */
export type InternalCommand =
  | { type: "plan_accepted"; reviewPlan: boolean }
  | { type: "tasks_done" }
  | { type: "composed" }
  | { type: "revision_completed" }
  | { type: "revision_failed"; reason: string }
  | { type: "budget_exhausted"; reason: "budget" | "insufficient_credits" }
  /** The provider asks to wait `waitMs`, until `until` (ms since the epoch). */
  | { type: "rate_limited"; waitMs: number; until: number }
  /** The provider's wait is over (`at`, ms since the epoch, is now): the engine resumes a room
   *  that a rate limit paused, and no other. */
  | { type: "resume"; after: "rate_limit"; at: number }
  | { type: "fail"; reason: string };

export type Command = UserCommand | InternalCommand;
export type CommandType = Command["type"];
export const USER_COMMANDS = [
  "start",
  "pause",
  "resume",
  "replan",
  "cancel",
  "request_revision",
] as const;

/** What the engine must do after a transition is stored. */
export type Effect =
  | { type: "schedule_plan" } // enqueue a plan step for the room's (new) generation
  | { type: "schedule_ready" } // enqueue every task step whose dependencies are met
  | { type: "abort_running" } // abort model calls in flight and drop their steps
  // mark the plan's tasks that did not succeed discarded (a cancel leaves failed ones failed)
  | { type: "discard_unfinished"; keepFailed: boolean }
  | { type: "schedule_revision" }; // enqueue the revision step of the new round

export interface StateChanged {
  type: "state.changed";
  from: WorkroomState;
  to: WorkroomState;
  command: CommandType;
  reason: string;
}

export interface Transition {
  room: Lifecycle;
  events: StateChanged[];
  effects: Effect[];
}

/** How a refused command reads in an error message. */
const VERB: Record<CommandType, string> = {
  start: "start",
  pause: "pause",
  resume: "resume",
  replan: "replan",
  cancel: "cancel",
  request_revision: "request a revision of",
  plan_accepted: "accept a plan for",
  tasks_done: "finish the tasks of",
  composed: "complete",
  revision_completed: "complete a revision of",
  revision_failed: "fail a revision of",
  budget_exhausted: "pause for budget",
  rate_limited: "pause for a provider's rate limit",
  fail: "fail",
};

const refuse = (room: Lifecycle, command: Command, why: string): Result<Transition> =>
  err(
    "illegal_transition",
    `Cannot ${VERB[command.type]} a workroom that is ${describe(room)}: ${why}`,
  );

function describe(room: Lifecycle): string {
  if (room.state === "paused") return `paused (${room.pauseReason ?? "user"})`;
  if (room.state === "completed" && room.revisionInFlight)
    return "completed with a revision in flight";
  return room.state.replace(/_/g, " ");
}

function move(
  room: Lifecycle,
  next: Partial<Lifecycle> & { state: WorkroomState },
  command: Command,
  reason: string,
  effects: Effect[] = [],
): Result<Transition> {
  const moved: Lifecycle = { ...room, ...next };
  return ok({
    room: moved,
    events: [
      { type: "state.changed", from: room.state, to: moved.state, command: command.type, reason },
    ],
    effects,
  });
}

const clearPause = { pausedFrom: null, pauseReason: null, resumeAt: null } as const;

/** A wait in the largest unit that keeps it readable, rounded up: "45 s", "5 min", "3 h". */
function waitInWords(ms: number): string {
  const s = Math.ceil(ms / 1000);
  if (s < 120) return `${s} s`;
  const min = Math.ceil(s / 60);
  return min < 120 ? `${min} min` : `${Math.ceil(min / 60)} h`;
}

/** The one transition function of the workroom lifecycle. */
export function transition(room: Lifecycle, command: Command): Result<Transition> {
  const s = room.state;
  switch (command.type) {
    case "start":
      if (s !== "draft") return refuse(room, command, "only a draft can be started");
      return move(
        room,
        { state: "planning" },
        command,
        "Started; the Planner is writing the plan",
        [{ type: "schedule_plan" }],
      );

    case "plan_accepted":
      if (s === "planning") {
        if (command.reviewPlan)
          return move(
            room,
            { state: "paused", pausedFrom: "executing", pauseReason: "plan_review" },
            command,
            "Plan ready for review; resume to run it",
          );
        return move(room, { state: "executing" }, command, "Plan accepted; running tasks", [
          { type: "schedule_ready" },
        ]);
      }
      if (s === "paused" && room.pausedFrom === "planning")
        return move(
          room,
          { state: "paused", pausedFrom: "executing" },
          command,
          "Plan accepted while paused; resume runs it",
        );
      return refuse(room, command, "no plan was being written");

    case "tasks_done":
      if (s === "executing")
        return move(
          room,
          { state: "composing" },
          command,
          "All tasks done; the Composer is writing",
          [{ type: "schedule_ready" }],
        );
      if (s === "paused" && room.pausedFrom === "executing")
        return move(
          room,
          { state: "paused", pausedFrom: "composing" },
          command,
          "All tasks done while paused",
        );
      return refuse(room, command, "tasks are not being executed");

    case "composed":
      // Composition finishing while paused still completes the room: nothing is left to hold back.
      if (s === "composing" || (s === "paused" && room.pausedFrom === "composing"))
        return move(
          room,
          { state: "completed", ...clearPause, currentRound: 1, finalRound: 1 },
          command,
          "Deliverable composed (round 1)",
        );
      return refuse(room, command, "nothing was being composed");

    case "pause":
      if (!isRunningState(s))
        return refuse(room, command, "only a planning, executing or composing room can pause");
      return move(
        room,
        { state: "paused", pausedFrom: s, pauseReason: "user", resumeAt: null },
        command,
        "Paused by a person; running work finishes, nothing new starts",
      );

    case "budget_exhausted":
      if (!isRunningState(s))
        return refuse(room, command, "only running work can exhaust a budget");
      return move(
        room,
        { state: "paused", pausedFrom: s, pauseReason: command.reason, resumeAt: null },
        command,
        command.reason === "budget"
          ? "Paused: the next model call would cross the room's credit cap; raise max_credits and resume"
          : "Paused: the workspace has too few credits for the next model call; top up and resume",
      );

    case "rate_limited":
      // Another call of a room already paused for a rate limit: the room waits for the later time.
      if (s === "paused" && room.pauseReason === "rate_limited" && room.pausedFrom !== null) {
        if (room.resumeAt !== null && command.until <= room.resumeAt)
          return refuse(room, command, "it resumes by itself no sooner than this wait ends");
        return move(
          room,
          { state: "paused", resumeAt: command.until },
          command,
          `Still paused: the model provider rate-limited another call and asks to wait ${waitInWords(command.waitMs)}; resumes by itself at ${utcTime(command.until)}`,
        );
      }
      if (!isRunningState(s)) return refuse(room, command, "only running work can be rate-limited");
      return move(
        room,
        { state: "paused", pausedFrom: s, pauseReason: "rate_limited", resumeAt: command.until },
        command,
        `Paused: the model provider rate-limited this room and asks to wait ${waitInWords(command.waitMs)}; resumes by itself at ${utcTime(command.until)} (resumed sooner, the call still waits until then)`,
      );

    case "resume": {
      if (s !== "paused" || room.pausedFrom === null)
        return refuse(room, command, "only a paused room can resume");
      const waitOver = "after" in command;
      if (waitOver) {
        if (room.pauseReason !== "rate_limited" || room.resumeAt === null)
          return refuse(
            room,
            command,
            "only a room paused for a provider's rate limit resumes by itself",
          );
        if (room.resumeAt > command.at)
          return refuse(room, command, "the provider's wait is not over yet");
      }
      return move(
        room,
        { state: room.pausedFrom, ...clearPause },
        command,
        waitOver
          ? `Resumed ${room.pausedFrom} by itself: the model provider's wait is over`
          : `Resumed ${room.pausedFrom}`,
        [room.pausedFrom === "planning" ? { type: "schedule_plan" } : { type: "schedule_ready" }],
      );
    }

    case "replan":
      if (s !== "failed" && s !== "paused" && s !== "planning" && s !== "executing")
        return refuse(
          room,
          command,
          "only a failed, paused, planning or executing room can be replanned",
        );
      return move(
        room,
        { state: "planning", ...clearPause, failureReason: null, generation: room.generation + 1 },
        command,
        "Replanning: unfinished tasks discarded, completed work kept as context",
        [
          { type: "abort_running" },
          { type: "discard_unfinished", keepFailed: false },
          { type: "schedule_plan" },
        ],
      );

    case "cancel":
      if (!isActiveState(s))
        return refuse(room, command, "a finished, failed or cancelled room cannot be cancelled");
      return move(
        room,
        { state: "cancelled", ...clearPause },
        command,
        "Cancelled; nothing runs any more",
        [{ type: "abort_running" }, { type: "discard_unfinished", keepFailed: true }],
      );

    case "fail":
      if (!isRunningState(s)) return refuse(room, command, "only running work can fail");
      return move(
        room,
        { state: "failed", failureReason: command.reason },
        command,
        command.reason,
      );

    case "request_revision":
      if (s === "awaiting_revision")
        return refuse(room, command, "a revision is already in flight; wait for it to finish");
      if (s !== "completed") return refuse(room, command, "revisions start from a completed room");
      if (room.revisionInFlight) return refuse(room, command, "a revision is already in flight");
      return move(
        room,
        { state: "awaiting_revision", revisionInFlight: true, currentRound: room.currentRound + 1 },
        command,
        `Revision round ${room.currentRound + 1} requested`,
        [{ type: "schedule_revision" }],
      );

    case "revision_completed":
      if (s !== "awaiting_revision") return refuse(room, command, "no revision is in flight");
      return move(
        room,
        { state: "completed", revisionInFlight: false, finalRound: room.currentRound },
        command,
        `Revision round ${room.currentRound} completed`,
      );

    case "revision_failed":
      if (s !== "awaiting_revision") return refuse(room, command, "no revision is in flight");
      return move(
        room,
        // The failed round keeps its number (its request, charge and refund are on record): the
        // next round is numbered after it.
        { state: "completed", revisionInFlight: false },
        command,
        `Revision round ${room.currentRound} failed (${command.reason}); round ${room.finalRound} stays current`,
      );

    default:
      return assertNever(command, "command");
  }
}

/** Like `transition`, but throws the DomainError; for engine code where refusal means a bug or a race. */
export function mustTransition(room: Lifecycle, command: Command): Transition {
  const result = transition(room, command);
  if (!result.ok) throw result.error;
  return result.value;
}

export { DomainError };
