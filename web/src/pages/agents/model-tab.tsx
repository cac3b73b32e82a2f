// The builder's Model tab: which model the agent calls (the workspace default unless one is named)
// and how freely it writes (temperature 0–2).
import { useId } from "react";
import { DEFAULT_PRICING } from "../../../../src/models/pricing";
import { Field, TextField } from "../../ui/field";
import type { DraftProps } from "./identity-tab";
import { useWorkspaceModels } from "./queries";

export function ModelTab({ draft, set, errors }: DraftProps) {
  const listId = useId();
  const models = useWorkspaceModels();
  const workspaceDefault = models.data?.default_model;
  const suggestions = [
    ...new Set(
      [workspaceDefault, models.data?.planner_model, ...Object.keys(DEFAULT_PRICING)].filter(
        (m): m is string => !!m,
      ),
    ),
  ];
  return (
    <div className="flex flex-col gap-6">
      <TextField
        label="Model"
        value={draft.model}
        onChange={(e) => set({ model: e.target.value })}
        list={listId}
        error={errors.model}
        spellCheck={false}
        autoComplete="off"
        placeholder={
          workspaceDefault ? `Workspace default (${workspaceDefault})` : "Workspace default"
        }
        hint="Leave empty to use the workspace default model. Otherwise name it as provider:model, e.g. anthropic:claude-sonnet-4-5 or ollama:qwen2.5:7b."
      />
      <datalist id={listId}>
        {suggestions.map((m) => (
          <option key={m} value={m}>
            {m === workspaceDefault ? "Workspace default" : undefined}
          </option>
        ))}
      </datalist>
      <Temperature
        value={draft.temperature}
        onChange={(temperature) => set({ temperature })}
        error={errors.temperature}
      />
    </div>
  );
}

function Temperature({
  value,
  onChange,
  error,
}: {
  value: number;
  onChange: (t: number) => void;
  error?: string;
}) {
  const hint =
    value <= 0.3
      ? "Focused: nearly the same answer every time. Good for extraction and figures."
      : value <= 0.9
        ? "Balanced: steady, with some variety. Suits most writing."
        : "Loose: varied and inventive, and more likely to wander.";
  return (
    <Field label="Temperature" error={error} hint={`${hint} From 0 (focused) to 2 (loose).`}>
      {(p) => (
        <div className="flex items-center gap-4">
          <input
            type="range"
            min={0}
            max={2}
            step={0.05}
            value={value}
            onChange={(e) => onChange(e.target.valueAsNumber)}
            aria-label="Temperature slider"
            aria-describedby={p["aria-describedby"]}
            className="h-2 flex-1 cursor-pointer accent-primary"
          />
          <input
            {...p}
            type="number"
            min={0}
            max={2}
            step={0.05}
            value={Number.isNaN(value) ? "" : value}
            onChange={(e) => onChange(e.target.valueAsNumber)}
            className="w-24 rounded-lg border border-border bg-surface px-3 py-2 text-sm tabular-nums shadow-sm focus:outline-2 focus:outline-offset-1 focus:outline-ring aria-[invalid=true]:border-danger"
          />
        </div>
      )}
    </Field>
  );
}
