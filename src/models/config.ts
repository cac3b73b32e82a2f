// Model configuration: provider keys and base URLs, timeouts and retries. Parsed from the
// conventional environment variables by `modelConfigFromEnv` (the only reader of env here).
import { z } from "zod";
import { DEFAULT_RETRY, type RetryPolicy } from "./retry.js";

export interface ModelConfig {
  anthropic?: { apiKey?: string; baseURL?: string };
  openai?: { apiKey?: string; baseURL?: string };
  /** Any OpenAI-compatible server (Ollama, vLLM, LM Studio, llama.cpp server). */
  openaiCompatible?: { baseURL?: string; apiKey?: string };
  /** Per-attempt timeout of a model call. */
  timeoutMs?: number;
  retry?: RetryPolicy;
}

const Env = z.object({
  ANTHROPIC_API_KEY: z.string().min(1).optional(),
  ANTHROPIC_BASE_URL: z.string().url().optional(),
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: z.string().url().optional(),
  ATELYA_OPENAI_COMPATIBLE_BASE_URL: z.string().url().optional(),
  ATELYA_OPENAI_COMPATIBLE_API_KEY: z.string().min(1).optional(),
  ATELYA_MODEL_TIMEOUT_MS: z.coerce.number().int().min(1_000).optional(),
  ATELYA_MODEL_MAX_RETRIES: z.coerce.number().int().min(0).max(10).optional(),
});

export function modelConfigFromEnv(env: Record<string, string | undefined>): ModelConfig {
  const parsed = Env.safeParse(env);
  if (!parsed.success)
    throw new Error(
      `Invalid model settings: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
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
  };
}
