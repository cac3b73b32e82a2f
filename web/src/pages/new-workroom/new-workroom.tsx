// The new-workroom form (SPEC 7): the work, its material (paste blocks and files), constraints,
// agents and style, with the server's estimate beside it. Start creates the room and starts it;
// Save as draft only creates it. The server's refusals appear at the top and on their fields.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { ArrowLeft, Lock, Plus, Play, Save, X } from "lucide-react";
import { useMemo, useRef, useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import { toast } from "sonner";
import { api, ApiError, call, describeError, useIdempotencyKey } from "../../api/client";
import { useWorkspace } from "../../app/session";
import { Button, ButtonLink } from "../../ui/button";
import { Checkbox, TextArea, TextField } from "../../ui/field";
import { Card, CardBody, CardHeader, EmptyState, Page } from "../../ui/surface";
import { usePageTitle } from "../../ui/title";
import { inferGoal } from "../../../../src/domain/inputs";
import { AgentPicker, StyleOverride } from "./agents-style";
import {
  capOf,
  emptyDraft,
  fieldErrors,
  inputsOf,
  MAX_DELIVERABLES,
  measure,
  newKey,
  sentBlocks,
  toRequest,
  type FieldErrors,
  type WorkroomDraft,
} from "./draft";
import { EstimatePanel, useDraftEstimate } from "./estimate";
import { PasteBlocks } from "./paste-blocks";

const NO_ERRORS: FieldErrors = { fields: {}, rows: {}, all: [] };

export function NewWorkroomPage() {
  const { can } = useWorkspace();
  usePageTitle("New workroom", "Workrooms");
  if (!can("workroom.write"))
    return (
      <Page title="New workroom">
        <EmptyState icon={Lock} title="Your role cannot create workrooms">
          Viewers can read workrooms, deliverables and activity, but not create or run them. Ask an
          owner or admin of this workspace to make you a member.
        </EmptyState>
      </Page>
    );
  return <NewWorkroomForm canBuildAgents={can("agent.write")} />;
}

function NewWorkroomForm({ canBuildAgents }: { canBuildAgents: boolean }) {
  const [draft, setDraft] = useState<WorkroomDraft>(emptyDraft);
  const [errors, setErrors] = useState<FieldErrors>(NO_ERRORS);
  const [formError, setFormError] = useState<{ title: string; lines: string[] } | null>(null);
  const summary = useRef<HTMLDivElement>(null);
  const navigate = useNavigate();
  const qc = useQueryClient();

  const set = <K extends keyof WorkroomDraft>(key: K, value: WorkroomDraft[K]) =>
    setDraft((d) => ({ ...d, [key]: value }));

  const limits = useMemo(() => measure(draft.blocks), [draft.blocks]);
  const cap = capOf(draft);
  const estimate = useDraftEstimate(
    {
      inputs: inputsOf(draft),
      agent_ids: draft.agentIds,
      ...(cap !== undefined ? { max_credits: cap } : {}),
    },
    limits.problem === null,
  );
  const kinds = sentBlocks(draft).map((b) => b.kind);

  // Pressing Start again after a lost answer must not make a second room: the same draft goes
  // under the same key and the server answers the room the first press made.
  const idempotency = useIdempotencyKey(draft);
  const submit = useMutation({
    mutationFn: async (start: boolean) => {
      const room = await call(
        api.POST("/api/v1/workrooms", {
          body: toRequest(draft),
          headers: { "Idempotency-Key": idempotency.key() },
        }),
      );
      if (!start || room.state !== "draft") return { room, startError: null };
      try {
        const started = await call(
          api.POST("/api/v1/workrooms/{id}/start", { params: { path: { id: room.id } } }),
        );
        return { room: started, startError: null };
      } catch (e) {
        return { room, startError: e };
      }
    },
    onMutate: () => {
      setErrors(NO_ERRORS);
      setFormError(null);
    },
    onSuccess: ({ room, startError }, start) => {
      void qc.invalidateQueries({ queryKey: ["workrooms"] });
      if (startError)
        toast.error(`Saved as a draft, but it did not start: ${describeError(startError)}`);
      else toast.success(start ? `“${room.title}” started` : `“${room.title}” saved as a draft`);
      void navigate(`/workrooms/${room.id}`);
    },
    onError: (e) => {
      const details =
        e instanceof ApiError && Array.isArray(e.details) ? (e.details as string[]) : [];
      const mapped = fieldErrors(draft, details);
      if (e instanceof ApiError && e.code === "input_limit") mapped.fields.inputs = e.message;
      setErrors(mapped);
      setFormError(
        mapped.all.length
          ? { title: "The workroom was not saved. Change these and try again:", lines: mapped.all }
          : { title: "The workroom was not saved.", lines: [describeError(e)] },
      );
      requestAnimationFrame(() => summary.current?.focus());
    },
  });

  const blocked = limits.problem !== null;
  // Enter in a field does not start a room (that spends credits): Start is a deliberate press.
  const onSubmit = (e: FormEvent) => e.preventDefault();

  const deliverableRows = draft.deliverables;
  // As with paste blocks: a new row takes focus, a removed row's neighbour (or Add) takes it back.
  const focusRow = (key: string | undefined) =>
    requestAnimationFrame(() =>
      (key
        ? document.querySelector<HTMLElement>(`[data-deliverable="${key}"]`)
        : document.getElementById("add-deliverable")
      )?.focus(),
    );
  const setRow = (key: string, value: string) =>
    set(
      "deliverables",
      deliverableRows.map((r) => (r.key === key ? { ...r, value } : r)),
    );

  return (
    <Page
      title="New workroom"
      description="Paste the client's material, say what to deliver, and start: the Planner writes the plan, agents do the tasks, the Composer writes the document."
      back={
        <ButtonLink
          to="/"
          variant="ghost"
          size="sm"
          className="-ml-3 mb-1"
          icon={<ArrowLeft className="size-4" aria-hidden />}
        >
          Workrooms
        </ButtonLink>
      }
    >
      <form
        onSubmit={onSubmit}
        noValidate
        className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]"
      >
        <div className="flex min-w-0 flex-col gap-6">
          {formError && (
            <div
              ref={summary}
              tabIndex={-1}
              role="alert"
              className="rounded-lg border border-danger/40 bg-danger/10 px-4 py-3 text-sm"
            >
              <p className="font-semibold">{formError.title}</p>
              <ul className="mt-1 list-disc pl-5">
                {formError.lines.map((l) => (
                  <li key={l}>{l}</li>
                ))}
              </ul>
            </div>
          )}

          <Card aria-labelledby="work-title">
            <CardHeader title={<span id="work-title">The work</span>} />
            <CardBody className="flex flex-col gap-4">
              <div className="grid gap-4 sm:grid-cols-2">
                <TextField
                  label="Title"
                  value={draft.title}
                  maxLength={200}
                  aria-required
                  placeholder="e.g. Aurora Coffee — Q4 proposal"
                  onChange={(e) => set("title", e.target.value)}
                  error={errors.fields.title ?? null}
                />
                <TextField
                  label="Client (optional)"
                  value={draft.client}
                  maxLength={200}
                  placeholder="e.g. Aurora Coffee"
                  hint="Groups workrooms on the dashboard."
                  onChange={(e) => set("client", e.target.value)}
                  error={errors.fields.client ?? null}
                />
              </div>
              <TextArea
                label="Goal (optional)"
                value={draft.goal}
                rows={3}
                maxLength={4000}
                placeholder={inferGoal(kinds)}
                hint="One paragraph. Left empty, the workroom starts from the goal shown, inferred from the kinds of material."
                onChange={(e) => set("goal", e.target.value)}
                error={errors.fields.goal ?? null}
              />
              <fieldset className="flex flex-col gap-2">
                <legend className="text-sm font-medium">Deliverables</legend>
                <p className="text-xs text-muted" id="deliverables-hint">
                  Short labels for what the document must contain, e.g. “Proposal”, “Timeline”. At
                  least one.
                </p>
                {deliverableRows.map((r, i) => (
                  <div key={r.key} className="flex items-start gap-2">
                    <TextField
                      label={`Deliverable ${i + 1}`}
                      hideLabel
                      className="flex-1"
                      value={r.value}
                      maxLength={200}
                      placeholder={i === 0 ? "e.g. Proposal" : "Another deliverable"}
                      data-deliverable={r.key}
                      onChange={(e) => setRow(r.key, e.target.value)}
                      error={errors.rows[r.key] ?? null}
                    />
                    <Button
                      variant="ghost"
                      aria-label={`Remove deliverable ${i + 1}`}
                      disabled={deliverableRows.length === 1}
                      onClick={() => {
                        set(
                          "deliverables",
                          deliverableRows.filter((x) => x.key !== r.key),
                        );
                        focusRow(deliverableRows[i - 1]?.key ?? deliverableRows[i + 1]?.key);
                      }}
                      icon={<X className="size-4" aria-hidden />}
                    />
                  </div>
                ))}
                {errors.fields.deliverables && (
                  <p className="text-xs font-medium text-danger">{errors.fields.deliverables}</p>
                )}
                <div>
                  <Button
                    id="add-deliverable"
                    size="sm"
                    icon={<Plus className="size-4" aria-hidden />}
                    disabled={deliverableRows.length >= MAX_DELIVERABLES}
                    onClick={() => {
                      const row = { key: newKey("deliverable"), value: "" };
                      set("deliverables", [...deliverableRows, row]);
                      focusRow(row.key);
                    }}
                  >
                    Add deliverable
                  </Button>
                  {deliverableRows.length >= MAX_DELIVERABLES && (
                    <span className="ml-2 text-xs text-muted">
                      At most {MAX_DELIVERABLES} deliverables per workroom.
                    </span>
                  )}
                </div>
              </fieldset>
            </CardBody>
          </Card>

          <PasteBlocks
            blocks={draft.blocks}
            limits={limits}
            onChange={(blocks) => set("blocks", blocks)}
            rowErrors={errors.rows}
            error={errors.fields.inputs}
          />

          <Card aria-labelledby="constraints-title">
            <CardHeader title={<span id="constraints-title">Constraints</span>} />
            <CardBody className="flex flex-col gap-4">
              <div className="grid gap-4 sm:grid-cols-2">
                <TextField
                  label="Deadline (optional)"
                  type="date"
                  value={draft.deadline}
                  onChange={(e) => set("deadline", e.target.value)}
                  error={errors.fields.deadline ?? null}
                />
                <TextField
                  label="Credit cap (optional)"
                  type="number"
                  inputMode="numeric"
                  min={1}
                  step={1}
                  value={draft.maxCredits}
                  placeholder="No cap"
                  hint="A hard limit: the workroom pauses rather than spend past it."
                  onChange={(e) => set("maxCredits", e.target.value)}
                  error={errors.fields.max_credits ?? null}
                />
              </div>
              <Checkbox
                label="Redact personal data"
                hint="E-mail addresses, phone numbers and card or IBAN-like numbers in the material are masked before any model sees them."
                checked={draft.redactPii}
                onChange={(e) => set("redactPii", e.target.checked)}
              />
              <Checkbox
                label="Local models only"
                hint="Every model call of this workroom must go to a local model (for confidential clients); if none can take it, the workroom fails and says why."
                checked={draft.localModelsOnly}
                onChange={(e) => set("localModelsOnly", e.target.checked)}
              />
              <Checkbox
                label="Review the plan before work starts"
                hint="The workroom pauses after planning so someone can read the plan before credits go to the tasks."
                checked={draft.reviewPlan}
                onChange={(e) => set("reviewPlan", e.target.checked)}
              />
              {errors.fields.paste_flags && (
                <p className="text-xs font-medium text-danger">{errors.fields.paste_flags}</p>
              )}
            </CardBody>
          </Card>

          <AgentPicker
            selected={draft.agentIds}
            onChange={(ids) => set("agentIds", ids)}
            canBuild={canBuildAgents}
            error={errors.fields.agent_ids}
          />
          <StyleOverride
            value={draft.styleOverride}
            onChange={(v) => set("styleOverride", v)}
            error={errors.fields.style_override}
          />
        </div>

        <aside className="lg:sticky lg:top-6 lg:self-start" aria-label="Estimate and start">
          <Card>
            <CardBody className="flex flex-col gap-4">
              <EstimatePanel estimate={estimate} blockedBy={limits.problem} />
              <div className="flex flex-col gap-2 border-t border-border pt-4">
                <Button
                  variant="primary"
                  onClick={() => submit.mutate(true)}
                  busy={submit.isPending && submit.variables}
                  disabled={blocked || submit.isPending}
                  icon={<Play className="size-4" aria-hidden />}
                  aria-describedby={blocked ? "why-blocked" : undefined}
                >
                  Start workroom
                </Button>
                <Button
                  busy={submit.isPending && !submit.variables}
                  disabled={blocked || submit.isPending}
                  onClick={() => submit.mutate(false)}
                  icon={<Save className="size-4" aria-hidden />}
                  aria-describedby={blocked ? "why-blocked" : undefined}
                >
                  Save as draft
                </Button>
                {blocked ? (
                  <p id="why-blocked" className="text-xs font-medium text-danger">
                    The material is over the workroom’s limit: shorten or remove blocks to save or
                    start.
                  </p>
                ) : (
                  <p className="text-xs text-muted">
                    {draft.reviewPlan
                      ? "Start runs the Planner, then pauses for you to review the plan."
                      : "Start runs the Planner, then the agents and the Composer."}{" "}
                    A draft can be started later from its page.
                  </p>
                )}
              </div>
            </CardBody>
          </Card>
        </aside>
      </form>
    </Page>
  );
}
