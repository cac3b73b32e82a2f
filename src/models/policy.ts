// The `local_models_only` paste flag (SPEC 2): a confidential room may only reach models that run
// on this machine. The engine calls this before any call of such a room.
import { ModelUnavailableError } from "./errors.js";
import type { ModelGateway } from "./gateway.js";

export interface ModelPolicy {
  /** The room's `local_models_only` flag. */
  localOnly: boolean;
}

/** Throws ModelUnavailableError, saying what to change, when `model` may not serve this room. */
export function assertModelAllowed(
  gateway: Pick<ModelGateway, "isLocal">,
  model: string,
  policy: ModelPolicy,
): void {
  if (!policy.localOnly || gateway.isLocal(model)) return;
  throw new ModelUnavailableError(
    `This workroom is limited to local models (local_models_only), and "${model}" is not local: ` +
      "its prompts would leave this machine. Use an embedded model (local:<file.gguf> or a preset) or an " +
      "OpenAI-compatible server on this machine (ollama:<model> at http://localhost:11434/v1), or turn " +
      "the flag off for this workroom.",
  );
}
