// The embedded model on a real GGUF file with random weights: loading, generation with real token
// counts, grammar-constrained plans that pass PlanSchema, abort, presets downloaded (and resumed)
// from a local server, and the message when no model is there.
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { PlanSchema } from "../domain/plan.js";
import { CallAbortedError, ModelUnavailableError } from "./errors.js";
import type { CallRecord, ModelRequest } from "./gateway.js";
import { LocalBackend } from "./local.js";
import type { PullProgress } from "./presets.js";
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
  it("generates in-process and reserves exactly the prompt tokens the model then reads", async () => {
    const calls: CallRecord[] = [];
    const reserved: number[] = [];
    const started = performance.now();
    const result = await gateway.generateText(
      request(
        { maxOutputTokens: 48, beforeCall: async (w) => void reserved.push(w.promptTokens) },
        calls,
      ),
    );
    const seconds = (performance.now() - started) / 1000;
    expect(result.text.length).toBeGreaterThan(0);
    expect(calls).toHaveLength(1);
    // The reservation used the model's own tokenizer and chat template: never under, at most a
    // token or two over (the template's end-of-prompt marker).
    const used = calls[0]!.usage.inputTokens;
    expect(reserved).toHaveLength(1);
    expect(reserved[0]).toBeGreaterThanOrEqual(used);
    expect(reserved[0]).toBeLessThanOrEqual(used + 2);
    expect(calls[0]!.usage.inputTokens).toBeGreaterThan(10);
    expect(calls[0]!.usage.outputTokens).toBeGreaterThan(0);
    expect(calls[0]!.usage.outputTokens).toBeLessThanOrEqual(48);
    expect(gateway.isLocal(model)).toBe(true);
    console.log(
      `local model, free text: ${calls[0]!.usage.outputTokens} tokens in ${seconds.toFixed(2)} s (load included)`,
    );
  }, 60_000);

  it("writes a plan that passes PlanSchema on the first try, constrained by a grammar", async () => {
    const calls: CallRecord[] = [];
    const started = performance.now();
    const { object } = await gateway.generateObject(
      request({ maxOutputTokens: 4_000, purpose: "plan", temperature: 0 }, calls),
      PlanSchema,
      "plan",
    );
    const seconds = (performance.now() - started) / 1000;
    // Random weights, yet ranges (ordinal ≥ 1, estimated_seconds ≤ 86400), enums and lengths hold.
    expect(PlanSchema.safeParse(object).success).toBe(true);
    expect(object.tasks.length).toBeGreaterThanOrEqual(1);
    expect(calls.map((c) => c.outcome)).toEqual(["ok"]);
    const tokens = calls[0]!.usage.outputTokens;
    console.log(
      `local model, grammar-constrained plan: ${tokens} tokens in ${seconds.toFixed(1)} s = ${(tokens / seconds).toFixed(0)} tokens/s`,
    );
  }, 120_000);

  it("streams its answer piece by piece", async () => {
    const pieces: string[] = [];
    const { text } = await gateway.streamText(request({ maxOutputTokens: 24 }), (d) =>
      pieces.push(d),
    );
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join("")).toBe(text);
  }, 60_000);

  it("stops when the call is aborted", async () => {
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 30);
    const started = performance.now();
    await expect(
      gateway.generateText(
        request({ maxOutputTokens: 4_000, signal: abort.signal, temperature: 1.5 }),
      ),
    ).rejects.toBeInstanceOf(CallAbortedError);
    expect(performance.now() - started).toBeLessThan(5_000);
  }, 60_000);

  it("names the three ways to get a model when the file is missing, before reserving anything", async () => {
    const reserved: number[] = [];
    const failure = await gateway
      .generateText(
        request({
          model: "local:qwen2.5-3b-instruct",
          beforeCall: async (w) => void reserved.push(w.promptTokens),
        }),
      )
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ModelUnavailableError);
    expect((failure as Error).message).toContain("atelya models pull qwen2.5-3b-instruct");
    expect((failure as Error).message).toContain("local:/path/to/model.gguf");
    expect((failure as Error).message).toContain("ollama:");
    // This backend does not download: the setting that would is named.
    expect((failure as Error).message).toContain("set ATELYA_LOCAL_AUTO_DOWNLOAD=true");
    expect(reserved).toEqual([]);
  });

  it("refuses a damaged model file at once, before reserving anything, saying what to do", async () => {
    // The GGUF magic and version, then garbage: llama.cpp grew without limit on it.
    const path = join(mkdtempSync(join(tmpdir(), "atelya-models-")), "damaged.gguf");
    writeFileSync(path, Buffer.from("GGUF\x03\x00\x00\x00garbage", "latin1"));
    const reserved: number[] = [];
    const failure = await gateway
      .generateText(
        request({
          model: `local:${path}`,
          beforeCall: async (w) => void reserved.push(w.promptTokens),
        }),
      )
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ModelUnavailableError);
    expect((failure as Error).message).toMatch(
      /damaged.gguf is damaged or not a GGUF model \(it ends before its tensor count\)/,
    );
    expect((failure as Error).message).toContain("Three ways to get one");
    expect(reserved).toEqual([]);
  });
});

describe("a preset downloaded on first use", () => {
  const bytes = readFileSync(GGUF);
  // Serves the fixture with Range support; the first full download is cut after 100 KB.
  const served: { range: string | undefined }[] = [];
  let cutFirst = true;
  const server = createServer((req, res) => {
    const range = req.headers.range;
    served.push({ range });
    const from = range ? Number(/bytes=(\d+)-/.exec(range)![1]) : 0;
    const body = bytes.subarray(from);
    res.writeHead(range ? 206 : 200, { "content-length": String(body.length) });
    if (cutFirst) {
      cutFirst = false;
      res.write(body.subarray(0, 100_000), () => res.socket?.destroy());
    } else res.end(body);
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("resumes a cut download with a Range request, then runs the model", async () => {
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tiny.gguf`;
    const dir = mkdtempSync(join(tmpdir(), "atelya-models-"));
    const progress: PullProgress[] = [];
    const backend = new LocalBackend({
      modelDir: dir,
      threads: 1,
      presets: { tiny: { file: "tiny.gguf", url, note: "test" } },
      download: { onProgress: (p) => progress.push(p) },
    });
    const g = createModelGateway({ config: {}, local: backend });
    const first = await g.generateText(request({ model: "local:tiny" })).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(ModelUnavailableError); // the cut download is not a model
    expect(statSync(join(dir, "tiny.gguf.part")).size).toBeGreaterThan(0);
    const { text } = await g.generateText(request({ model: "local:tiny" }));
    expect(typeof text).toBe("string");
    expect(served.map((s) => s.range)).toEqual([undefined, expect.stringMatching(/^bytes=\d+-$/)]);
    expect(readFileSync(join(dir, "tiny.gguf")).equals(bytes)).toBe(true);
    expect(progress.at(-1)).toEqual({ received: bytes.length, total: bytes.length });
    await backend.close();
  }, 60_000);

  it("fails fast offline, naming the three ways to get a model", async () => {
    const dir = mkdtempSync(join(tmpdir(), "atelya-models-"));
    const backend = new LocalBackend({
      modelDir: dir,
      presets: { tiny: { file: "tiny.gguf", url: "http://offline.invalid/tiny.gguf", note: "" } },
      download: {
        onProgress: () => {},
        fetch: () => Promise.reject(new TypeError("fetch failed: getaddrinfo ENOTFOUND")),
      },
    });
    const g = createModelGateway({ config: {}, local: backend });
    const failure = await g.generateText(request({ model: "local:tiny" })).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ModelUnavailableError);
    expect((failure as Error).message).toMatch(/offline\?.*ENOTFOUND/);
    expect((failure as Error).message).toContain("Three ways to get one");
    // The download on first use is on, and was just tried: the message does not ask to turn it on.
    expect((failure as Error).message).not.toContain("ATELYA_LOCAL_AUTO_DOWNLOAD=true");
    expect((failure as Error).message).toContain(
      "it is downloaded into " +
        dir +
        " on first use, or ahead of time with atelya models pull tiny",
    );
  });
});
