// Webhook delivery rows: the durable outbox. A row is inserted in the transaction of the event that
// causes it (unique per webhook and event key, so a replayed transaction adds nothing), claimed by
// a dispatcher with a lease, and closed under its attempt number (the fencing token).
//
// A claim moves `next_attempt_at` to the lease's end, so "due" is one indexed condition
// (status, next_attempt_at) for fresh rows, retries and rows whose dispatcher died alike.
import type { WebhookEnvelope, WebhookEventType } from "../domain/webhooks.js";
import type { WebhookDeliveryTable } from "./schema.js";
import type { Selectable, UnknownRow } from "kysely";
import { SealedValueError, type Cipher } from "./crypto/cipher.js";
import { openRows } from "./crypto/open-plugin.js";
import { json, parseJson, type Exec } from "./exec.js";

export const DELIVERY_STATUSES = ["pending", "delivered", "failed"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface WebhookDelivery {
  id: string;
  workspaceId: string;
  webhookId: string;
  eventType: WebhookEventType;
  eventKey: string;
  payload: WebhookEnvelope;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: number;
  /** Set while a dispatcher is sending it. */
  leaseExpiresAt: number | null;
  lastStatusCode: number | null;
  lastResponse: string | null;
  lastError: string | null;
  createdAt: number;
  deliveredAt: number | null;
}

const toDelivery = (r: WebhookDeliveryTable): WebhookDelivery => ({
  id: r.id,
  workspaceId: r.workspace_id,
  webhookId: r.webhook_id,
  eventType: r.event_type as WebhookEventType,
  eventKey: r.event_key,
  payload: parseJson(r.payload),
  status: r.status as DeliveryStatus,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  leaseExpiresAt: r.lease_expires_at,
  lastStatusCode: r.last_status_code,
  lastResponse: r.last_response,
  lastError: r.last_error,
  createdAt: r.created_at,
  deliveredAt: r.delivered_at,
});

export interface NewDelivery {
  /** Also the envelope's id. */
  id: string;
  workspaceId: string;
  webhookId: string;
  eventKey: string;
  payload: WebhookEnvelope;
}

/** Inserts deliveries, skipping any whose (webhook, event key) exists; returns how many were new. */
export async function insertDeliveries(
  ex: Exec,
  rows: readonly NewDelivery[],
  now: Date,
): Promise<number> {
  if (rows.length === 0) return 0;
  const at = now.getTime();
  const inserted = await ex.db
    .insertInto("webhook_deliveries")
    .values(
      rows.map((d) => ({
        id: d.id,
        workspace_id: d.workspaceId,
        webhook_id: d.webhookId,
        event_type: d.payload.type,
        event_key: d.eventKey,
        // The envelope carries history data (questions, reasons, titles): sealed like the history.
        payload: ex.seal(d.workspaceId, json(d.payload)),
        status: "pending",
        attempts: 0,
        next_attempt_at: at,
        lease_expires_at: null,
        last_status_code: null,
        last_response: null,
        last_error: null,
        created_at: at,
        delivered_at: null,
      })),
    )
    .onConflict((oc) => oc.columns(["webhook_id", "event_key"]).doNothing())
    .returning("id")
    .execute();
  return inserted.length;
}

/** A claimed row whose payload does not open (sealed under another master key): set aside. */
export interface UnreadableDelivery {
  id: string;
  workspaceId: string;
  webhookId: string;
  eventType: string;
  eventKey: string;
  error: SealedValueError;
}

/** How a claim shares its slots among webhooks. */
export interface ClaimShare {
  /** At most this many deliveries of one webhook. */
  perWebhook: number;
  /** Webhooks not to claim for (the caller still has attempts to them in flight). */
  busy: readonly string[];
}

/**
 * Claims up to `limit` due deliveries for `leaseMs`, bumping their attempt number: at most
 * `share.perWebhook` of one webhook and none of a `share.busy` one, the webhooks whose deliveries
 * have waited longest first, so a receiver that hangs holds a few slots, not all of them. PostgreSQL
 * skips rows another dispatcher is claiming (`FOR UPDATE SKIP LOCKED`); SQLite's writer lock
 * serialises claims. A row whose payload does not open is marked failed, saying why, and returned
 * apart: it used to fail the whole claim, came first again every time, and no delivery went out
 * any more.
 */
export async function claimDeliveries(
  ex: Exec,
  cipher: Cipher,
  limit: number,
  leaseMs: number,
  now: number,
  share: ClaimShare = { perWebhook: limit, busy: [] },
): Promise<{ claimed: WebhookDelivery[]; unreadable: UnreadableDelivery[] }> {
  const dueFor = (webhookId?: string) => {
    let q = ex.db
      .selectFrom("webhook_deliveries")
      .where("status", "=", "pending")
      .where("next_attempt_at", "<=", now);
    if (webhookId !== undefined) q = q.where("webhook_id", "=", webhookId);
    else if (share.busy.length > 0) q = q.where("webhook_id", "not in", share.busy);
    return q;
  };
  const hooks = await dueFor()
    .select("webhook_id")
    .groupBy("webhook_id")
    .orderBy((eb) => eb.fn.min("next_attempt_at"))
    .limit(limit)
    .execute();
  const rows: Selectable<WebhookDeliveryTable>[] = [];
  for (const { webhook_id } of hooks) {
    const room = Math.min(share.perWebhook, limit - rows.length);
    if (room <= 0) break;
    const due = dueFor(webhook_id).select("id").orderBy("next_attempt_at").limit(room);
    const picked = ex.dialect === "postgres" ? due.forUpdate().skipLocked() : due;
    // Read sealed, and opened row by row below.
    const taken = await ex.db
      .withoutPlugins()
      .updateTable("webhook_deliveries")
      .set((eb) => ({
        attempts: eb("attempts", "+", 1),
        next_attempt_at: now + leaseMs,
        lease_expires_at: now + leaseMs,
      }))
      .where("id", "in", picked)
      .returningAll()
      .execute();
    rows.push(...taken);
  }
  const claimed: WebhookDelivery[] = [];
  const unreadable: UnreadableDelivery[] = [];
  for (const r of rows) {
    try {
      openRows(cipher, [r as unknown as UnknownRow]);
      claimed.push(toDelivery(r));
    } catch (e) {
      if (!(e instanceof SealedValueError)) throw e;
      unreadable.push({
        id: r.id,
        workspaceId: r.workspace_id,
        webhookId: r.webhook_id,
        eventType: r.event_type,
        eventKey: r.event_key,
        error: e,
      });
    }
  }
  // Rare (a key mix-up): one statement per row, each saying its own reason.
  for (const u of unreadable)
    await ex.db
      .updateTable("webhook_deliveries")
      .set({
        status: "failed",
        lease_expires_at: null,
        next_attempt_at: now,
        last_error: `Not sent: its payload cannot be read (${u.error.message})`,
      })
      .where("id", "=", u.id)
      .execute();
  return { claimed: claimed.sort((a, b) => a.createdAt - b.createdAt), unreadable };
}

export interface AttemptResult {
  statusCode: number | null;
  response: string | null;
  error: string | null;
  /** delivered, retry at a time, or failed for good */
  next: { status: "delivered" } | { status: "failed" } | { status: "pending"; at: number };
}

/** Stores an attempt's outcome if `attempt` still owns the row; false for a stale dispatcher. */
export async function finishAttempt(
  ex: Exec,
  id: string,
  attempt: number,
  result: AttemptResult,
  now: Date,
): Promise<boolean> {
  const r = await ex.db
    .updateTable("webhook_deliveries")
    .set({
      status: result.next.status,
      next_attempt_at: result.next.status === "pending" ? result.next.at : now.getTime(),
      lease_expires_at: null,
      last_status_code: result.statusCode,
      last_response: result.response,
      last_error: result.error,
      ...(result.next.status === "delivered" ? { delivered_at: now.getTime() } : {}),
    })
    .where("id", "=", id)
    .where("attempts", "=", attempt)
    .where("status", "=", "pending")
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function findDelivery(
  ex: Exec,
  workspaceId: string,
  id: string,
): Promise<WebhookDelivery | null> {
  const r = await ex.db
    .selectFrom("webhook_deliveries")
    .selectAll()
    .where("id", "=", id)
    .where("workspace_id", "=", workspaceId)
    .executeTakeFirst();
  return r ? toDelivery(r) : null;
}

/** A page of a webhook's deliveries, newest first; `before` is the id of the last row seen. */
export async function listDeliveries(
  ex: Exec,
  workspaceId: string,
  webhookId: string,
  page: { limit: number; before?: string | null },
): Promise<{ deliveries: WebhookDelivery[]; next: string | null }> {
  let q = ex.db
    .selectFrom("webhook_deliveries")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("webhook_id", "=", webhookId);
  if (page.before) {
    const cursor = await findDelivery(ex, workspaceId, page.before);
    if (cursor)
      q = q.where((eb) =>
        eb.or([
          eb("created_at", "<", cursor.createdAt),
          eb.and([eb("created_at", "=", cursor.createdAt), eb("id", "<", cursor.id)]),
        ]),
      );
  }
  const rows = await q
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(page.limit + 1)
    .execute();
  const deliveries = rows.slice(0, page.limit).map(toDelivery);
  return {
    deliveries,
    next: rows.length > page.limit ? (deliveries.at(-1)?.id ?? null) : null,
  };
}

/** When the next pending delivery falls due (or a lease runs out), for the dispatcher's sleep;
 *  the `busy` webhooks' deliveries are left out (the end of an attempt wakes the dispatcher). */
export async function nextDeliveryDueAt(
  ex: Exec,
  busy: readonly string[] = [],
): Promise<number | null> {
  let q = ex.db
    .selectFrom("webhook_deliveries")
    .select((eb) => eb.fn.min("next_attempt_at").as("at"))
    .where("status", "=", "pending");
  if (busy.length > 0) q = q.where("webhook_id", "not in", busy);
  const r = await q.executeTakeFirst();
  return r?.at === null || r?.at === undefined ? null : Number(r.at);
}
