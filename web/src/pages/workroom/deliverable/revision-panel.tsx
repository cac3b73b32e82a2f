// The revision panel: pick a preset, fill the form its argument schema draws, see what the round
// costs, and start it. While a round runs the panel shows its progress and refuses a second one;
// a failed round says why (the previous draft is untouched).
import { Loader2, Sparkles } from "lucide-react";
import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from "react";
import { toast } from "sonner";
import { describeError } from "../../../api/client";
import { Button } from "../../../ui/button";
import { SelectField, TextArea, TextField } from "../../../ui/field";
import { refocusAfterAction } from "../../../ui/focus";
import { credits, ago } from "../../../ui/format";
import { Card, CardBody, CardHeader, ErrorNote, Skeleton } from "../../../ui/surface";
import {
  argsToSend,
  missingArgs,
  presetFields,
  type Preset,
  type PresetField,
} from "./preset-form";
import {
  usePresets,
  useRequestRevision,
  useRevisions,
  type Revision,
  type Room,
  type RevisionRequest,
} from "./queries";
import { revisionRefusal, revisionRunning, SOFT_ROUND_LIMIT } from "./revision-state";

const SOURCES: { value: RevisionRequest["source"]; label: string }[] = [
  { value: "internal", label: "Our own review" },
  { value: "client_feedback", label: "The client's feedback" },
];

function ArgField({
  field,
  value,
  error,
  sections,
  onChange,
}: {
  field: PresetField;
  value: string;
  error?: string;
  sections: string[];
  onChange: (v: string) => void;
}) {
  const common = {
    label: field.required ? field.label : `${field.label} (optional)`,
    error,
    value,
    required: field.required,
    hint: field.hint,
  };
  switch (field.kind) {
    case "section":
      return (
        <SelectField {...common} onChange={(e) => onChange(e.target.value)}>
          <option value="">
            {field.required
              ? "Choose a section…"
              : field.name === "after_section"
                ? "At the end of the document"
                : "The whole document"}
          </option>
          {sections.map((title, i) => (
            <option key={i} value={String(i + 1)}>
              {i + 1}. {title}
            </option>
          ))}
        </SelectField>
      );
    case "enum":
      return (
        <SelectField {...common} onChange={(e) => onChange(e.target.value)}>
          {!field.required && <option value="">—</option>}
          {field.options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </SelectField>
      );
    case "number":
      return (
        <TextField
          {...common}
          type="number"
          inputMode="decimal"
          min={field.min}
          max={field.max}
          onChange={(e) => onChange(e.target.value)}
        />
      );
    case "text":
      return (
        <TextField
          {...common}
          maxLength={field.maxLength}
          onChange={(e) => onChange(e.target.value)}
        />
      );
    case "longtext":
      return (
        <TextArea
          {...common}
          rows={3}
          maxLength={field.maxLength}
          onChange={(e) => onChange(e.target.value)}
        />
      );
  }
}

function InFlight({
  id,
  room,
  revision,
  presets,
  focusAfter,
}: {
  id: string;
  room: Room;
  revision?: Revision;
  presets: Preset[];
  /** Where focus goes if it was here when the round ended (the form is back). */
  focusAfter: () => HTMLElement | null;
}) {
  // Removing a focused element fires no blur: what had focus when the round ended is this.
  const focused = useRef(false);
  const after = useRef(focusAfter);
  after.current = focusAfter;
  useEffect(
    () => () => {
      if (focused.current) refocusAfterAction(null, () => after.current());
    },
    [],
  );
  const label =
    presets.find((p) => p.slug === revision?.preset_slug)?.label ?? revision?.preset_slug;
  return (
    // Focusable from code: the form whose button started the round gives way to this.
    <div
      id={id}
      tabIndex={-1}
      className="flex flex-col gap-3 focus:outline-none"
      role="status"
      onFocus={() => (focused.current = true)}
      onBlur={() => (focused.current = false)}
    >
      <p className="flex items-center gap-2 text-sm font-medium">
        <Loader2 className="size-4 animate-spin text-primary" aria-hidden />
        Round {room.current_round} is being written…
      </p>
      <div
        role="progressbar"
        aria-label={`Revision round ${room.current_round} in progress`}
        className="h-1.5 overflow-hidden rounded-full bg-surface-2"
      >
        <div className="h-full w-1/3 rounded-full bg-primary motion-safe:animate-pulse" />
      </div>
      {revision && (
        <p className="text-sm text-muted">
          {label}
          {revision.args.target_section ? ` · section ${revision.args.target_section}` : ""} ·
          started {ago(revision.created_at)} · {credits(revision.credits)} charged
        </p>
      )}
      <p className="text-xs text-muted">
        The Composer rewrites only what the request targets. The new round appears here when it is
        done; you can ask for another one then.
      </p>
    </div>
  );
}

export function RevisionPanel({ room, sections }: { room: Room; sections: string[] }) {
  const presets = usePresets();
  const revisions = useRevisions(room.id);
  const request = useRequestRevision(room.id);
  const [slug, setSlug] = useState("tighten");
  const [values, setValues] = useState<Record<string, string>>({});
  const [source, setSource] = useState<RevisionRequest["source"]>("internal");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const inFlight = useId();
  const formId = useId();
  const firstField = () => document.getElementById(formId)?.querySelector("select") ?? null;

  const preset = presets.data?.find((p) => p.slug === slug) ?? presets.data?.[0];
  const fields = useMemo(() => (preset ? presetFields(preset) : []), [preset]);
  const running = revisionRunning(room);
  const refusal = revisionRefusal(room);
  const list = revisions.data?.revisions ?? [];
  const current = list.find((r) => r.round === room.current_round);
  const lastFailed = list.at(-1)?.status === "failed" ? list.at(-1) : undefined;
  const nextRound = room.current_round + 1;

  const choose = (next: string) => {
    setSlug(next);
    setErrors({});
    request.reset();
    if (next === "client_feedback") setSource("client_feedback");
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!preset || running) return;
    const missing = missingArgs(fields, values);
    setErrors(missing);
    if (Object.keys(missing).length) return;
    const pressed = document.activeElement;
    request.mutate(
      { preset_slug: preset.slug, preset_args: argsToSend(fields, values), source },
      {
        onSuccess: ({ revision }) => {
          toast.success(`Round ${revision.round} started — ${credits(revision.credits)} charged.`);
          setValues({});
        },
        // Started, the form (and "Start round" with it) gives way to the round's progress, which
        // takes focus (the form's first field, if the round is already over); refused, the
        // button that spun takes it back.
        onSettled: () =>
          refocusAfterAction(pressed, () => document.getElementById(inFlight) ?? firstField()),
      },
    );
  };

  return (
    <Card aria-label="Revise">
      <CardHeader
        title="Revise"
        description="Ask the Composer for a new round. Every round is kept and can be compared."
      />
      <CardBody className="flex flex-col gap-4">
        {presets.isPending && <Skeleton className="h-40 w-full" />}
        <ErrorNote
          error={presets.error}
          title="The revision presets could not be loaded"
          retry={() => void presets.refetch()}
        />
        {running && presets.data && (
          <InFlight
            id={inFlight}
            focusAfter={firstField}
            room={room}
            revision={current}
            presets={presets.data}
          />
        )}
        {lastFailed && !running && (
          <ErrorNote
            title={`Round ${lastFailed.round} failed`}
            error={
              new Error(
                `${lastFailed.error ?? "The revision did not finish."} Round ${room.final_round} is unchanged.`,
              )
            }
          />
        )}
        {presets.data && preset && !running && (
          <form id={formId} onSubmit={submit} noValidate className="flex flex-col gap-4">
            <fieldset
              disabled={request.isPending || refusal !== null}
              className="flex flex-col gap-4"
            >
              <legend className="sr-only">Revision request</legend>
              <SelectField
                label="Preset"
                value={preset.slug}
                onChange={(e) => choose(e.target.value)}
              >
                {presets.data.map((p) => (
                  <option key={p.slug} value={p.slug}>
                    {p.label}
                    {p.builtin ? "" : " (workspace)"}
                  </option>
                ))}
              </SelectField>
              {fields.map((f) => (
                <ArgField
                  key={`${preset.slug}-${f.name}`}
                  field={f}
                  value={values[f.name] ?? ""}
                  error={errors[f.name]}
                  sections={sections}
                  onChange={(v) => {
                    setValues((old) => ({ ...old, [f.name]: v }));
                    setErrors(({ [f.name]: _gone, ...rest }) => rest);
                  }}
                />
              ))}
              <SelectField
                label="Source"
                hint="Client feedback rounds are marked as such in the history."
                value={source}
                onChange={(e) => setSource(e.target.value as RevisionRequest["source"])}
              >
                {SOURCES.map((s) => (
                  <option key={s.value} value={s.value}>
                    {s.label}
                  </option>
                ))}
              </SelectField>
            </fieldset>
            {nextRound >= SOFT_ROUND_LIMIT && (
              <p className="rounded-lg border border-warning/40 bg-warning/10 px-3 py-2 text-sm">
                This will be round {nextRound}. Many rounds often mean the brief needs another look
                — consider one clear, combined instruction.
              </p>
            )}
            {refusal && <p className="text-sm text-muted">Not now: {refusal}.</p>}
            <ErrorNote error={request.error} />
            <div className="flex flex-wrap items-center justify-between gap-3 border-t border-border pt-4">
              <p className="text-sm text-muted" aria-live="polite">
                {revisions.data ? (
                  <>
                    Costs{" "}
                    <strong className="text-fg">
                      {credits(revisions.data.next_round_credits)}
                    </strong>
                    , charged when it starts.
                  </>
                ) : revisions.isError ? (
                  `The round's cost could not be loaded: ${describeError(revisions.error)}`
                ) : (
                  "Working out the cost…"
                )}
              </p>
              <Button
                type="submit"
                variant="primary"
                icon={<Sparkles className="size-4" aria-hidden />}
                busy={request.isPending}
                disabled={refusal !== null}
              >
                Start round {nextRound}
              </Button>
            </div>
          </form>
        )}
      </CardBody>
    </Card>
  );
}
