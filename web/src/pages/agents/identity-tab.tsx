// The builder's Identity and Prompt tabs: who the agent is (name, icon, colour, role) and what it
// is told (the system prompt).
import { Check } from "lucide-react";
import { useId } from "react";
import { cn } from "../../ui/cn";
import { TextArea, TextField } from "../../ui/field";
import { number } from "../../ui/format";
import type { AgentDraft } from "./agent-draft";
import { AGENT_COLORS, AGENT_ICONS, AgentIcon } from "./agent-icon";

export interface DraftProps {
  draft: AgentDraft;
  set: (change: Partial<AgentDraft>) => void;
  errors: Record<string, string>;
}

export function IdentityTab({ draft, set, errors }: DraftProps) {
  return (
    <div className="flex flex-col gap-5">
      <div className="flex items-center gap-4 rounded-lg border border-border bg-surface-2 p-4">
        <AgentIcon icon={draft.icon} color={draft.color} size="lg" />
        <div className="min-w-0">
          <p className="truncate font-semibold">{draft.name.trim() || "Unnamed agent"}</p>
          <p className="line-clamp-2 text-sm text-muted">
            {draft.role_description.trim() || "Its role will show here."}
          </p>
        </div>
      </div>
      <TextField
        label="Name"
        value={draft.name}
        onChange={(e) => set({ name: e.target.value })}
        maxLength={80}
        error={errors.name}
        placeholder="e.g. Market researcher"
        hint="How the Planner and your team see it. Up to 80 characters."
      />
      <TextArea
        label="Role"
        value={draft.role_description}
        onChange={(e) => set({ role_description: e.target.value })}
        error={errors.role_description}
        placeholder="e.g. Finds market figures and competitors, and cites each source."
        hint="What it is good at. The Planner reads this when it picks an agent for a task."
        aside={<Counter n={draft.role_description.length} max={1000} />}
        rows={3}
      />
      <IconPicker
        value={draft.icon}
        color={draft.color}
        onChange={(icon) => set({ icon })}
        error={errors.icon}
      />
      <ColorPicker value={draft.color} onChange={(color) => set({ color })} error={errors.color} />
    </div>
  );
}

export function PromptTab({ draft, set, errors }: DraftProps) {
  return (
    <TextArea
      label="System prompt"
      value={draft.system_prompt}
      onChange={(e) => set({ system_prompt: e.target.value })}
      error={errors.system_prompt}
      rows={16}
      className="[&_textarea]:font-mono [&_textarea]:text-[13px]"
      placeholder="You are a senior market researcher at a branding agency. You write short, sourced findings…"
      hint="Sent before every task this agent does. Its Style Memory and the workroom's material are added by Atelya; pasted material is always treated as data, never as instructions."
      aside={<Counter n={draft.system_prompt.length} max={20_000} />}
    />
  );
}

function Counter({ n, max }: { n: number; max: number }) {
  return (
    <span
      className={cn("text-xs tabular-nums", n > max ? "font-medium text-danger" : "text-muted")}
    >
      {number(n)} / {number(max)}
    </span>
  );
}

function IconPicker({
  value,
  color,
  onChange,
  error,
}: {
  value: string;
  color: string;
  onChange: (icon: string) => void;
  error?: string;
}) {
  const id = useId();
  return (
    <fieldset
      className="flex flex-col gap-1.5"
      aria-describedby={error ? `${id}-error` : undefined}
    >
      <legend className="mb-1.5 text-sm font-medium">Icon</legend>
      <div className="flex flex-wrap gap-2">
        {Object.entries(AGENT_ICONS).map(([name, { label }]) => (
          <label
            key={name}
            title={label}
            className={cn(
              "cursor-pointer rounded-xl p-0.5 outline-offset-2 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-ring",
              value === name ? "ring-2 ring-primary" : "ring-1 ring-transparent hover:ring-border",
            )}
          >
            <input
              type="radio"
              name={`${id}-icon`}
              value={name}
              checked={value === name}
              onChange={() => onChange(name)}
              className="sr-only"
              aria-label={label}
            />
            <AgentIcon icon={name} color={value === name ? color : "#94a3b8"} size="sm" />
          </label>
        ))}
      </div>
      {error && (
        <p id={`${id}-error`} className="text-xs font-medium text-danger">
          {error}
        </p>
      )}
    </fieldset>
  );
}

function ColorPicker({
  value,
  onChange,
  error,
}: {
  value: string;
  onChange: (color: string) => void;
  error?: string;
}) {
  const id = useId();
  return (
    <fieldset className="flex flex-col gap-2">
      <legend className="mb-1.5 text-sm font-medium">Colour</legend>
      <div className="flex flex-wrap items-center gap-2">
        {AGENT_COLORS.map((c) => (
          <label
            key={c}
            className="grid size-8 cursor-pointer place-items-center rounded-full text-white shadow-sm outline-offset-2 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-ring"
            style={{ backgroundColor: c }}
          >
            <input
              type="radio"
              name={`${id}-color`}
              value={c}
              checked={value.toLowerCase() === c}
              onChange={() => onChange(c)}
              className="sr-only"
              aria-label={`Colour ${c}`}
            />
            {value.toLowerCase() === c && <Check className="size-4" aria-hidden />}
          </label>
        ))}
      </div>
      <div className="flex items-end gap-2">
        <input
          type="color"
          aria-label="Pick any colour"
          value={/^#[0-9a-fA-F]{6}$/.test(value) ? value : "#6366f1"}
          onChange={(e) => onChange(e.target.value)}
          className="h-10 w-12 cursor-pointer rounded-lg border border-border bg-surface p-1"
        />
        <TextField
          label="Hex value"
          value={value}
          onChange={(e) => onChange(e.target.value.trim())}
          error={error}
          className="w-40"
          maxLength={7}
          spellCheck={false}
        />
      </div>
    </fieldset>
  );
}
