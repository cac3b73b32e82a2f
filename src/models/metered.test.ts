import { afterEach, describe, expect, it, vi } from "vitest";
import { ScriptedModel } from "./scripted.js";
import { SECTION_REQUEST as request } from "../../test/support/fixtures.js";

const respond = () => "The scope is the loyalty app's relaunch.";

describe("a model call's timeout", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("is cleared when the call ends, so a busy worker does not hold a timer per past call", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const model = new ScriptedModel({ respond, gateway: { timeoutMs: 120_000 } });
    for (let i = 0; i < 5; i++) await model.generateText(request);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("still fails a call that outlives it, as a retryable provider error", async () => {
    const model = new ScriptedModel({
      respond,
      latencyMs: 2_000,
      gateway: { timeoutMs: 50, retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 } },
    });
    const started = performance.now();
    await expect(model.generateText(request)).rejects.toThrow(/did not answer within 0.05 s/);
    expect(performance.now() - started).toBeLessThan(1_500);
  });

  it("passes the caller's abort on to the call and says it was aborted", async () => {
    const model = new ScriptedModel({ respond, latencyMs: 2_000 });
    const caller = new AbortController();
    setTimeout(() => caller.abort(new Error("room paused")), 20);
    await expect(model.generateText({ ...request, signal: caller.signal })).rejects.toMatchObject({
      name: "CallAbortedError",
    });
  });
});
