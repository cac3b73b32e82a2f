// The gateway the application uses: routes each call by its model name (`provider:model`) to the
// scripted model the caller passed in, the embedded local model, or the AI SDK providers, all behind
// the same metering, retries and re-asks.
import type { z } from "zod";
import type { ModelConfig } from "./config.js";
import { ModelUnavailableError } from "./errors.js";
import type { ModelGateway, ModelRequest } from "./gateway.js";
import { LocalBackend, type PresetDownload } from "./local.js";
import { MeteredGateway } from "./metered.js";
import { isScripted } from "../domain/model-names.js";
import { AiSdkBackend } from "./providers.js";

export interface GatewayOptions {
  config: ModelConfig;
  /** The embedded model for `local:` names; built from `config.local` when absent. */
  local?: LocalBackend;
  /** Serves `scripted` (tests, benchmarks, the demo); absent, `scripted` is unavailable. */
  scripted?: ModelGateway;
  /** Progress of a preset downloaded on first use (the CLI draws a bar with it). */
  onDownload?: PresetDownload["onProgress"];
}

/** The embedded model needs no network, so one slow CPU answer must not look like a dead server. */
const LOCAL_TIMEOUT_MS = 600_000;

export function createModelGateway(o: GatewayOptions): ModelGateway {
  const { config } = o;
  const providers = new MeteredGateway(new AiSdkBackend(config), {
    ...(config.timeoutMs ? { timeoutMs: config.timeoutMs } : {}),
    ...(config.retry ? { retry: config.retry } : {}),
  });
  const localBackend =
    o.local ??
    (config.local
      ? new LocalBackend({
          ...config.local,
          ...(config.local.autoDownload && o.onDownload
            ? { download: { onProgress: o.onDownload } }
            : config.local.autoDownload
              ? { download: { onProgress: () => {} } }
              : {}),
        })
      : undefined);
  // A local failure is a bug or a missing file, not a transient fault: no retries.
  const local = localBackend
    ? new MeteredGateway(localBackend, {
        retry: { ...(config.retry ?? { baseDelayMs: 0, maxDelayMs: 0 }), maxRetries: 0 },
        timeoutMs: Math.max(config.timeoutMs ?? 0, LOCAL_TIMEOUT_MS),
      })
    : undefined;
  const pick = (model: string): ModelGateway => {
    if (isScripted(model)) {
      if (!o.scripted)
        throw new ModelUnavailableError(
          `"${model}" is the scripted test model and is not enabled in this process; choose a real model (see docs/providers.md).`,
        );
      return o.scripted;
    }
    if (model.startsWith("local:")) {
      if (!local)
        throw new ModelUnavailableError(
          `Local models are not enabled in this process, so "${model}" cannot run; set ATELYA_LOCAL_MODEL_DIR or use an OpenAI-compatible server (ollama:<model>).`,
        );
      return local;
    }
    return providers;
  };
  // async, so an unusable model is a rejected promise like every other failure.
  return {
    generateText: async (req) => pick(req.model).generateText(req),
    streamText: async (req, onDelta) => pick(req.model).streamText(req, onDelta),
    generateObject: async <T>(req: ModelRequest, schema: z.ZodType<T>, name: string) =>
      pick(req.model).generateObject(req, schema, name),
    countTokens: (req) => pick(req.model).countTokens(req),
    isLocal: (model, credentials) => {
      if (model.startsWith("local:")) return true;
      if (isScripted(model)) return o.scripted?.isLocal(model) ?? false;
      return providers.isLocal(model, credentials);
    },
  };
}
