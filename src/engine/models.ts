// Which model a call uses: the agent's own, else the workspace default (the Planner may have a
// smaller one), refused up front when the room is limited to local models.
import type { Agent, Workroom, Workspace } from "../domain/types.js";
import type { ProviderCredentials } from "../models/config.js";
import { ModelUnavailableError } from "../models/errors.js";
import type { ModelGateway } from "../models/gateway.js";

/** The model that serves `agent`'s calls (or the room's Planner call, `purpose` "plan"). */
export function chosenModel(
  ws: Pick<Workspace, "defaultModel" | "plannerModel">,
  agent: Pick<Agent, "model"> | null,
  purpose: "plan" | "other",
): string {
  return (
    agent?.model ?? (purpose === "plan" ? (ws.plannerModel ?? ws.defaultModel) : ws.defaultModel)
  );
}

/** `credentials`: the workspace's own provider settings, whose base URL decides whether an
 *  OpenAI-compatible model is local (its calls go there, not to the environment's). */
export function modelFor(
  ws: Workspace,
  models: Pick<ModelGateway, "isLocal">,
  credentials: ProviderCredentials | undefined,
  room: Workroom,
  agent: Agent | null,
  purpose: "plan" | "other",
): string {
  const model = chosenModel(ws, agent, purpose);
  if (room.pasteFlags.local_models_only && !models.isLocal(model, credentials))
    throw new ModelUnavailableError(
      `This workroom is limited to local models (local_models_only), but ${agent ? `agent "${agent.name}"` : "this step"} uses "${model}"${agent?.model ? "" : " (the workspace default)"}, which is not on this machine. ` +
        "Set a local model (local:<file> or an OpenAI-compatible server on this machine such as ollama:<model>) for it, then replan.",
    );
  return model;
}
