// The gateway the application uses: routes each call by its model name to the scripted model or to
// the provider backends, all behind the same metering, retries and re-asks.
import type { z } from "zod";
import type { ModelConfig } from "./config.js";
import type { ModelGateway, ModelRequest } from "./gateway.js";
import { MeteredGateway } from "./metered.js";
import { AiSdkBackend } from "./providers.js";
import { ScriptedModel } from "./scripted.js";

export interface GatewayOptions {
  config: ModelConfig;
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
  const pick = (model: string): ModelGateway => (isScripted(model) ? scripted : providers);
  return {
    generateText: (req) => pick(req.model).generateText(req),
    streamText: (req, onDelta) => pick(req.model).streamText(req, onDelta),
    generateObject: <T>(req: ModelRequest, schema: z.ZodType<T>, name: string) =>
      pick(req.model).generateObject(req, schema, name),
    countTokens: (req) => pick(req.model).countTokens(req),
    isLocal: (model) => pick(model).isLocal(model),
  };
}
