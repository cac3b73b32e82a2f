// The embedded model on a real GGUF file with random weights: loading, generation with real token
// counts, grammar-constrained JSON, abort, and the message when no model is there.
import { fileURLToPath } from "node:url";
import { dirname } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { toJSONSchema } from "zod";
import { PlanSchema, TASK_TYPES } from "../domain/plan.js";
import { CallAbortedError, ModelUnavailableError } from "./errors.js";
import type { CallRecord, ModelRequest } from "./gateway.js";
import { LocalBackend } from "./local.js";
import { createModelGateway } from "./router.js";

const GGUF = fileURLToPath(new URL("../../test/fixtures/tiny-random-llama.gguf", import.meta.url));
const local = new LocalBackend({ modelDir: dirname(GGUF), threads: 2, contextSize: 4096 });
const gateway = createModelGateway({ config: {}, local });
const model = `local:${GGUF}`;
afterAll(() => local.close());

const request = (over: Partial<ModelRequest> = {}, calls: CallRecord[] = []): ModelRequest => ({
  model,
  system: "You write short plans.",
  messages: [{ role: "user", content: "Plan a proposal for Aurora Coffee." }],
  maxOutputTokens: 64,
  temperature: 0.8,
  purpose: "task",
  onCall: (c) => calls.push(c),
  ...over,
});

describe("the embedded local model", () => {
  it("generates from a GGUF file in-process and counts tokens with the model's tokenizer", async () => {
    const calls: CallRecord[] = [];
    const result = await gateway.generateText(request({}, calls));
    expect(typeof result.text).toBe("string");
    expect(calls).toHaveLength(1);
    expect(calls[0]!.usage.inputTokens).toBe(gateway.countTokens(request()));
    expect(calls[0]!.usage.inputTokens).toBeGreaterThan(5);
    expect(gateway.isLocal(model)).toBe(true);
  }, 60_000);

  it("answers in plan-shaped JSON, constrained by a grammar built from the plan's JSON schema", async () => {
    const jsonSchema = toJSONSchema(PlanSchema, { io: "input" }) as Record<string, unknown>;
    const started = performance.now();
    const { text, usage } = await local.complete(
      request({ maxOutputTokens: 3_000, purpose: "plan", jsonSchema }),
      new AbortController().signal,
    );
    const seconds = (performance.now() - started) / 1000;
    const plan = JSON.parse(text) as {
      tasks: { ordinal: unknown; title: unknown; type: unknown }[];
    };
    // Random weights cannot respect numeric ranges the grammar does not encode, but the shape holds:
    expect(Array.isArray(plan.tasks)).toBe(true);
    for (const t of plan.tasks) {
      expect(TASK_TYPES).toContain(t.type);
      expect(typeof t.title).toBe("string");
      expect(typeof t.ordinal).toBe("number");
    }
    expect(usage.outputTokens).toBeGreaterThan(0);
    console.log(
      `local model: ${usage.outputTokens} tokens in ${seconds.toFixed(1)} s = ${(usage.outputTokens / seconds).toFixed(0)} tokens/s`,
    );
  }, 120_000);

  it("stops when the call is aborted", async () => {
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 30);
    await expect(
      gateway.generateText(
        request({ maxOutputTokens: 4_000, signal: abort.signal, temperature: 1.5 }),
      ),
    ).rejects.toBeInstanceOf(CallAbortedError);
  }, 60_000);

  it("names the three ways to get a model when the file is missing", async () => {
    const failure = await gateway
      .generateText(request({ model: "local:qwen2.5-3b-instruct" }))
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toContain("atelya models pull qwen2.5-3b-instruct");
    expect((failure as Error).message).toContain("local:/path/to/model.gguf");
    expect((failure as Error).message).toContain("ollama:");
    expect(() => local.fileOf("local:nope")).toThrow(ModelUnavailableError);
  });
});
