// The provider adapters over real HTTP against the fake OpenAI and Anthropic servers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  startFakeProvider,
  type FakeProvider,
  type Fault,
  type ReceivedRequest,
} from "../../test/fakes/provider-server.js";
import {
  CallAbortedError,
  InvalidOutputError,
  OutputCutOffError,
  ProviderError,
  RateLimitedError,
} from "./errors.js";
import type { CallRecord, ModelRequest, RetryRecord } from "./gateway.js";
import { createModelGateway } from "./router.js";
import type { ModelConfig } from "./config.js";

const REPLY = {
  text: "Hello from the fake provider.",
  inputTokens: 123,
  outputTokens: 45,
  cachedTokens: 20,
};

interface Case {
  name: string;
  kind: "openai" | "anthropic";
  model: string;
  config: (url: string) => ModelConfig;
}

const CASES: Case[] = [
  {
    name: "OpenAI",
    kind: "openai",
    model: "openai:gpt-4.1-mini",
    config: (url) => ({ openai: { apiKey: "sk-test", baseURL: url } }),
  },
  {
    name: "Anthropic",
    kind: "anthropic",
    model: "anthropic:claude-sonnet-4-5",
    config: (url) => ({ anthropic: { apiKey: "sk-ant-test", baseURL: url } }),
  },
  {
    name: "OpenAI-compatible (Ollama)",
    kind: "openai",
    model: "ollama:qwen2.5:7b",
    config: (url) => ({ openaiCompatible: { baseURL: url } }),
  },
];

describe.each(CASES)("the $name adapter", (c) => {
  let fake: FakeProvider;
  let reply = REPLY;
  const delays: number[] = [];
  const gateway = () =>
    createModelGateway({
      config: {
        ...c.config(fake.url),
        timeoutMs: 300,
        retry: {
          maxRetries: 3,
          baseDelayMs: 10,
          maxDelayMs: 5_000,
          sleep: async (ms) => void delays.push(ms),
          random: () => 0.5,
        },
      },
    });
  const request = (
    over: Partial<ModelRequest> = {},
  ): { req: ModelRequest; calls: CallRecord[]; retries: RetryRecord[] } => {
    const calls: CallRecord[] = [];
    const retries: RetryRecord[] = [];
    return {
      calls,
      retries,
      req: {
        model: c.model,
        system: "You are terse.",
        messages: [{ role: "user", content: "Say hello." }],
        maxOutputTokens: 200,
        purpose: "task",
        onCall: (r) => calls.push(r),
        onRetry: (r) => retries.push(r),
        ...over,
      },
    };
  };

  beforeAll(async () => {
    fake = await startFakeProvider(c.kind, () => reply);
  });
  afterAll(() => fake.close());

  it("returns text and meters exactly the tokens the provider reported", async () => {
    const { req, calls } = request();
    expect((await gateway().generateText(req)).text).toBe(REPLY.text);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.usage).toEqual({ inputTokens: 123, outputTokens: 45, cachedInputTokens: 20 });
  });

  it("meters its own estimate for a token count the provider garbles", async () => {
    reply = { ...REPLY, inputTokens: -5, outputTokens: 4.5 };
    try {
      const { req, calls } = request();
      expect((await gateway().generateText(req)).text).toBe(REPLY.text);
      const usage = calls[0]!.usage;
      // "You are terse." and "Say hello." with the chat template's allowance; 29 characters out.
      expect(usage.inputTokens).toBeGreaterThan(5);
      expect(usage.outputTokens).toBe(Math.ceil(REPLY.text.length / 3.5));
      expect(usage.cachedInputTokens).toBeLessThanOrEqual(usage.inputTokens);
    } finally {
      reply = REPLY;
    }
  });

  it("streams text in pieces", async () => {
    const { req, calls } = request();
    const pieces: string[] = [];
    expect((await gateway().streamText(req, (d) => pieces.push(d))).text).toBe(REPLY.text);
    expect(pieces.length).toBeGreaterThan(1);
    expect(calls[0]!.usage.outputTokens).toBe(45);
  });

  it.each<[Fault, boolean]>([
    ["429", false],
    ["500", false],
    ["503", false],
    ["hang", false],
    ["reset", false],
    ["garbage", false],
    ["cut", false],
    ["cut", true],
  ])("retries a %s and records the retry", async (f, stream) => {
    delays.length = 0;
    fake.faults.push(f);
    const before = fake.requests.length;
    const { req, calls, retries } = request();
    const g = gateway();
    const text = stream
      ? (await g.streamText(req, () => {})).text
      : (await g.generateText(req)).text;
    expect(text).toBe(REPLY.text);
    expect(fake.requests.length - before).toBe(2);
    expect(retries).toEqual([
      { model: c.model, attempt: 1, delayMs: delays[0], error: expect.any(String) },
    ]);
    // Only the try that answered is metered, with what the provider reported.
    expect(calls).toEqual([expect.objectContaining({ attempt: 1, outcome: "ok" })]);
    expect(calls[0]!.usage.outputTokens).toBe(45);
  });

  it("waits what Retry-After asks, in seconds or as an HTTP date", async () => {
    delays.length = 0;
    fake.faults.push("429", "429-date");
    const { req, retries } = request();
    await gateway().generateText(req);
    expect(retries.map((r) => r.error)).toEqual([
      expect.stringMatching(/429.*Rate limited/),
      expect.stringMatching(/429.*Rate limited/),
    ]);
    expect(delays[0]).toBe(1_000); // the jitter alone would be at most 5 ms
    expect(delays[1]).toBeGreaterThanOrEqual(900); // 2 s ahead, HTTP dates round to the second
    expect(delays[1]).toBeLessThanOrEqual(2_000);
  });

  it("does not sit out a Retry-After longer than allowed, and says when to try again", async () => {
    fake.faults.push("429");
    const { req, retries } = request();
    const g = createModelGateway({
      config: {
        ...c.config(fake.url),
        retry: { maxRetries: 3, baseDelayMs: 10, maxDelayMs: 100, maxRetryAfterMs: 500 },
      },
    });
    const failure = await g.generateText(req).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RateLimitedError);
    expect(failure).toMatchObject({ model: c.model, waitMs: 1_000, status: 429 });
    expect((failure as Error).message).toMatch(/Rate limited.*asks to wait 1 s\)$/);
    expect(retries).toEqual([]);
  });

  it("does not retry a refused key, and says so", async () => {
    fake.faults.push("401");
    const before = fake.requests.length;
    const { req, retries } = request();
    const failure = await gateway()
      .generateText(req)
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ProviderError);
    expect((failure as ProviderError).status).toBe(401);
    expect((failure as Error).message).toMatch(/Invalid API key/);
    expect(retries).toEqual([]);
    expect(fake.requests.length - before).toBe(1);
  });

  it("restarts the streamed text after a stream cut mid-way, so nothing shows twice", async () => {
    fake.faults.push("cut");
    const { req, retries } = request();
    let shown = "";
    const { text } = await gateway().streamText(req, (delta, { restart }) => {
      shown = (restart ? "" : shown) + delta;
    });
    expect(retries).toHaveLength(1);
    expect(text).toBe(REPLY.text);
    expect(shown).toBe(REPLY.text);
  });

  it("stops a stream when the caller aborts, without retrying", async () => {
    fake.faults.push("hang");
    const abort = new AbortController();
    const { req, retries } = request({ signal: abort.signal, timeoutMs: 5_000 });
    setTimeout(() => abort.abort(), 30);
    await expect(gateway().streamText(req, () => {})).rejects.toBeInstanceOf(CallAbortedError);
    expect(retries).toEqual([]);
  });

  it("gives up after the retry limit with the provider's message", async () => {
    fake.faults.push("500", "500", "500", "500");
    const { req, retries } = request();
    const failure = await gateway()
      .generateText(req)
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ProviderError);
    expect((failure as Error).message).toMatch(/Upstream overloaded/);
    expect((failure as Error).message).toContain("gave up after 4 tries");
    expect(retries).toHaveLength(3);
  });

  it("re-asks invalid structured output with the validation errors", async () => {
    fake.replies.push(
      { ...REPLY, text: '{"title": 42}' },
      { ...REPLY, text: 'Sure! ```json\n{"title": "Fixed"}\n```' },
    );
    const before = fake.requests.length;
    const { req, calls } = request();
    const { object } = await gateway().generateObject(
      req,
      z.object({ title: z.string() }),
      "heading",
    );
    expect(object).toEqual({ title: "Fixed" });
    expect(calls.map((r) => [r.attempt, r.outcome])).toEqual([
      [1, "invalid_output"],
      [2, "ok"],
    ]);
    expect(fake.requests[before]!.text).toContain('"title"'); // the schema was in the prompt
    expect(fake.requests[before + 1]!.text).toMatch(/does not match the schema:\ntitle: .*string/);
  });

  it("gives up after 2 re-asks with InvalidOutputError listing the problems", async () => {
    fake.replies.push(
      { ...REPLY, text: "not json at all" },
      { ...REPLY, text: '{"title": 1}' },
      { ...REPLY, text: '{"title": 2}' },
    );
    const before = fake.requests.length;
    const { req, calls } = request();
    const failure = await gateway()
      .generateObject(req, z.object({ title: z.string() }), "heading")
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(InvalidOutputError);
    expect((failure as InvalidOutputError).issues).toEqual([expect.stringMatching(/^title: /)]);
    expect(fake.requests.length - before).toBe(3);
    expect(calls.map((r) => r.outcome)).toEqual([
      "invalid_output",
      "invalid_output",
      "invalid_output",
    ]);
  });

  describe("an answer cut off at its output limit", () => {
    const CUT = { ...REPLY, text: "A truncated sect", outputTokens: 200, cutAtLimit: true };
    const limitOf = (r: ReceivedRequest) => r.body.max_tokens ?? r.body.max_completion_tokens;
    const ask = async (stream: boolean, req: ModelRequest) => {
      let shown = "";
      const g = gateway();
      const { text } = stream
        ? await g.streamText(req, (d, { restart }) => void (shown = (restart ? "" : shown) + d))
        : await g.generateText(req);
      return { text, shown };
    };

    it.each([false, true])(
      "is asked again with twice the allowance, reserved and metered like any call (streamed: %s)",
      async (stream) => {
        fake.replies.push(CUT);
        const before = fake.requests.length;
        const reserved: number[] = [];
        const { req, calls } = request({
          beforeCall: async (w) => void reserved.push(w.maxOutputTokens),
        });
        const { text, shown } = await ask(stream, req);
        expect(text).toBe(REPLY.text);
        if (stream) expect(shown).toBe(REPLY.text); // the cut-off text was dropped from view
        expect(fake.requests.slice(before).map(limitOf)).toEqual([200, 400]);
        expect(reserved).toEqual([200, 400]);
        // The cut-off answer was spent: it is metered with what the provider reported.
        expect(calls.map((r) => [r.attempt, r.outcome, r.usage.outputTokens])).toEqual([
          [1, "cut_off", 200],
          [2, "ok", 45],
        ]);
      },
    );

    it.each([false, true])(
      "fails saying where it was cut off when the larger allowance is cut off too (streamed: %s)",
      async (stream) => {
        fake.replies.push(CUT, { ...CUT, outputTokens: 400 });
        const { req, calls } = request();
        const failure = await ask(stream, req).catch((e: unknown) => e);
        expect(failure).toBeInstanceOf(OutputCutOffError);
        expect((failure as Error).message).toMatch(/answer was cut off at 400 tokens/);
        expect(calls.map((r) => [r.outcome, r.usage.outputTokens])).toEqual([
          ["cut_off", 200],
          ["cut_off", 400],
        ]);
      },
    );

    it("fails saying so when the provider refuses the larger allowance", async () => {
      fake.replies.push(CUT);
      const second = fake.requests.length + 2;
      fake.chooseFault = (n) => (n === second ? "400" : undefined);
      const { req, retries } = request();
      const failure = await gateway()
        .generateText(req)
        .catch((e: unknown) => e)
        .finally(() => delete fake.chooseFault);
      expect(failure).toBeInstanceOf(OutputCutOffError);
      expect((failure as Error).message).toMatch(/cut off at 200 tokens.*refused.*400/);
      expect(retries).toEqual([]);
    });

    it("is asked again with a larger allowance for structured output, without using up a re-ask", async () => {
      fake.replies.push(
        { ...CUT, text: '{"title": "Fi' },
        { ...REPLY, text: '{"title": 1}' },
        { ...REPLY, text: '{"title": 2}' },
        { ...REPLY, text: '{"title": "Fixed"}' },
      );
      const before = fake.requests.length;
      const { req, calls } = request();
      const { object } = await gateway().generateObject(
        req,
        z.object({ title: z.string() }),
        "heading",
      );
      expect(object).toEqual({ title: "Fixed" });
      expect(calls.map((r) => [r.attempt, r.outcome])).toEqual([
        [1, "cut_off"],
        [2, "invalid_output"],
        [3, "invalid_output"],
        [4, "ok"],
      ]);
      // The re-asks keep the larger allowance.
      expect(fake.requests.slice(before).map(limitOf)).toEqual([200, 400, 400, 400]);
    });

    it("is never taken as structured output, even when what arrived parses", async () => {
      fake.replies.push(
        { ...CUT, text: '{"title": "Half"}' },
        { ...CUT, text: '{"title": "Half again"}' },
      );
      const { req } = request();
      const failure = await gateway()
        .generateObject(req, z.object({ title: z.string() }), "heading")
        .catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(OutputCutOffError);
    });
  });

  it("never calls the provider when the reservation refuses, and passes its error on unchanged", async () => {
    const before = fake.requests.length;
    class OverBudget extends Error {}
    const refusal = new OverBudget("over budget");
    const { req, calls } = request({ beforeCall: async () => Promise.reject(refusal) });
    await expect(gateway().generateText(req)).rejects.toBe(refusal);
    expect(fake.requests.length).toBe(before);
    expect(calls).toEqual([]);
  });

  it("reserves before every try, retries included, with the counted prompt and the output cap", async () => {
    fake.faults.push("503");
    const seen: { promptTokens: number; maxOutputTokens: number }[] = [];
    const { req } = request({
      beforeCall: async (w) => void seen.push(w),
      maxOutputTokens: 321,
    });
    await gateway().generateText(req);
    const promptTokens = gateway().countTokens(req);
    expect(promptTokens).toBeGreaterThan(0);
    expect(seen).toEqual([
      { promptTokens, maxOutputTokens: 321, model: c.model },
      { promptTokens, maxOutputTokens: 321, model: c.model },
    ]);
  });

  it("stops on abort while the provider hangs, without retrying", async () => {
    fake.faults.push("hang");
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 50);
    const { req, retries } = request({ signal: abort.signal, timeoutMs: 5_000 });
    await expect(gateway().generateText(req)).rejects.toBeInstanceOf(CallAbortedError);
    expect(retries).toEqual([]);
  });
});
