// Creating or changing a webhook: name, URL, format (Generic JSON, Slack, or a custom template
// with placeholders), the events it receives and whether it is on. A new webhook's signing secret
// is shown once, in the same dialog, with a Copy button.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { toast } from "sonner";
import { api, call, type Schemas } from "../../api/client";
import { Button } from "../../ui/button";
import { cn } from "../../ui/cn";
import { Dialog } from "../../ui/dialog";
import { Checkbox, TextArea, TextField } from "../../ui/field";
import { ErrorNote } from "../../ui/surface";
import { ShownOnce } from "./common";

export type Webhook = Schemas["Webhook"];
export type WebhookEvent = Webhook["events"][number];
export type WebhookFormat = Webhook["format"];

/** Every subscribable event, in a person's words (docs/webhooks.md). */
export const EVENT_LABEL: Record<WebhookEvent, string> = {
  "workroom.completed": "A workroom's deliverable is composed",
  "workroom.failed": "A workroom failed",
  "approval.requested": "An approval waits for a person",
  "question.asked": "A question waits for an answer",
  "revision.requested": "A revision round was requested",
  "revision.completed": "A revision round finished",
  "deliverable.exported": "A deliverable was exported",
  "credits.threshold_crossed": "Credit use crossed 80 % of a cap or the allowance",
};
export const ALL_EVENTS = Object.keys(EVENT_LABEL) as WebhookEvent[];

export const FORMAT_LABEL: Record<WebhookFormat, string> = {
  generic: "Generic JSON",
  slack: "Slack",
  custom: "Custom template",
};
const FORMAT_HINT: Record<WebhookFormat, string> = {
  generic: "The JSON envelope: id, type, created_at, workspace_id and data.",
  slack: "An incoming-webhook message with one sentence and a context line.",
  custom: "Your body, with {{…}} placeholders filled in.",
};

const EXAMPLE_TEMPLATE =
  '{ "title": "{{workroom.title}}", "what": "{{event.summary}}", "details": {{event.data}} }';
const PLACEHOLDERS =
  "{{event.id}} {{event.type}} {{event.created_at}} {{event.summary}} {{workspace.id}} {{actor}} {{workroom.id}} {{workroom.title}} {{workroom.client}} {{workroom.url}} {{event.data}} {{event.json}}";

interface Draft {
  name: string;
  url: string;
  format: WebhookFormat;
  template: string;
  events: WebhookEvent[];
  active: boolean;
}

const draftOf = (w: Webhook | null): Draft => ({
  name: w?.name ?? "",
  url: w?.url ?? "",
  format: w?.format ?? "generic",
  template: w?.template ?? EXAMPLE_TEMPLATE,
  events: w?.events ?? ALL_EVENTS,
  active: w?.active ?? true,
});

function FormatPicker({
  value,
  onChange,
}: {
  value: WebhookFormat;
  onChange: (f: WebhookFormat) => void;
}) {
  const name = useId();
  return (
    <fieldset className="flex flex-col gap-2">
      <legend className="mb-1.5 text-sm font-medium">Format</legend>
      <div className="grid gap-2 sm:grid-cols-3">
        {(Object.keys(FORMAT_LABEL) as WebhookFormat[]).map((f) => (
          <label
            key={f}
            className={cn(
              "flex cursor-pointer flex-col gap-1 rounded-lg border p-3 text-sm has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-ring",
              value === f ? "border-primary bg-primary/5" : "border-border hover:bg-surface-2",
            )}
          >
            <span className="flex items-center gap-2 font-medium">
              <input
                type="radio"
                name={name}
                value={f}
                checked={value === f}
                onChange={() => onChange(f)}
                className="accent-primary"
              />
              {FORMAT_LABEL[f]}
            </span>
            <span className="text-xs text-muted">{FORMAT_HINT[f]}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function EventPicker({
  value,
  onChange,
}: {
  value: WebhookEvent[];
  onChange: (events: WebhookEvent[]) => void;
}) {
  const all = value.length === ALL_EVENTS.length;
  return (
    <fieldset className="flex flex-col gap-2">
      <div className="flex items-center justify-between gap-2">
        <legend className="text-sm font-medium">Events</legend>
        <Button size="sm" variant="ghost" onClick={() => onChange(all ? [] : ALL_EVENTS)}>
          {all ? "Clear all" : "Select all"}
        </Button>
      </div>
      <div className="grid gap-2 sm:grid-cols-2">
        {ALL_EVENTS.map((e) => (
          <Checkbox
            key={e}
            label={EVENT_LABEL[e]}
            hint={<code>{e}</code>}
            checked={value.includes(e)}
            onChange={(ev) =>
              onChange(
                ev.target.checked
                  ? ALL_EVENTS.filter((x) => x === e || value.includes(x))
                  : value.filter((x) => x !== e),
              )
            }
          />
        ))}
      </div>
      {value.length === 0 && (
        <p className="text-xs font-medium text-danger">Choose at least one event.</p>
      )}
    </fieldset>
  );
}

/** The create / edit dialog; `webhook` null creates. */
export function WebhookDialog({
  open,
  onOpenChange,
  webhook,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  webhook: Webhook | null;
}) {
  const qc = useQueryClient();
  const [draft, setDraft] = useState(() => draftOf(webhook));
  const [secret, setSecret] = useState<string | null>(null);
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setDraft((d) => ({ ...d, [k]: v }));
  const body = {
    name: draft.name,
    url: draft.url,
    format: draft.format,
    template: draft.format === "custom" ? draft.template : null,
    events: draft.events,
    active: draft.active,
  };
  const save = useMutation({
    mutationFn: async () => {
      if (webhook)
        return call(
          api.PATCH("/api/v1/webhooks/{id}", { params: { path: { id: webhook.id } }, body }),
        );
      const created = await call(api.POST("/api/v1/webhooks", { body }));
      setSecret(created.secret);
      return created.webhook;
    },
    onSuccess: async (w) => {
      toast.success(webhook ? `${w.name} saved` : `Webhook ${w.name} created`);
      await qc.invalidateQueries({ queryKey: ["webhooks"] });
      if (webhook) onOpenChange(false);
    },
  });
  const change = (next: boolean) => {
    if (!next) {
      setSecret(null);
      setDraft(draftOf(webhook));
      save.reset();
    }
    onOpenChange(next);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const formId = useId();
  return (
    <Dialog
      open={open}
      onOpenChange={change}
      wide
      title={secret ? "Webhook created" : webhook ? `Edit ${webhook.name}` : "New webhook"}
      description={
        secret
          ? undefined
          : "Atelya POSTs each chosen event to the URL, signed with the webhook's secret."
      }
      footer={
        secret ? (
          <Button variant="primary" onClick={() => change(false)}>
            Done
          </Button>
        ) : (
          <>
            <Button onClick={() => change(false)}>Cancel</Button>
            <Button
              type="submit"
              form={formId}
              variant="primary"
              busy={save.isPending}
              disabled={draft.events.length === 0}
            >
              {webhook ? "Save webhook" : "Create webhook"}
            </Button>
          </>
        )
      }
    >
      {secret ? (
        <ShownOnce label="Signing secret" value={secret}>
          <p className="font-medium">Copy the signing secret into your receiver now.</p>
          <p className="text-muted">
            It is shown only this once. Verify each request&rsquo;s X-Atelya-Signature with it; if
            it is lost, rotate the secret to get a new one.
          </p>
        </ShownOnce>
      ) : (
        <form id={formId} onSubmit={submit} className="flex flex-col gap-5">
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField
              label="Name"
              required
              maxLength={100}
              placeholder="Delivery channel"
              value={draft.name}
              onChange={(e) => set("name", e.target.value)}
            />
            <TextField
              label="URL"
              type="url"
              required
              spellCheck={false}
              placeholder="https://hooks.slack.com/services/…"
              value={draft.url}
              onChange={(e) => set("url", e.target.value)}
              hint="http:// or https://; redirects are not followed."
            />
          </div>
          <FormatPicker value={draft.format} onChange={(f) => set("format", f)} />
          {draft.format === "custom" && (
            <TextArea
              label="Template"
              required
              rows={5}
              spellCheck={false}
              className="[&_textarea]:font-mono [&_textarea]:text-xs"
              value={draft.template}
              onChange={(e) => set("template", e.target.value)}
              hint={`String placeholders are JSON-escaped without quotes, so write them inside quotes. Placeholders: ${PLACEHOLDERS}`}
            />
          )}
          <EventPicker value={draft.events} onChange={(ev) => set("events", ev)} />
          <Checkbox
            label="Active"
            hint="An inactive webhook receives nothing but test sends."
            checked={draft.active}
            onChange={(e) => set("active", e.target.checked)}
          />
          <ErrorNote error={save.error} title="The webhook was not saved" />
        </form>
      )}
    </Dialog>
  );
}
