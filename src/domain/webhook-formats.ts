// The three body formats of a webhook (SPEC 7): Generic JSON (the envelope as is), Slack (a
// readable message with the room title and a link) and Custom (a person's template with `{{…}}`
// placeholders). Pure; the same envelope renders the same bytes every time, so a retry signs and
// sends exactly what the first attempt did.
import type { WebhookEnvelope, WebhookFormat } from "./webhooks.js";

export interface RenderOptions {
  /** The custom template (format "custom" only). */
  template?: string | null;
  /** The web app's public address, for links to the room (none when not configured). */
  publicBaseUrl?: string | null;
}

export interface RenderedBody {
  body: string;
  contentType: string;
}

const JSON_TYPE = "application/json; charset=utf-8";

export function renderBody(
  format: WebhookFormat,
  envelope: WebhookEnvelope,
  options: RenderOptions = {},
): RenderedBody {
  switch (format) {
    case "generic":
      return { body: JSON.stringify(envelope), contentType: JSON_TYPE };
    case "slack":
      return { body: JSON.stringify(slackMessage(envelope, options)), contentType: JSON_TYPE };
    case "custom": {
      const body = renderTemplate(options.template ?? "", envelope, options);
      return { body, contentType: isJson(body) ? JSON_TYPE : "text/plain; charset=utf-8" };
    }
  }
}

/** The room's page in the web app. */
export function workroomUrl(publicBaseUrl: string, workroomId: string): string {
  return `${publicBaseUrl.replace(/\/+$/, "")}/workrooms/${encodeURIComponent(workroomId)}`;
}

const str = (v: unknown): string => (v === undefined || v === null ? "" : String(v));

/** One plain sentence saying what happened; the Slack text and `{{event.summary}}`. */
export function summarize(e: WebhookEnvelope): string {
  const d = e.data;
  const room = d.workroom ? `"${d.workroom.title}"` : "A workroom";
  switch (e.type) {
    case "workroom.completed":
      return `Workroom ${room} completed: the deliverable is ready.`;
    case "workroom.failed":
      return `Workroom ${room} failed: ${str(d.failure_reason ?? d.reason)}`;
    case "approval.requested":
      return `Workroom ${room} waits for approval: ${str(d.title)}`;
    case "question.asked":
      return `Workroom ${room} has a question: ${str(d.question)}`;
    case "revision.requested":
      return `Revision round ${str(d.round)} of ${room} requested (${str(d.preset)}).`;
    case "revision.completed":
      return `Workroom ${room}: ${str(d.reason)}.`;
    case "deliverable.exported":
      return `Round ${str(d.round)} of ${room} exported as ${str(d.filename)}.`;
    case "credits.threshold_crossed":
      return d.scope === "workspace"
        ? `The workspace has used ${str(d.used)} of its ${str(d.limit)} monthly credits.`
        : `Workroom ${room} has spent ${str(d.spent)} of its ${str(d.limit)}-credit cap.`;
    case "webhook.test":
      return "Test delivery from Atelya: this webhook is set up.";
  }
}

// --- Slack -----------------------------------------------------------------------------------

/** Slack's mrkdwn treats &, < and > as control characters. */
const slackEscape = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function slackMessage(
  e: WebhookEnvelope,
  options: RenderOptions = {},
): { text: string; blocks: unknown[] } {
  const text = summarize(e);
  let mrkdwn = slackEscape(text);
  const room = e.data.workroom;
  if (room && options.publicBaseUrl) {
    const quoted = slackEscape(`"${room.title}"`);
    const link = `<${workroomUrl(options.publicBaseUrl, room.id)}|${slackEscape(room.title)}>`;
    // A function, not a string: a title's "$&" or "$'" is not a replacement pattern.
    mrkdwn = mrkdwn.includes(quoted)
      ? mrkdwn.replace(quoted, () => `*${link}*`)
      : `${mrkdwn} ${link}`;
  } else if (room) {
    const quoted = slackEscape(`"${room.title}"`);
    mrkdwn = mrkdwn.replace(quoted, () => `*${slackEscape(room.title)}*`);
  }
  const context = [e.type, room?.client ? `client ${room.client}` : null, e.created_at]
    .filter((s): s is string => s !== null)
    .map(slackEscape)
    .join(" · ");
  return {
    text,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: mrkdwn } },
      { type: "context", elements: [{ type: "mrkdwn", text: context }] },
    ],
  };
}

// --- Custom templates ------------------------------------------------------------------------

/**
 * Every placeholder a template may use. String values are inserted JSON-escaped without quotes
 * (write `"{{workroom.title}}"`); `event.data` and `event.json` insert JSON values (no quotes).
 */
export const TEMPLATE_PLACEHOLDERS = [
  "event.id",
  "event.type",
  "event.created_at",
  "event.summary",
  "event.data",
  "event.json",
  "workspace.id",
  "workroom.id",
  "workroom.title",
  "workroom.client",
  "workroom.url",
  "actor",
] as const;
type Placeholder = (typeof TEMPLATE_PLACEHOLDERS)[number];

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** Problems of a template, one message each; empty means it can be saved. */
export function templateProblems(template: string | null | undefined): string[] {
  if (!template || template.trim() === "") return ["a custom webhook needs a template"];
  const problems: string[] = [];
  for (const m of template.matchAll(PLACEHOLDER)) {
    const name = m[1] ?? "";
    if (!(TEMPLATE_PLACEHOLDERS as readonly string[]).includes(name))
      problems.push(
        `unknown placeholder {{${name}}}; the placeholders are ${TEMPLATE_PLACEHOLDERS.join(", ")}`,
      );
  }
  return [...new Set(problems)];
}

/** JSON-escapes a string so it can sit between quotes in a JSON template. */
const jsonEscape = (s: string): string => JSON.stringify(s).slice(1, -1);

function placeholderValue(name: Placeholder, e: WebhookEnvelope, o: RenderOptions): string {
  const room = e.data.workroom;
  switch (name) {
    case "event.id":
      return jsonEscape(e.id);
    case "event.type":
      return jsonEscape(e.type);
    case "event.created_at":
      return jsonEscape(e.created_at);
    case "event.summary":
      return jsonEscape(summarize(e));
    case "event.data":
      return JSON.stringify(e.data);
    case "event.json":
      return JSON.stringify(e);
    case "workspace.id":
      return jsonEscape(e.workspace_id);
    case "workroom.id":
      return jsonEscape(room?.id ?? "");
    case "workroom.title":
      return jsonEscape(room?.title ?? "");
    case "workroom.client":
      return jsonEscape(room?.client ?? "");
    case "workroom.url":
      return jsonEscape(room && o.publicBaseUrl ? workroomUrl(o.publicBaseUrl, room.id) : "");
    case "actor":
      return jsonEscape(str(e.data.actor));
  }
}

export function renderTemplate(
  template: string,
  e: WebhookEnvelope,
  o: RenderOptions = {},
): string {
  return template.replace(PLACEHOLDER, (whole, name: string) =>
    (TEMPLATE_PLACEHOLDERS as readonly string[]).includes(name)
      ? placeholderValue(name as Placeholder, e, o)
      : whole,
  );
}

function isJson(s: string): boolean {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}
