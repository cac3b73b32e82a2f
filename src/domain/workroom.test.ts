import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  USER_COMMANDS,
  WORKROOM_STATES,
  newLifecycle,
  transition,
  type Command,
  type Lifecycle,
  type WorkroomState,
} from "./workroom.js";

const userCommand = (type: (typeof USER_COMMANDS)[number]): Command => ({ type }) as Command;

/** A lifecycle in a given state, with the fields that state implies. */
function inState(state: WorkroomState): Lifecycle {
  const base = newLifecycle();
  switch (state) {
    case "paused":
      return { ...base, state, pausedFrom: "executing", pauseReason: "user" };
    case "failed":
      return { ...base, state, failureReason: "boom" };
    case "completed":
      return { ...base, state, currentRound: 1, finalRound: 1 };
    case "awaiting_revision":
      return { ...base, state, currentRound: 2, finalRound: 1, revisionInFlight: true };
    default:
      return { ...base, state };
  }
}

/** Which person-sent commands SPEC 2.1 allows in which state. */
const ALLOWED: Record<WorkroomState, readonly string[]> = {
  draft: ["start", "cancel"],
  planning: ["pause", "replan", "cancel"],
  executing: ["pause", "replan", "cancel"],
  composing: ["pause", "cancel"],
  completed: ["request_revision"],
  awaiting_revision: [],
  paused: ["resume", "replan", "cancel"],
  failed: ["replan"],
  cancelled: [],
};

describe("the workroom lifecycle", () => {
  for (const state of WORKROOM_STATES)
    for (const cmd of USER_COMMANDS) {
      const allowed = ALLOWED[state].includes(cmd);
      it(`${allowed ? "allows" : "refuses"} ${cmd} when ${state}`, () => {
        const before = inState(state);
        const snapshot = structuredClone(before);
        const result = transition(before, userCommand(cmd));
        expect(result.ok).toBe(allowed);
        if (!result.ok) {
          expect(result.error.code).toBe("illegal_transition");
          expect(result.error.message).toMatch(/^Cannot [a-z ]+ a workroom that is [a-z ()_]+: .+/);
        }
        expect(before).toEqual(snapshot);
      });
    }

  it("refuses a revision while one is in flight", () => {
    const room = { ...inState("completed"), revisionInFlight: true };
    const r = transition(room, { type: "request_revision" });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.message).toContain("already in flight");
  });

  it("returns resume to where the room paused", () => {
    for (const from of ["planning", "executing", "composing"] as const) {
      const paused = transition(inState(from), { type: "pause" });
      expect(paused.ok && paused.value.room.state).toBe("paused");
      const resumed = paused.ok && transition(paused.value.room, { type: "resume" });
      expect(resumed && resumed.ok && resumed.value.room.state).toBe(from);
    }
  });

  it("stops after planning for review when review_plan is set", () => {
    const r = transition(inState("planning"), { type: "plan_accepted", reviewPlan: true });
    expect(r.ok && r.value.room).toMatchObject({
      state: "paused",
      pauseReason: "plan_review",
      pausedFrom: "executing",
    });
  });

  it("keeps the previous draft current when a revision fails, and numbers the next round after it", () => {
    const r = transition(inState("awaiting_revision"), {
      type: "revision_failed",
      reason: "model down",
    });
    expect(r.ok && r.value.room).toMatchObject({
      state: "completed",
      currentRound: 2,
      finalRound: 1,
      revisionInFlight: false,
    });
    const next = r.ok && transition(r.value.room, { type: "request_revision" });
    expect(next && next.ok && next.value.room).toMatchObject({
      state: "awaiting_revision",
      currentRound: 3,
      finalRound: 1,
    });
  });

  it("replan bumps the plan generation and asks for abort, discard and a new plan", () => {
    const r = transition(inState("executing"), { type: "replan" });
    expect(r.ok && r.value.room.generation).toBe(1);
    expect(r.ok && r.value.effects.map((e) => e.type)).toEqual([
      "abort_running",
      "discard_unfinished",
      "schedule_plan",
    ]);
  });

  const anyCommand: fc.Arbitrary<Command> = fc.oneof(
    fc.constantFrom(...USER_COMMANDS).map(userCommand),
    fc.constantFrom<Command>(
      { type: "plan_accepted", reviewPlan: false },
      { type: "plan_accepted", reviewPlan: true },
      { type: "tasks_done" },
      { type: "composed" },
      { type: "revision_completed" },
      { type: "revision_failed", reason: "x" },
      { type: "budget_exhausted", reason: "budget" },
      { type: "budget_exhausted", reason: "insufficient_credits" },
      { type: "rate_limited", waitMs: 300_000, until: 1_800_000_000_000 },
      { type: "rate_limited", waitMs: 600_000, until: 1_800_000_300_000 },
      { type: "resume", after: "rate_limit", at: 1_800_000_000_000 },
      { type: "resume", after: "rate_limit", at: 1_799_999_999_999 },
      { type: "fail", reason: "x" },
    ),
  );

  it("never reaches an undefined state under random command sequences", () => {
    fc.assert(
      fc.property(fc.array(anyCommand, { maxLength: 60 }), (commands) => {
        let room = newLifecycle();
        for (const c of commands) {
          const r = transition(room, c);
          if (r.ok) {
            expect(r.value.events[0]).toMatchObject({ from: room.state, to: r.value.room.state });
            room = r.value.room;
          }
          expect(WORKROOM_STATES).toContain(room.state);
          expect(room.state === "paused").toBe(
            room.pausedFrom !== null && room.pauseReason !== null,
          );
          expect(room.revisionInFlight).toBe(room.state === "awaiting_revision");
          expect(room.failureReason !== null).toBe(room.state === "failed");
          expect(room.currentRound).toBeGreaterThanOrEqual(room.finalRound);
          // Only a rate limit's pause resumes by itself, and it always says when.
          expect(room.resumeAt !== null).toBe(
            room.state === "paused" && room.pauseReason === "rate_limited",
          );
          if (room.state === "cancelled")
            expect(transition(room, { type: "resume" }).ok).toBe(false);
        }
      }),
      { numRuns: 2_000 },
    );
  });
});

describe("a provider's rate limit", () => {
  const at1405 = Date.parse("2026-03-02T14:04:30Z");
  const rateLimited = (): Lifecycle => {
    const r = transition(
      { ...newLifecycle(), state: "executing" },
      { type: "rate_limited", waitMs: 300_000, until: at1405 },
    );
    if (!r.ok) throw r.error;
    return r.value.room;
  };

  it("pauses running work until the provider's time, saying it resumes by itself then", () => {
    const r = transition(
      { ...newLifecycle(), state: "executing" },
      { type: "rate_limited", waitMs: 300_000, until: at1405 },
    );
    expect(r.ok && r.value.room).toMatchObject({
      state: "paused",
      pausedFrom: "executing",
      pauseReason: "rate_limited",
      resumeAt: at1405,
    });
    expect(r.ok && r.value.events[0]!.reason).toBe(
      "Paused: the model provider rate-limited this room and asks to wait 5 min; resumes by itself at 2026-03-02 14:04:30 UTC (resumed sooner, the call still waits until then)",
    );
  });

  it("resumes by itself once the wait is over, and not a moment sooner", () => {
    const room = rateLimited();
    const early = transition(room, { type: "resume", after: "rate_limit", at: at1405 - 1 });
    expect(early.ok).toBe(false);
    const r = transition(room, { type: "resume", after: "rate_limit", at: at1405 });
    expect(r.ok && r.value.room).toMatchObject({
      state: "executing",
      pauseReason: null,
      resumeAt: null,
    });
    expect(r.ok && r.value.events[0]).toMatchObject({
      from: "paused",
      to: "executing",
      command: "resume",
      reason: "Resumed executing by itself: the model provider's wait is over",
    });
    expect(r.ok && r.value.effects).toEqual([{ type: "schedule_ready" }]);
  });

  it("is resumed by a person sooner, and then no longer resumes by itself", () => {
    const r = transition(rateLimited(), { type: "resume" });
    expect(r.ok && r.value.room).toMatchObject({ state: "executing", resumeAt: null });
    expect(r.ok && r.value.events[0]!.reason).toBe("Resumed executing");
  });

  it("never resumes a room a person paused, or one paused on credits, by itself", () => {
    for (const pause of [
      { type: "pause" },
      { type: "budget_exhausted", reason: "budget" },
      { type: "budget_exhausted", reason: "insufficient_credits" },
    ] as const) {
      const paused = transition({ ...newLifecycle(), state: "executing" }, pause);
      if (!paused.ok) throw paused.error;
      expect(paused.value.room.resumeAt).toBeNull();
      const r = transition(paused.value.room, { type: "resume", after: "rate_limit", at: at1405 });
      expect(!r.ok && r.error.message).toMatch(
        /only a room paused for a provider's rate limit resumes by itself/,
      );
      // A call that was in flight and is rate-limited now leaves the pause as it is.
      expect(
        transition(paused.value.room, { type: "rate_limited", waitMs: 60_000, until: at1405 }).ok,
      ).toBe(false);
    }
  });

  it("waits for the later time when another call of the paused room is rate-limited", () => {
    const later = at1405 + 600_000;
    const r = transition(rateLimited(), { type: "rate_limited", waitMs: 900_000, until: later });
    expect(r.ok && r.value.room).toMatchObject({
      state: "paused",
      pausedFrom: "executing",
      pauseReason: "rate_limited",
      resumeAt: later,
    });
    expect(r.ok && r.value.events[0]!.reason).toBe(
      "Still paused: the model provider rate-limited another call and asks to wait 15 min; resumes by itself at 2026-03-02 14:14:30 UTC",
    );
    // A sooner time changes nothing.
    expect(
      transition(r.ok ? r.value.room : rateLimited(), {
        type: "rate_limited",
        waitMs: 1_000,
        until: at1405,
      }).ok,
    ).toBe(false);
  });

  it("forgets its time when the room is cancelled or replanned", () => {
    for (const type of ["cancel", "replan"] as const) {
      const r = transition(rateLimited(), { type });
      expect(r.ok && r.value.room.resumeAt).toBeNull();
    }
  });
});
