// Model configuration: provider keys and base URLs, timeouts, retries, pricing and the embedded
// model's settings. Parsed from the conventional environment variables by `modelConfigFromEnv`
// (the only reader of env here); everything else receives a ModelConfig.
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { BaseUrlSchema } from "../domain/model-names.js";
import { DEFAULT_PRICING, type PricingTable } from "./pricing.js";
import { DEFAULT_RETRY, type RetryPolicy } from "./retry.js";

export interface LocalModelConfig {
  /** Where preset GGUF files live and are downloaded to. */
  modelDir: string;
  /** CPU threads per call (default: cores − 1). */
  threads?: number;
  /** Context window in tokens (default 4096). */
  contextSize?: number;
  /** Download a missing preset on first use (only when the machine is online). */
  autoDownload?: boolean;
}

export interface ModelConfig {
  anthropic?: { apiKey?: string; baseURL?: string };
  openai?: { apiKey?: string; baseURL?: string };
  /** Any OpenAI-compatible server (Ollama, vLLM, LM Studio, llama.cpp server). */
  openaiCompatible?: { baseURL?: string; apiKey?: string };
  /** Per-attempt timeout of a model call. */
  timeoutMs?: number;
  retry?: RetryPolicy;
  /** Credits per million tokens by model; the engine's metering reads it. */
  pricing?: PricingTable;
  /** The embedded model (`local:` names); absent, those names are unavailable. */
  local?: LocalModelConfig;
}

/** Provider keys and base URLs: the environment's (ModelConfig) or one workspace's (its sealed
 *  settings, put on each call as `ModelRequest.credentials`; a field it leaves out falls back to
 *  the environment's). */
export type ProviderCredentials = Pick<ModelConfig, "anthropic" | "openai" | "openaiCompatible">;

const PriceSchema = z.object({
  inPerMillion: z.number().min(0),
  outPerMillion: z.number().min(0),
  cachedInPerMillion: z.number().min(0).optional(),
});

const Env = z.object({
  ANTHROPIC_API_KEY: z.string().min(1).optional(),
  ANTHROPIC_BASE_URL: BaseUrlSchema.optional(),
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: BaseUrlSchema.optional(),
  ATELYA_OPENAI_COMPATIBLE_BASE_URL: BaseUrlSchema.optional(),
  ATELYA_OPENAI_COMPATIBLE_API_KEY: z.string().min(1).optional(),
  ATELYA_LOCAL_MODEL_DIR: z.string().min(1).optional(),
  ATELYA_LOCAL_THREADS: z.coerce.number().int().min(1).max(256).optional(),
  ATELYA_LOCAL_AUTO_DOWNLOAD: z.enum(["true", "false", "1", "0"]).optional(),
  ATELYA_DATA_DIR: z.string().min(1).optional(),
  ATELYA_MODEL_TIMEOUT_MS: z.coerce.number().int().min(1_000).optional(),
  ATELYA_MODEL_MAX_RETRIES: z.coerce.number().int().min(0).max(10).optional(),
  /** JSON object: model name → { inPerMillion, outPerMillion, cachedInPerMillion? }. */
  ATELYA_MODEL_PRICING: z
    .string()
    .transform((raw, ctx) => {
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: "is not JSON" });
        return z.NEVER;
      }
    })
    .pipe(z.record(z.string(), PriceSchema))
    .optional(),
});

export function modelConfigFromEnv(env: Record<string, string | undefined>): ModelConfig {
  const parsed = Env.safeParse(env);
  if (!parsed.success)
    throw new Error(
      `Invalid model settings: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}. Fix these environment variables (see docs/providers.md).`,
    );
  const e = parsed.data;
  return {
    anthropic: { apiKey: e.ANTHROPIC_API_KEY, baseURL: e.ANTHROPIC_BASE_URL },
    openai: { apiKey: e.OPENAI_API_KEY, baseURL: e.OPENAI_BASE_URL },
    openaiCompatible: {
      baseURL: e.ATELYA_OPENAI_COMPATIBLE_BASE_URL,
      apiKey: e.ATELYA_OPENAI_COMPATIBLE_API_KEY,
    },
    timeoutMs: e.ATELYA_MODEL_TIMEOUT_MS ?? 120_000,
    retry: {
      ...DEFAULT_RETRY,
      ...(e.ATELYA_MODEL_MAX_RETRIES !== undefined
        ? { maxRetries: e.ATELYA_MODEL_MAX_RETRIES }
        : {}),
    },
    pricing: { ...DEFAULT_PRICING, ...e.ATELYA_MODEL_PRICING },
    local: {
      modelDir: e.ATELYA_LOCAL_MODEL_DIR ?? join(e.ATELYA_DATA_DIR ?? ".atelya", "models"),
      threads: e.ATELYA_LOCAL_THREADS ?? Math.max(1, availableParallelism() - 1),
      autoDownload:
        e.ATELYA_LOCAL_AUTO_DOWNLOAD !== "false" && e.ATELYA_LOCAL_AUTO_DOWNLOAD !== "0",
    },
  };
}
