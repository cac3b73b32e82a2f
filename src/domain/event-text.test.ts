import { describe, expect, it } from "vitest";
import { describeEvent, type EventContext } from "./event-text.js";

const context: EventContext = {
  tasks: [],
  agents: [],
  people: new Map([["usr_olive", "Olive"]]),
};
const created = (actor: string) =>
  describeEvent(
    { type: "workroom.created", actor, data: { inputs: [{ kind: "brief" }, { kind: "email" }] } },
    context,
  ).text;
const started = (actor: string) =>
  describeEvent(
    { type: "state.changed", actor, data: { from: "draft", to: "planning", reason: "start" } },
    context,
  ).text;

describe("a task's start, in words", () => {
  const start = (data: Record<string, unknown>) =>
    describeEvent(
      { type: "task.started", actor: "engine", data: { title: "Pricing", ...data } },
      context,
    ).text;
  it("names the run after a rejection re-ran the task, and the attempt after a crash", () => {
    expect(start({ attempt: 1, run: 0 })).toBe("Task 'Pricing' started");
    expect(start({ attempt: 1, run: 1 })).toBe("Task 'Pricing' started (run 2)");
    expect(start({ attempt: 2, run: 0 })).toBe("Task 'Pricing' started (attempt 2)");
  });
});

describe("who did it, in words", () => {
  it("names a person, and says when it was the CLI or an API key rather than 'someone'", () => {
    expect(created("usr_olive")).toBe("Olive created the workroom with 2 inputs");
    expect(created("cli")).toBe("The CLI created the workroom with 2 inputs");
    expect(created("key_0123456789abcdef")).toBe("An API key created the workroom with 2 inputs");
    expect(created("usr_gone")).toBe("Someone created the workroom with 2 inputs");
    expect(started("key_0123456789abcdef")).toBe("Draft → Planning by an API key: start");
    expect(started("usr_olive")).toBe("Draft → Planning by Olive: start");
  });
});

describe("a model call, in words", () => {
  const call = (data: Record<string, unknown>) =>
    describeEvent(
      {
        type: "model.call",
        actor: "engine",
        data: {
          purpose: "plan",
          model: "anthropic:claude-opus-4-1",
          input_tokens: 2_000,
          output_tokens: 900,
          latency_ms: 1_500,
          ...data,
        },
      },
      context,
    ).text;
  it("says what it was charged, and when the reported tokens came to more, that the charge stopped at the reservation", () => {
    expect(call({ credits: 10, uncapped_credits: 10, reserved_credits: 17 })).toBe(
      "Model call for the plan on anthropic:claude-opus-4-1: 2,000 tokens in, 900 out · 10 credits · 1.5 s",
    );
    expect(call({ credits: 17, uncapped_credits: 148_000, reserved_credits: 17 })).toBe(
      "Model call for the plan on anthropic:claude-opus-4-1: 2,000 tokens in, 900 out · 17 credits (the reported tokens come to 148,000 credits; a call is charged at most what was reserved for it) · 1.5 s",
    );
  });
});

describe("a model call whose answer was cut off at its output limit, in words", () => {
  it("says so, and that the answer was not used", () => {
    const text = describeEvent(
      {
        type: "model.call",
        actor: "engine",
        data: {
          purpose: "task",
          model: "openai:gpt-4.1-mini",
          input_tokens: 900,
          output_tokens: 1_500,
          latency_ms: 2_000,
          credits: 1,
          uncapped_credits: 1,
          cut_off_at: 1_500,
        },
      },
      context,
    ).text;
    expect(text).toMatch(
      /900 tokens in, 1,500 out · cut off at its 1,500-token output limit, not used · 1 credit/,
    );
  });
});

describe("a refused reservation, in words", () => {
  const refused = (data: Record<string, unknown>) =>
    describeEvent(
      { type: "budget.reservation_refused", actor: "engine", data: { needed: 17, ...data } },
      {
        ...context,
        tasks: [{ id: "tsk_1", ordinal: 1, title: "Pricing", credits: 0 }],
      },
    ).text;
  it("names the step whose call it was: the plan's, the Composer's or a task's", () => {
    const paused = "needs up to 17 credits; the room paused instead of spending";
    expect(refused({ task_id: null, kind: "plan" })).toBe(
      `The next model call for the plan ${paused}`,
    );
    expect(refused({ task_id: null, kind: "compose" })).toBe(
      `The next model call for the deliverable ${paused}`,
    );
    expect(refused({ task_id: "tsk_1", kind: "task" })).toBe(
      `The next model call for task 'Pricing' ${paused}`,
    );
    expect(refused({ task_id: null })).toBe(`The next model call ${paused}`);
  });
});

describe("a provider's rate limit, in words", () => {
  it("names the model and the step, and how long the provider asks to wait", () => {
    const d = describeEvent(
      {
        type: "model.rate_limited",
        actor: "engine",
        data: {
          task_id: null,
          kind: "plan",
          model: "anthropic:claude-opus-4-1",
          wait_ms: 300_000,
          error: "HTTP 429: Rate limited (the provider asks to wait 300 s)",
        },
      },
      context,
    );
    expect(d).toEqual({
      kind: "model",
      text: "The provider of anthropic:claude-opus-4-1 rate-limited the call for the plan and asks to wait 300 s",
      detail: "HTTP 429: Rate limited (the provider asks to wait 300 s)",
    });
  });
});
