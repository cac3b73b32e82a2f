// Model settings from the conventional environment variables, and the local_models_only gate.
import { describe, expect, it } from "vitest";
import { modelConfigFromEnv } from "./config.js";
import { ModelUnavailableError } from "./errors.js";
import { assertModelAllowed } from "./policy.js";
import { DEFAULT_PRICING, DEFAULT_PRICE, priceOf } from "./pricing.js";
import { createModelGateway } from "./router.js";

describe("modelConfigFromEnv", () => {
  it("reads keys, base URLs, the local model directory and retry limits", () => {
    const c = modelConfigFromEnv({
      ANTHROPIC_API_KEY: "sk-ant",
      ANTHROPIC_BASE_URL: "https://proxy.example/anthropic",
      OPENAI_API_KEY: "sk-oa",
      ATELYA_OPENAI_COMPATIBLE_BASE_URL: "http://localhost:11434/v1",
      ATELYA_LOCAL_MODEL_DIR: "/srv/models",
      ATELYA_LOCAL_THREADS: "3",
      ATELYA_MODEL_MAX_RETRIES: "2",
      UNRELATED: "ignored",
    });
    expect(c.anthropic).toEqual({ apiKey: "sk-ant", baseURL: "https://proxy.example/anthropic" });
    expect(c.openai?.apiKey).toBe("sk-oa");
    expect(c.openaiCompatible?.baseURL).toBe("http://localhost:11434/v1");
    expect(c.local).toMatchObject({ modelDir: "/srv/models", threads: 3, autoDownload: true });
    expect(c.retry?.maxRetries).toBe(2);
    expect(c.pricing).toEqual(DEFAULT_PRICING);
  });

  it("puts pricing overrides over the defaults", () => {
    const c = modelConfigFromEnv({
      ATELYA_MODEL_PRICING: '{"openai:gpt-5":{"inPerMillion":125,"outPerMillion":1000}}',
    });
    expect(c.pricing?.["openai:gpt-5"]).toEqual({ inPerMillion: 125, outPerMillion: 1000 });
    expect(c.pricing?.["anthropic:claude-sonnet-4-5"]).toEqual(
      DEFAULT_PRICING["anthropic:claude-sonnet-4-5"],
    );
    expect(priceOf("unknown:model", c.pricing)).toEqual(DEFAULT_PRICE);
  });

  it("names each bad variable", () => {
    expect(() =>
      modelConfigFromEnv({ OPENAI_BASE_URL: "not a url", ATELYA_MODEL_PRICING: "{" }),
    ).toThrow(/OPENAI_BASE_URL.*ATELYA_MODEL_PRICING: is not JSON/);
  });

  it("refuses a base URL with a user name or password, saying to use the API key", () => {
    for (const name of [
      "ANTHROPIC_BASE_URL",
      "OPENAI_BASE_URL",
      "ATELYA_OPENAI_COMPATIBLE_BASE_URL",
    ])
      expect(() =>
        modelConfigFromEnv({ [name]: "http://qauser:BASEPASS777@127.0.0.1:4201/v1" }),
      ).toThrow(new RegExp(`${name}: a base URL may not contain a user name or password.*API key`));
  });
});

describe("local_models_only", () => {
  const gateway = (compatibleURL: string) =>
    createModelGateway({
      config: {
        anthropic: { apiKey: "k" },
        openaiCompatible: { baseURL: compatibleURL },
        local: { modelDir: "/tmp" },
      },
    });

  it("accepts the embedded model and OpenAI-compatible servers on this machine", () => {
    const g = gateway("http://127.0.0.1:11434/v1");
    for (const model of ["local:/m/q.gguf", "local:qwen2.5-3b-instruct", "ollama:qwen2.5:7b"])
      expect(() => assertModelAllowed(g, model, { localOnly: true })).not.toThrow();
  });

  it("refuses hosted models and servers elsewhere, saying what to change", () => {
    const g = gateway("https://vllm.example.com/v1");
    for (const model of ["anthropic:claude-sonnet-4-5", "vllm:llama-3-70b"]) {
      expect(() => assertModelAllowed(g, model, { localOnly: true })).toThrow(
        ModelUnavailableError,
      );
      expect(() => assertModelAllowed(g, model, { localOnly: true })).toThrow(
        /local_models_only.*local:<file.gguf>.*ollama:<model>/,
      );
      expect(() => assertModelAllowed(g, model, { localOnly: false })).not.toThrow();
    }
  });

  it("reads the base URL's host exactly: a name that merely starts like a loopback one is elsewhere", () => {
    for (const url of [
      "http://localhost.example.com/v1",
      "http://127.0.0.1.nip.io/v1",
      "http://127.evil.example/v1",
      "http://localhost:11434@evil.example/v1",
      "http://[::1].example/v1",
    ])
      expect([url, gateway(url).isLocal("ollama:qwen2.5:7b")]).toEqual([url, false]);
    for (const url of [
      "http://localhost:11434/v1",
      "http://127.0.0.2:8000/v1",
      "http://127.1:8000/v1",
      "http://[::1]:11434/v1",
    ])
      expect([url, gateway(url).isLocal("ollama:qwen2.5:7b")]).toEqual([url, true]);
  });

  it("decides by the workspace's own base URL when it has one, else the environment's", () => {
    const remote = { openaiCompatible: { baseURL: "https://vllm.example.com/v1" } };
    const loopback = { openaiCompatible: { baseURL: "http://127.0.0.1:8000/v1" } };
    expect(gateway("https://vllm.example.com/v1").isLocal("vllm:llama-3-70b", loopback)).toBe(true);
    expect(gateway("http://127.0.0.1:8000/v1").isLocal("vllm:llama-3-70b", remote)).toBe(false);
    expect(gateway("http://127.0.0.1:8000/v1").isLocal("vllm:llama-3-70b", {})).toBe(true);
    // Only Ollama has a default server (on this machine); vLLM without a URL is not local.
    const none = createModelGateway({ config: {} });
    expect(none.isLocal("ollama:qwen2.5:7b")).toBe(true);
    expect(none.isLocal("vllm:llama-3-70b")).toBe(false);
  });
});
