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
