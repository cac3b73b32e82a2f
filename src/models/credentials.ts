// Per-workspace provider keys: a gateway that, for a call made for a workspace (`workspaceId`),
// looks up that workspace's keys and base URLs and puts them on the call; the AI SDK backend
// prefers them, field by field, to the environment's. Scripted and local models need no keys and
// skip the lookup, so the engine's hot path with them does no extra query.
import type { z } from "zod";
import type { ProviderCredentials } from "./config.js";
import type { ModelGateway, ModelRequest } from "./gateway.js";
import { isScripted } from "../domain/model-names.js";

/** The workspace's provider credentials, or undefined when it has set none. */
export type CredentialsLookup = (workspaceId: string) => Promise<ProviderCredentials | undefined>;

/** Scripted and embedded models need no keys. (Decided by name here rather than by importing the
 *  providers module, which would load the AI SDK into processes that never call a provider.) */
const keyless = (model: string) => isScripted(model) || model.startsWith("local:");

export function withWorkspaceCredentials(
  inner: ModelGateway,
  lookup: CredentialsLookup,
): ModelGateway {
  // Read per call, not cached: a key changed in the server is used by every worker's next call.
  const resolve = async (req: ModelRequest): Promise<ModelRequest> => {
    if (!req.workspaceId || req.credentials || keyless(req.model)) return req;
    const credentials = await lookup(req.workspaceId);
    return credentials ? { ...req, credentials } : req;
  };
  return {
    generateText: async (req) => inner.generateText(await resolve(req)),
    streamText: async (req, onDelta) => inner.streamText(await resolve(req), onDelta),
    generateObject: async <T>(req: ModelRequest, schema: z.ZodType<T>, name: string) =>
      inner.generateObject(await resolve(req), schema, name),
    countTokens: (req) => inner.countTokens(req),
    isLocal: (model, credentials) => inner.isLocal(model, credentials),
  };
}
