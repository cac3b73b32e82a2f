// The gateway the application uses: routes each call by its model name to the scripted model or to
// the provider backends, all behind the same metering, retries and re-asks.
import type { z } from "zod";
import type { ModelConfig } from "./config.js";
import type { ModelGateway, ModelRequest } from "./gateway.js";
import { MeteredGateway } from "./metered.js";
import { AiSdkBackend } from "./providers.js";
import { ScriptedModel } from "./scripted.js";
import type { LocalBackend } from "./local.js";
import { ModelUnavailableError } from "./errors.js";

export interface GatewayOptions {
  config: ModelConfig;
  /** The embedded model (`local:` names); absent, `local:` models are unavailable. */
  local?: LocalBackend;
  /** The scripted model serving `scripted` (a default one when absent). */
  scripted?: ScriptedModel;
}

const isScripted = (model: string) => model === "scripted" || model.startsWith("scripted:");

export function createModelGateway(o: GatewayOptions): ModelGateway {
  const scripted = o.scripted ?? new ScriptedModel();
  const providers = new MeteredGateway(new AiSdkBackend(o.config), {
    ...(o.config.timeoutMs ? { timeoutMs: o.config.timeoutMs } : {}),
    ...(o.config.retry ? { retry: o.config.retry } : {}),
  });
  const local = o.local
    ? new MeteredGateway(o.local, {
        ...(o.config.retry ? { retry: { ...o.config.retry, maxRetries: 0 } } : {}),
        timeoutMs: o.config.timeoutMs ?? 600_000,
      })
    : null;
  const pick = (model: string): ModelGateway => {
    if (isScripted(model)) return scripted;
    if (model.startsWith("local:")) {
      if (!local)
        throw new ModelUnavailableError(
          `Local models are not enabled in this process; cannot use ${model}.`,
        );
      return local;
    }
    return providers;
  };
  return {
    generateText: (req) => pick(req.model).generateText(req),
    streamText: (req, onDelta) => pick(req.model).streamText(req, onDelta),
    generateObject: <T>(req: ModelRequest, schema: z.ZodType<T>, name: string) =>
      pick(req.model).generateObject(req, schema, name),
    countTokens: (req) => pick(req.model).countTokens(req),
    isLocal: (model) => model.startsWith("local:") || pick(model).isLocal(model),
  };
}
