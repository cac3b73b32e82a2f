// Which model a call uses: the agent's own, else the workspace default (the Planner may have a
// smaller one), refused up front when the room is limited to local models.
import type { Agent, Workroom, Workspace } from "../domain/types.js";
import { ModelUnavailableError } from "../models/errors.js";
import type { ModelGateway } from "../models/gateway.js";

export function modelFor(
  ws: Workspace,
  models: Pick<ModelGateway, "isLocal">,
  room: Workroom,
  agent: Agent | null,
  purpose: "plan" | "other",
): string {
  const model =
    agent?.model ?? (purpose === "plan" ? (ws.plannerModel ?? ws.defaultModel) : ws.defaultModel);
  if (room.pasteFlags.local_models_only && !models.isLocal(model))
    throw new ModelUnavailableError(
      `This workroom is limited to local models (local_models_only), but ${agent ? `agent "${agent.name}"` : "the workspace default"} uses "${model}". ` +
        "Set a local model (local:<file> or an OpenAI-compatible server such as ollama:<model>) for it, then replan.",
    );
  return model;
}
