// Providers through the Vercel AI SDK: Anthropic, OpenAI and any OpenAI-compatible server, behind
// one Backend. Model names are `provider:model`; the SDK's own retries are off (ours are the only ones).
// The SDK maps OpenAI's `finish_reason: "length"` and Anthropic's `stop_reason: "max_tokens"` to
// the finish reason "length": an answer cut off at its output limit, which the gateway never uses.
import type * as Anthropic from "@ai-sdk/anthropic";
import type * as OpenAI from "@ai-sdk/openai";
import type * as OpenAICompatible from "@ai-sdk/openai-compatible";
import type * as Ai from "ai";
import type { LanguageModel, LanguageModelUsage } from "ai";
import { COMPATIBLE_PREFIXES, isLoopbackUrl, sameOrigin } from "../domain/model-names.js";
import type { ModelConfig, ProviderCredentials } from "./config.js";
import { ModelUnavailableError } from "./errors.js";
import { estimatePromptTokens, estimateTokens } from "./estimate.js";
import type { ModelRequest, ModelUsage } from "./gateway.js";
import type { Backend, Completion } from "./metered.js";

/** What this backend uses of the AI SDK and its providers. */
interface Sdk {
  createAnthropic: typeof Anthropic.createAnthropic;
  createOpenAI: typeof OpenAI.createOpenAI;
  createOpenAICompatible: typeof OpenAICompatible.createOpenAICompatible;
  generateText: typeof Ai.generateText;
  streamText: typeof Ai.streamText;
}

let sdkLoading: Promise<Sdk> | undefined;

/** The AI SDK, loaded on the first real model check or call: some 200 ms of module loading that
 *  processes which never call a provider (most CLI commands, the scripted model) do not pay. */
function loadSdk(): Promise<Sdk> {
  sdkLoading ??= Promise.all([
    import("@ai-sdk/anthropic"),
    import("@ai-sdk/openai"),
    import("@ai-sdk/openai-compatible"),
    import("ai"),
  ]).then(([anthropic, openai, compatible, ai]) => ({
    createAnthropic: anthropic.createAnthropic,
    createOpenAI: openai.createOpenAI,
    createOpenAICompatible: compatible.createOpenAICompatible,
    generateText: ai.generateText,
    streamText: ai.streamText,
  }));
  return sdkLoading;
}

export interface ModelName {
  provider: string;
  id: string;
}

/** `anthropic:claude-sonnet-4-5` → { provider: "anthropic", id: "claude-sonnet-4-5" }; `ollama:qwen2.5:7b` keeps its tag. */
export function parseModelName(name: string): ModelName {
  const at = name.indexOf(":");
  if (at < 1) return { provider: name, id: "" };
  return { provider: name.slice(0, at), id: name.slice(at + 1) };
}

/** Where an OpenAI-compatible `provider` is served under `config`: its base URL, or Ollama's own
 *  default for `ollama:` (the other prefixes have none and cannot be called without one). */
const compatibleUrl = (config: ProviderCredentials, provider: string): string | undefined =>
  config.openaiCompatible?.baseURL ??
  (provider === "ollama" ? "http://localhost:11434/v1" : undefined);

/** Whether `model` runs on this machine when served with `config`'s base URLs. */
function localUnder(config: ProviderCredentials, model: string): boolean {
  const { provider } = parseModelName(model);
  if (!(COMPATIBLE_PREFIXES as readonly string[]).includes(provider)) return false;
  const url = compatibleUrl(config, provider);
  return url !== undefined && isLoopbackUrl(url);
}

/** A token count as reported, if it is one: a whole number, not negative. */
const tokenCount = (n: number | undefined) =>
  n !== undefined && Number.isSafeInteger(n) && n >= 0 ? n : undefined;

/** The tokens the provider reports; a count it leaves out or garbles (negative, fractional) is
 *  our own estimate instead, so the call is metered all the same. */
function usageOf(u: LanguageModelUsage, req: ModelRequest, text: string): ModelUsage {
  const inputTokens = tokenCount(u.inputTokens) ?? estimatePromptTokens(req);
  const cached = tokenCount(u.inputTokenDetails?.cacheReadTokens ?? u.cachedInputTokens) ?? 0;
  return {
    inputTokens,
    outputTokens: tokenCount(u.outputTokens) ?? estimateTokens(text),
    cachedInputTokens: Math.min(cached, inputTokens),
  };
}

/** The workspace's fields over the environment's, provider by provider and field by field. The
 *  environment's key goes only where the environment sends it: with a base URL of the
 *  workspace's own on another host, the call has the workspace's key or none (a workspace admin
 *  must not be able to route the operator's key to a host of their choosing). */
function overlay(env: ProviderCredentials, ws: ProviderCredentials): ProviderCredentials {
  type Entry = { apiKey?: string; baseURL?: string } | undefined;
  const one = (e: Entry, w: Entry) => {
    const envKeyFits = !w?.baseURL || (!!e?.baseURL && sameOrigin(e.baseURL, w.baseURL));
    return {
      apiKey: w?.apiKey ?? (envKeyFits ? e?.apiKey : undefined),
      baseURL: w?.baseURL ?? e?.baseURL,
    };
  };
  return {
    anthropic: one(env.anthropic, ws.anthropic),
    openai: one(env.openai, ws.openai),
    openaiCompatible: one(env.openaiCompatible, ws.openaiCompatible),
  };
}

export class AiSdkBackend implements Backend {
  /** By model name and the credentials it was made with (a workspace's keys make another one). */
  private readonly models = new Map<string, LanguageModel>();

  constructor(private readonly config: ModelConfig) {}

  /** True for OpenAI-compatible models whose server is on this machine (a loopback base URL),
   *  under the workspace's own base URL when it has set one, else the environment's. */
  isLocal(model: string, credentials?: ProviderCredentials): boolean {
    return localUnder(credentials ? overlay(this.config, credentials) : this.config, model);
  }

  /** Resolves the model before anything is reserved: a missing key or an unknown provider fails
   *  fast with ModelUnavailableError. */
  async prepare(req: ModelRequest): Promise<void> {
    this.model(req.model, req.credentials, req.localOnly, await loadSdk());
  }

  /** A conservative estimate (see estimate.ts): reservations must not undercount. */
  countTokens(req: Pick<ModelRequest, "system" | "messages">): number {
    return estimatePromptTokens(req);
  }

  private model(
    name: string,
    credentials: ProviderCredentials | undefined,
    localOnly: boolean | undefined,
    ai: Sdk,
  ): LanguageModel {
    const config = credentials ? overlay(this.config, credentials) : this.config;
    if (localOnly && !localUnder(config, name))
      throw new ModelUnavailableError(
        `This workroom is limited to local models (local_models_only), but "${name}" would be sent off this machine (its OpenAI-compatible base URL is not on this machine). Point it at a local server or use a local: model, then replan.`,
      );
    const cacheKey = credentials ? `${name}\u0000${JSON.stringify(credentials)}` : name;
    const cached = this.models.get(cacheKey);
    if (cached) return cached;
    const model = this.create(name, config, ai);
    if (this.models.size >= 1_000) this.models.clear();
    this.models.set(cacheKey, model);
    return model;
  }

  private create(name: string, config: ProviderCredentials, ai: Sdk): LanguageModel {
    const { provider, id } = parseModelName(name);
    if (!id)
      throw new ModelUnavailableError(
        `"${name}" is not a model name; use provider:model, e.g. anthropic:claude-sonnet-4-5.`,
      );
    let model: LanguageModel;
    if (provider === "anthropic") {
      const c = config.anthropic ?? {};
      if (!c.apiKey)
        throw new ModelUnavailableError(
          `No Anthropic key: set ANTHROPIC_API_KEY (or the workspace's provider key; a workspace's own base URL needs its own key) to use ${name}.`,
        );
      model = ai.createAnthropic({
        apiKey: c.apiKey,
        ...(c.baseURL ? { baseURL: c.baseURL } : {}),
      })(id);
    } else if (provider === "openai") {
      const c = config.openai ?? {};
      if (!c.apiKey)
        throw new ModelUnavailableError(
          `No OpenAI key: set OPENAI_API_KEY (or the workspace's provider key; a workspace's own base URL needs its own key) to use ${name}.`,
        );
      model = ai
        .createOpenAI({ apiKey: c.apiKey, ...(c.baseURL ? { baseURL: c.baseURL } : {}) })
        .chat(id);
    } else if ((COMPATIBLE_PREFIXES as readonly string[]).includes(provider)) {
      const c = config.openaiCompatible ?? {};
      const baseURL = compatibleUrl(config, provider);
      if (!baseURL)
        throw new ModelUnavailableError(
          `Set ATELYA_OPENAI_COMPATIBLE_BASE_URL to the server's /v1 URL to use ${name}.`,
        );
      model = ai.createOpenAICompatible({
        name: provider,
        baseURL,
        includeUsage: true,
        ...(c.apiKey ? { apiKey: c.apiKey } : {}),
      })(id);
    } else
      throw new ModelUnavailableError(
        `Unknown model provider "${provider}" in "${name}"; use anthropic:, openai:, ollama:, lmstudio:, vllm:, llamacpp:, openai-compatible: or scripted.`,
      );
    return model;
  }

  private args(req: ModelRequest, signal: AbortSignal, ai: Sdk) {
    return {
      model: this.model(req.model, req.credentials, req.localOnly, ai),
      system: req.system,
      messages: req.messages,
      maxOutputTokens: req.maxOutputTokens,
      ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
      abortSignal: signal,
      maxRetries: 0,
    };
  }

  async complete(req: ModelRequest, signal: AbortSignal): Promise<Completion> {
    const ai = await loadSdk();
    const r = await ai.generateText(this.args(req, signal, ai));
    return {
      text: r.text,
      usage: usageOf(r.usage, req, r.text),
      cutOff: r.finishReason === "length",
    };
  }

  async stream(
    req: ModelRequest,
    onDelta: (delta: string) => void,
    signal: AbortSignal,
  ): Promise<Completion> {
    let failure: unknown;
    const ai = await loadSdk();
    const r = ai.streamText({
      ...this.args(req, signal, ai),
      onError: ({ error }) => void (failure = error),
    });
    let text = "";
    for await (const delta of r.textStream) {
      text += delta;
      onDelta(delta);
    }
    if (failure) throw failure;
    signal.throwIfAborted(); // an aborted SDK stream ends without an error
    const usage = await r.usage;
    return { text, usage: usageOf(usage, req, text), cutOff: (await r.finishReason) === "length" };
  }
}
