// Says plainly when the workspace's rooms run on the scripted model (the default of a new
// workspace): its text is derived from the inputs by rules, not written by a language model, and
// someone who reads a deliverable should know that before sending it to a client.
import { FlaskConical } from "lucide-react";
import { isScripted } from "../../../src/domain/model-names";
import { useWorkspaceOverview } from "../pages/settings/queries";
import { ButtonLink } from "../ui/button";
import { useWorkspace } from "./session";

export function ScriptedNotice() {
  const overview = useWorkspaceOverview();
  const { can } = useWorkspace();
  if (!overview.data || !isScripted(overview.data.default_model)) return null;
  return (
    <aside
      aria-label="Scripted model"
      className="flex flex-wrap items-center gap-3 rounded-lg border border-info/30 bg-info/5 px-4 py-3 text-sm"
    >
      <FlaskConical className="size-4 shrink-0 text-info" aria-hidden />
      <p className="min-w-0 flex-1">
        <strong>This workspace runs on the scripted model.</strong> Plans and documents are put
        together from your inputs by fixed rules, to show how a workroom works; no language model
        writes them.{" "}
        {can("settings.manage")
          ? "Choose a real model to write client work."
          : "An owner or admin can choose a real model under Settings → Models."}
      </p>
      {can("settings.manage") && (
        <ButtonLink to="/settings/models" size="sm">
          Choose a model
        </ButtonLink>
      )}
    </aside>
  );
}
