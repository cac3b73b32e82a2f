// The provider adapters over real HTTP against the fake OpenAI and Anthropic servers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  startFakeProvider,
  type FakeProvider,
  type Fault,
} from "../../test/fakes/provider-server.js";
import { CallAbortedError, ProviderError } from "./errors.js";
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
    fake = await startFakeProvider(c.kind, () => REPLY);
  });
  afterAll(() => fake.close());

  it("returns text and meters exactly the tokens the provider reported", async () => {
    const { req, calls } = request();
    expect((await gateway().generateText(req)).text).toBe(REPLY.text);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.usage).toEqual({ inputTokens: 123, outputTokens: 45, cachedInputTokens: 20 });
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
    ["cut", true],
  ])("retries a %s and records the retry", async (f, stream) => {
    delays.length = 0;
    fake.faults.push(f);
    const { req, calls, retries } = request();
    const g = gateway();
    const text = stream
      ? (await g.streamText(req, () => {})).text
      : (await g.generateText(req)).text;
    expect(text).toBe(REPLY.text);
    expect(retries).toHaveLength(1);
    expect(calls).toHaveLength(1);
    if (f === "429") expect(delays[0]).toBeGreaterThanOrEqual(1_000); // Retry-After: 1
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
    const answers = ['{"title": 42}', '{"title": "Fixed"}'];
    fake.reply = () => ({ ...REPLY, text: answers.shift() ?? "{}" });
    const before = fake.requests.length;
    const { req, calls } = request();
    const { object } = await gateway().generateObject(
      req,
      z.object({ title: z.string() }),
      "heading",
    );
    expect(object).toEqual({ title: "Fixed" });
    expect(calls).toHaveLength(2);
    expect(fake.requests[before + 1]!.text).toContain("does not match the schema");
    fake.reply = () => REPLY;
  });

  it("never calls the provider when the reservation refuses, and stops on abort", async () => {
    const before = fake.requests.length;
    const { req } = request({ beforeCall: async () => Promise.reject(new Error("over budget")) });
    await expect(gateway().generateText(req)).rejects.toThrow("over budget");
    expect(fake.requests.length).toBe(before);
    fake.faults.push("hang");
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 50);
    await expect(
      gateway().generateText(request({ signal: abort.signal, timeoutMs: 5_000 }).req),
    ).rejects.toBeInstanceOf(CallAbortedError);
  });
});
