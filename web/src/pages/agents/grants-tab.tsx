// The builder's Tools and Context tabs: the tools an agent may call (built-ins and the workspace's
// MCP tools), and what it may read — which kinds of pasted input and which other tasks' outputs.
import { Wrench } from "lucide-react";
import { Link } from "react-router";
import { Checkbox } from "../../ui/field";
import { EmptyState, ErrorNote, LoadingRows } from "../../ui/surface";
import {
  INPUT_KIND_LABEL,
  INPUT_KINDS,
  TASK_OUTPUTS_LABEL,
  type ContextGrants,
} from "./agent-draft";
import type { DraftProps } from "./identity-tab";
import { useTools } from "./queries";

export function ToolsTab({ draft, set, errors }: DraftProps) {
  const tools = useTools();
  const granted = new Set(draft.tool_grants);
  const toggle = (name: string, on: boolean) =>
    set({
      tool_grants: on ? [...draft.tool_grants, name] : draft.tool_grants.filter((t) => t !== name),
    });
  const known = new Set((tools.data ?? []).map((t) => t.name));
  const gone = draft.tool_grants.filter((t) => tools.data && !known.has(t));
  return (
    <fieldset className="flex flex-col gap-4">
      <legend className="mb-1 text-sm text-muted">
        Tools this agent may call while it works. A task can only use a tool its agent is granted.
      </legend>
      {errors.tool_grants && (
        <p className="text-sm font-medium text-danger">{errors.tool_grants}</p>
      )}
      {tools.isPending ? (
        <LoadingRows rows={3} label="Loading tools" />
      ) : !tools.data ? (
        <ErrorNote
          error={tools.error}
          title="The list of tools could not be loaded"
          retry={() => void tools.refetch()}
        />
      ) : tools.data.length === 0 ? (
        <EmptyState icon={Wrench} title="No tools to grant">
          Owners and admins can connect MCP servers under{" "}
          <Link className="text-primary underline" to="/settings/tools">
            Settings → Tools
          </Link>
          .
        </EmptyState>
      ) : (
        <ul className="flex flex-col divide-y divide-border rounded-lg border border-border">
          {tools.data.map((t) => (
            <li key={t.name} className="px-4 py-3">
              <Checkbox
                label={<span className="font-mono text-[13px] font-medium">{t.name}</span>}
                hint={t.description}
                checked={granted.has(t.name)}
                onChange={(e) => toggle(t.name, e.target.checked)}
              />
            </li>
          ))}
        </ul>
      )}
      {(gone.length > 0 || (tools.isError && draft.tool_grants.length > 0)) && (
        <div className="flex flex-col gap-2">
          <p className="text-sm font-medium">
            {tools.isError ? "Granted now" : "Granted, but no longer offered by the workspace"}
          </p>
          <ul className="flex flex-col divide-y divide-border rounded-lg border border-border">
            {(tools.isError ? draft.tool_grants : gone).map((name) => (
              <li key={name} className="px-4 py-3">
                <Checkbox
                  label={<span className="font-mono text-[13px] font-medium">{name}</span>}
                  hint="Untick to revoke."
                  checked
                  onChange={() => toggle(name, false)}
                />
              </li>
            ))}
          </ul>
        </div>
      )}
    </fieldset>
  );
}

export function ContextTab({ draft, set, errors }: DraftProps) {
  const grants = draft.context_grants;
  const change = (c: Partial<ContextGrants>) => set({ context_grants: { ...grants, ...c } });
  const all = grants.input_kinds === "all";
  const kinds = new Set(all ? INPUT_KINDS : grants.input_kinds);
  return (
    <div className="flex flex-col gap-6">
      {errors.context_grants && (
        <p className="text-sm font-medium text-danger">{errors.context_grants}</p>
      )}
      <fieldset className="flex flex-col gap-3">
        <legend className="mb-1 text-sm font-medium">Pasted material it may read</legend>
        <Checkbox
          label="Every kind of input"
          hint="Also any kind added later."
          checked={all}
          onChange={(e) => change({ input_kinds: e.target.checked ? "all" : [...INPUT_KINDS] })}
        />
        <div className="grid gap-2 pl-6 sm:grid-cols-2">
          {INPUT_KINDS.map((k) => (
            <Checkbox
              key={k}
              label={INPUT_KIND_LABEL[k]}
              checked={kinds.has(k)}
              disabled={all}
              onChange={(e) =>
                change({
                  input_kinds: e.target.checked
                    ? INPUT_KINDS.filter((x) => kinds.has(x) || x === k)
                    : INPUT_KINDS.filter((x) => kinds.has(x) && x !== k),
                })
              }
            />
          ))}
        </div>
        {!all && kinds.size === 0 && (
          <p className="border-l-2 border-warning pl-2 text-sm text-fg">
            It reads no pasted material: it works only from its task and other tasks’ outputs.
          </p>
        )}
      </fieldset>
      <fieldset className="flex flex-col gap-3">
        <legend className="mb-1 text-sm font-medium">Other tasks’ outputs it may read</legend>
        {(Object.keys(TASK_OUTPUTS_LABEL) as ContextGrants["task_outputs"][]).map((v) => (
          <label key={v} className="flex items-center gap-2 text-sm">
            <input
              type="radio"
              name="task-outputs"
              value={v}
              checked={grants.task_outputs === v}
              onChange={() => change({ task_outputs: v })}
              className="size-4 accent-primary"
            />
            {TASK_OUTPUTS_LABEL[v]}
            {v === "dependencies" && <span className="text-muted">(default)</span>}
          </label>
        ))}
      </fieldset>
    </div>
  );
}
