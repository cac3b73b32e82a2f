// The seven Style Memory fields as people edit them: word lists as chips, voice examples as lines
// of their own, the structure and reading level as text, formality as a five-step dial.
import { Plus, X } from "lucide-react";
import { useId, useState, type KeyboardEvent } from "react";
import { Button } from "../../ui/button";
import { cn } from "../../ui/cn";
import { controlClass, Field, TextArea, TextField } from "../../ui/field";
import type { StyleRules } from "./agent-draft";

type ListKey = "tone_descriptors" | "banned_phrases" | "required_sections";

const LISTS: { key: ListKey; label: string; hint: string; noun: string; max: number }[] = [
  {
    key: "tone_descriptors",
    label: "Tone",
    hint: "Words that describe how it sounds. Press Enter after each.",
    noun: "tone word",
    max: 20,
  },
  {
    key: "banned_phrases",
    label: "Banned phrases",
    hint: "Never used: a draft that contains one is rewritten once, and any left are reported.",
    noun: "banned phrase",
    max: 100,
  },
  {
    key: "required_sections",
    label: "Required sections",
    hint: "Sections every document it writes must have, in order.",
    noun: "section",
    max: 30,
  },
];

export const FORMALITY: Record<number, string> = {
  1: "Casual",
  2: "Relaxed",
  3: "Neutral",
  4: "Formal",
  5: "Very formal",
};

export function StyleFields({
  rules,
  onChange,
  errors,
}: {
  rules: StyleRules;
  onChange: (next: StyleRules) => void;
  errors: Record<string, string>;
}) {
  const set = (c: Partial<StyleRules>) => onChange({ ...rules, ...c });
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      {LISTS.map((l) => (
        <ChipsField
          key={l.key}
          label={l.label}
          hint={l.hint}
          noun={l.noun}
          max={l.max}
          values={rules[l.key]}
          onChange={(v) => set({ [l.key]: v })}
          error={errors[l.key]}
        />
      ))}
      <FormalityDial
        value={rules.formality}
        onChange={(formality) => set({ formality })}
        error={errors.formality}
      />
      <TextArea
        label="Structural pattern"
        value={rules.structural_pattern}
        onChange={(e) => set({ structural_pattern: e.target.value })}
        error={errors.structural_pattern}
        hint="How its documents are built, e.g. “short headed sections, each opening with the point”."
        rows={3}
        maxLength={2000}
      />
      <TextField
        label="Reading level"
        value={rules.reading_level}
        onChange={(e) => set({ reading_level: e.target.value })}
        error={errors.reading_level}
        hint="Who can read it easily, e.g. “general business (grade 9–11)”."
        maxLength={200}
      />
      <VoiceExamples
        values={rules.voice_examples}
        onChange={(voice_examples) => set({ voice_examples })}
        error={errors.voice_examples}
      />
    </div>
  );
}

function ChipsField({
  label,
  hint,
  noun,
  max,
  values,
  onChange,
  error,
}: {
  label: string;
  hint: string;
  noun: string;
  max: number;
  values: string[];
  onChange: (v: string[]) => void;
  error?: string;
}) {
  const [text, setText] = useState("");
  const add = () => {
    const words = text
      .split(/[,\n]/)
      .map((w) => w.trim())
      .filter((w) => w && !values.includes(w));
    if (words.length) onChange([...values, ...words]);
    setText("");
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "Enter" || e.key === ",") {
      e.preventDefault();
      add();
    } else if (e.key === "Backspace" && text === "" && values.length > 0) {
      onChange(values.slice(0, -1));
    }
  };
  return (
    <Field
      label={label}
      hint={hint}
      error={error}
      aside={
        <span className="text-xs text-muted tabular-nums">
          {values.length} / {max}
        </span>
      }
    >
      {(p) => (
        <div
          className={cn(
            controlClass,
            "flex min-h-10 flex-wrap items-center gap-1.5 py-1.5 focus-within:outline-2 focus-within:outline-offset-1 focus-within:outline-ring",
          )}
          aria-invalid={p["aria-invalid"]}
        >
          {values.length > 0 && (
            <ul className="contents" aria-label={label}>
              {values.map((v) => (
                <li
                  key={v}
                  className="inline-flex max-w-full items-center gap-1 rounded-md bg-primary/10 py-0.5 pr-0.5 pl-2 text-sm text-fg"
                >
                  <span className="truncate">{v}</span>
                  <button
                    type="button"
                    onClick={() => onChange(values.filter((x) => x !== v))}
                    className="rounded p-0.5 text-muted hover:bg-primary/20 hover:text-fg focus-visible:outline-2 focus-visible:outline-ring"
                    aria-label={`Remove ${noun} “${v}”`}
                  >
                    <X className="size-3.5" aria-hidden />
                  </button>
                </li>
              ))}
            </ul>
          )}
          <input
            {...p}
            value={text}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={onKey}
            onBlur={add}
            placeholder={values.length ? `Add a ${noun}` : `Type a ${noun} and press Enter`}
            className="min-w-32 flex-1 bg-transparent py-1 text-sm outline-none placeholder:text-muted/80"
          />
        </div>
      )}
    </Field>
  );
}

function VoiceExamples({
  values,
  onChange,
  error,
}: {
  values: string[];
  onChange: (v: string[]) => void;
  error?: string;
}) {
  const id = useId();
  const setAt = (i: number, v: string) => onChange(values.map((x, j) => (j === i ? v : x)));
  return (
    <fieldset className="flex flex-col gap-2 lg:col-span-2" aria-describedby={`${id}-hint`}>
      <div className="flex items-baseline justify-between">
        <legend className="text-sm font-medium">Voice examples</legend>
        <span className="text-xs text-muted tabular-nums">{values.length} / 10</span>
      </div>
      <p id={`${id}-hint`} className="text-xs text-muted">
        Short excerpts in the voice to imitate. Every prompt of this agent receives them verbatim.
      </p>
      {values.map((v, i) => (
        <div key={i} className="flex items-start gap-2">
          <textarea
            value={v}
            onChange={(e) => setAt(i, e.target.value)}
            aria-label={`Voice example ${i + 1}`}
            rows={2}
            maxLength={1000}
            className={cn(controlClass, "min-h-14 flex-1")}
          />
          <Button
            variant="ghost"
            size="sm"
            className="mt-1"
            aria-label={`Remove voice example ${i + 1}`}
            onClick={() => onChange(values.filter((_, j) => j !== i))}
            icon={<X className="size-4" aria-hidden />}
          />
        </div>
      ))}
      <div>
        <Button
          size="sm"
          icon={<Plus className="size-4" aria-hidden />}
          disabled={values.length >= 10}
          onClick={() => onChange([...values, ""])}
        >
          Add voice example
        </Button>
      </div>
      {error && <p className="text-xs font-medium text-danger">{error}</p>}
    </fieldset>
  );
}

function FormalityDial({
  value,
  onChange,
  error,
}: {
  value: number;
  onChange: (v: number) => void;
  error?: string;
}) {
  const id = useId();
  return (
    <fieldset className="flex flex-col gap-1.5">
      <legend className="mb-1.5 text-sm font-medium">Formality</legend>
      <div className="grid grid-cols-5 gap-1 rounded-lg border border-border bg-surface-2 p-1">
        {[1, 2, 3, 4, 5].map((n) => (
          <label
            key={n}
            className={cn(
              "flex cursor-pointer flex-col items-center rounded-md px-1 py-1.5 text-center text-xs has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-ring",
              value === n
                ? "bg-surface font-semibold text-fg shadow-sm"
                : "text-muted hover:text-fg",
            )}
          >
            <input
              type="radio"
              name={`${id}-formality`}
              value={n}
              checked={value === n}
              onChange={() => onChange(n)}
              className="sr-only"
            />
            <span className="text-sm tabular-nums">{n}</span>
            <span className="truncate">{FORMALITY[n]}</span>
          </label>
        ))}
      </div>
      {error && <p className="text-xs font-medium text-danger">{error}</p>}
    </fieldset>
  );
}
