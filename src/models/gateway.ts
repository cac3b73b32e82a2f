// ModelGateway: the only door to models. Providers (Anthropic, OpenAI, OpenAI-compatible, the
// embedded local model) and the scripted model implement it; the engine meters what it returns.
import type { z } from "zod";
import type { ProviderCredentials } from "./config.js";

/** Why a call is made; prompts, limits and the scripted model's answers depend on it. */
export const CALL_PURPOSES = [
  "plan",
  "task",
  "compose",
  "revise",
  "rewrite",
  "style_extract",
] as const;
export type CallPurpose = (typeof CALL_PURPOSES)[number];

export interface ChatMessage {
  role: "user" | "assistant";
  content: string;
}

export interface ModelRequest {
  /** `provider:model`, e.g. `anthropic:claude-sonnet-4-5`, `ollama:qwen2.5:7b`, `local:<file>`, `scripted`. */
  model: string;
  system: string;
  messages: ChatMessage[];
  temperature?: number;
  maxOutputTokens: number;
  purpose: CallPurpose;
  signal?: AbortSignal;
  /** Set by generateObject: the JSON schema of the expected answer, for backends that can enforce
   *  it (the embedded model turns it into a grammar). */
  jsonSchema?: Record<string, unknown>;
  /** The workspace the call is made for: its own provider keys are used when it has set any. */
  workspaceId?: string;
  /** The workspace's provider keys and base URLs, looked up from `workspaceId` per call
   *  (models/credentials.ts); each field falls back to the environment's. */
  credentials?: ProviderCredentials;
  /** The room is limited to local models (local_models_only): a backend refuses to send the call
   *  off this machine. The engine checks the model name up front; this also catches a workspace's
   *  own OpenAI-compatible base URL that points elsewhere. */
  localOnly?: boolean;
  /** Per-attempt timeout; the gateway's default applies when absent. */
  timeoutMs?: number;
  /** Called before every underlying provider call (first try, retries, re-asks) with its worst-case
   *  token count; throwing stops the call before anything is spent (budget pauses use this). */
  beforeCall?: (worstCase: {
    promptTokens: number;
    maxOutputTokens: number;
    model: string;
  }) => Promise<void>;
  /** Called after every underlying call that reached the provider and reported usage. */
  onCall?: (call: CallRecord) => void;
  /** Called when a transient failure is about to be retried. */
  onRetry?: (retry: RetryRecord) => void;
}

export interface ModelUsage {
  /** All prompt tokens, cached ones included (Anthropic: input + cache writes + cache reads). */
  inputTokens: number;
  outputTokens: number;
  /** Of inputTokens, those read from the provider's prompt cache (Anthropic
   *  `cache_read_input_tokens`, OpenAI `prompt_tokens_details.cached_tokens`). */
  cachedInputTokens: number;
}

/** One underlying call that reached a provider: the unit that is metered and charged. */
export interface CallRecord {
  model: string;
  usage: ModelUsage;
  latencyMs: number;
  /** 1 for the first try; re-asks after invalid output and after an answer cut off at its output
   *  limit count up too. */
  attempt: number;
  /** `cut_off`: the answer stopped at its output limit and was not used (it is asked again once
   *  with twice the limit). */
  outcome: "ok" | "invalid_output" | "cut_off" | "error";
}

export interface RetryRecord {
  model: string;
  attempt: number;
  delayMs: number;
  error: string;
}

/** `restart` is true on the first delta of a stream that was retried after breaking mid-way: the
 *  answer starts again, so drop what was shown so far. */
export type OnDelta = (delta: string, info: { restart: boolean }) => void;

export interface TextResult {
  text: string;
  model: string;
}

export interface ObjectResult<T> {
  object: T;
  model: string;
}

export interface ModelGateway {
  generateText(req: ModelRequest): Promise<TextResult>;
  /** Schema-validated output; invalid output is re-asked with the validation errors (at most 2 times). */
  generateObject<T>(
    req: ModelRequest,
    schema: z.ZodType<T>,
    schemaName: string,
  ): Promise<ObjectResult<T>>;
  /** Streams text deltas to `onDelta` and resolves with the whole text (after a retried stream,
   *  deltas start again with `restart: true`; the resolved text is the final answer). */
  streamText(req: ModelRequest, onDelta: OnDelta): Promise<TextResult>;
  /** Prompt tokens of a request as the model's tokenizer (or a close estimate) counts them. */
  countTokens(req: Pick<ModelRequest, "model" | "system" | "messages">): number;
  /** True when the model runs on this machine (local_models_only accepts only these, and they are
   *  priced as local). `credentials`: the workspace's own provider settings, whose base URL is the
   *  one its calls use (models/credentials.ts); without them, the environment's decides. */
  isLocal(model: string, credentials?: ProviderCredentials): boolean;
}
