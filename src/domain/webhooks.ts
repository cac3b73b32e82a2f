// Outgoing webhooks (SPEC 7): which history events become which webhook events, the shape of what a
// person configures, the signature headers and the retry schedule. Pure: rendering of the formats
// lives in webhook-formats.ts, signing (node:crypto) in integrations/webhooks/signature.ts.
import { z } from "zod";
import { hasUserinfo } from "./model-names.js";

/** The events a webhook can subscribe to. */
export const WEBHOOK_EVENTS = [
  "workroom.completed", // round 1 of the deliverable is composed
  "workroom.failed", // a step failed after its retries
  "approval.requested", // an approval task waits for a person
  "question.asked", // a user_input task waits for an answer
  "revision.requested", // a revision round was requested (and charged)
  "revision.completed", // a revision round finished; its draft is current
  "deliverable.exported", // a round was exported as .docx or .pdf
  "credits.threshold_crossed", // a room or the workspace allowance crossed its warning line
] as const;
export type SubscribableEvent = (typeof WEBHOOK_EVENTS)[number];

/** Sent only by the test-send endpoint, to every webhook regardless of its subscription. */
export const TEST_EVENT = "webhook.test";
export type WebhookEventType = SubscribableEvent | typeof TEST_EVENT;

export const WEBHOOK_FORMATS = ["generic", "slack", "custom"] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

/** A history event as the mapping needs it. */
export interface SourceEvent {
  type: string;
  data: Record<string, unknown>;
}

/**
 * The webhook event a history event stands for, or null (most events: tasks, model calls). Called
 * for every appended event, so it is a switch on the type and nothing more.
 */
export function webhookEventFor(e: SourceEvent): SubscribableEvent | null {
  switch (e.type) {
    case "state.changed":
      if (e.data.to === "failed") return "workroom.failed";
      if (e.data.command === "composed") return "workroom.completed";
      if (e.data.command === "revision_completed") return "revision.completed";
      return null;
    case "approval.requested":
    case "question.asked":
    case "revision.requested":
    case "deliverable.exported":
      return e.type;
    case "budget.threshold_crossed":
      return "credits.threshold_crossed";
    default:
      return null;
  }
}

/** The body every format starts from; the Generic JSON format sends exactly this. */
export interface WebhookEnvelope {
  /** The delivery id: stable across retries, so receivers can drop duplicates. */
  id: string;
  type: WebhookEventType;
  /** ISO 8601, the time of the source event. */
  created_at: string;
  workspace_id: string;
  data: WebhookEventData;
}

export interface WebhookEventData {
  /** The room the event happened in; absent for workspace events and test sends. */
  workroom?: { id: string; title: string; client: string | null };
  /** Who caused it: `usr_…`, `key_…`, `cli` or `engine`. */
  actor?: string;
  /** The history event's own fields (round, format, task title, reason…). */
  [key: string]: unknown;
}

// --- Configuration ---------------------------------------------------------------------------

const HttpUrl = z
  .string()
  .trim()
  .max(2_000)
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === "http:" || u.protocol === "https:") && u.hostname !== "";
    } catch {
      return false;
    }
  }, "must be an http:// or https:// URL")
  // As for a provider's base URL (model-names.ts): a credential in the address would be shown in
  // the webhook list and the delivery log to everyone who may read them.
  .refine(
    (s) => !hasUserinfo(s),
    "may not contain a user name or password (user:password@host); check deliveries with the signing secret instead",
  );

const Events = z
  .array(z.enum(WEBHOOK_EVENTS))
  .min(1, "subscribe to at least one event")
  .transform((events) => [...new Set(events)]);

export const WebhookCreateSchema = z.object({
  name: z.string().trim().min(1).max(100),
  url: HttpUrl,
  format: z.enum(WEBHOOK_FORMATS).default("generic"),
  /** The body of a custom webhook, with `{{…}}` placeholders (see docs/webhooks.md). */
  template: z.string().max(20_000).nullable().optional(),
  events: Events.default([...WEBHOOK_EVENTS]),
  active: z.boolean().default(true),
});
export type WebhookCreate = z.infer<typeof WebhookCreateSchema>;

export const WebhookUpdateSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    url: HttpUrl,
    format: z.enum(WEBHOOK_FORMATS),
    template: z.string().max(20_000).nullable(),
    events: Events,
    active: z.boolean(),
  })
  .partial();
export type WebhookUpdate = z.infer<typeof WebhookUpdateSchema>;

// --- Signature headers -----------------------------------------------------------------------

export const SIGNATURE_HEADER = "X-Atelya-Signature";
export const TIMESTAMP_HEADER = "X-Atelya-Timestamp";
export const EVENT_HEADER = "X-Atelya-Event";
export const DELIVERY_HEADER = "X-Atelya-Delivery";
/** A receiver refuses signatures older (or newer) than this, so a captured request cannot be replayed later. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;
export const SECRET_PREFIX = "whsec_";

/** What is signed: the timestamp and the exact bytes of the body, so neither can be swapped. */
export const signedContent = (timestamp: number, body: string): string => `${timestamp}.${body}`;

// --- Retries ---------------------------------------------------------------------------------

/** Attempts of one delivery before it is marked failed. */
export const MAX_DELIVERY_ATTEMPTS = 8;
/** Wait after failed attempt n (1-based), before jitter. */
const RETRY_DELAYS_MS = [
  10_000, // 10 s
  30_000, // 30 s
  120_000, // 2 min
  600_000, // 10 min
  1_800_000, // 30 min
  7_200_000, // 2 h
  21_600_000, // 6 h
];
/** ±20 %: receivers that went down together do not get every retry in the same second. */
const JITTER = 0.2;

/**
 * How long to wait after failed attempt `attempt` (1-based), given `random` in [0, 1); null when
 * that was the last attempt.
 */
export function retryDelayMs(attempt: number, random: number): number | null {
  if (attempt >= MAX_DELIVERY_ATTEMPTS) return null;
  const base = RETRY_DELAYS_MS[Math.max(0, attempt - 1)] ?? RETRY_DELAYS_MS.at(-1)!;
  const r = Math.min(Math.max(random, 0), 1);
  return Math.round(base * (1 - JITTER + 2 * JITTER * r));
}

/** The bounds of the wait after attempt n, for docs and tests. */
export function retryWindowMs(attempt: number): { min: number; max: number } | null {
  const min = retryDelayMs(attempt, 0);
  const max = retryDelayMs(attempt, 1);
  return min === null || max === null ? null : { min, max };
}

/** The first part of a receiver's answer kept in the delivery log. */
export const RESPONSE_EXCERPT_CHARS = 500;
export const excerpt = (text: string): string =>
  text.length <= RESPONSE_EXCERPT_CHARS ? text : text.slice(0, RESPONSE_EXCERPT_CHARS);

// --- API views -------------------------------------------------------------------------------

export const WebhookViewSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    url: z.string(),
    format: z.enum(WEBHOOK_FORMATS),
    template: z.string().nullable(),
    events: z.array(z.enum(WEBHOOK_EVENTS)),
    active: z.boolean(),
    created_by: z.string(),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .meta({ id: "Webhook" });
export type WebhookView = z.infer<typeof WebhookViewSchema>;

export const WebhookWithSecretSchema = z
  .object({
    webhook: WebhookViewSchema,
    /** Shown once: store it in the receiver; Atelya cannot show it again. */
    secret: z.string(),
  })
  .meta({ id: "WebhookWithSecret" });

export const DeliveryViewSchema = z
  .object({
    id: z.string(),
    webhook_id: z.string(),
    event_type: z.enum([...WEBHOOK_EVENTS, TEST_EVENT]),
    status: z.enum(["pending", "delivered", "failed"]),
    attempts: z.number().int(),
    next_attempt_at: z.iso.datetime().nullable(),
    last_status_code: z.number().int().nullable(),
    last_response: z.string().nullable(),
    last_error: z.string().nullable(),
    created_at: z.iso.datetime(),
    delivered_at: z.iso.datetime().nullable(),
    payload: z.record(z.string(), z.unknown()),
  })
  // No component name of its own: it only appears inside WebhookDeliveryPage, and the OpenAPI
  // generator names only schemas that are a route's whole body or response.
  .describe("One delivery of a webhook event, with its last attempt's outcome.");
export type DeliveryView = z.infer<typeof DeliveryViewSchema>;
