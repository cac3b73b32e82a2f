// Webhook use cases (SPEC 7): owners and admins configure outgoing webhooks, read each one's
// delivery log, send a test and redeliver. The signing secret is shown once, at creation and at
// rotation. Every change is audited; deliveries themselves are audited by the dispatcher.
import { randomBytes } from "node:crypto";
import type { z } from "zod";
import { DomainError } from "../domain/errors.js";
import { describeIssues } from "../domain/requests.js";
import { templateProblems } from "../domain/webhook-formats.js";
import {
  SECRET_PREFIX,
  WebhookCreateSchema,
  WebhookUpdateSchema,
  type DeliveryView,
  type WebhookView,
} from "../domain/webhooks.js";
import { poolExec } from "../engine/deps.js";
import { withTx } from "../engine/tx.js";
import { enqueueRedelivery, enqueueTestDelivery } from "../engine/webhooks.js";
import { audit } from "../store/audit.js";
import type { Exec } from "../store/exec.js";
import { findDelivery, listDeliveries, type WebhookDelivery } from "../store/webhook-deliveries.js";
import * as store from "../store/webhooks.js";
import { authorize, type Actor, type AppDeps } from "./context.js";

const iso = (ms: number): string => new Date(ms).toISOString();

export function webhookView(w: store.Webhook): WebhookView {
  return {
    id: w.id,
    name: w.name,
    url: w.url,
    format: w.format,
    template: w.template,
    events: w.events,
    active: w.active,
    created_by: w.createdBy,
    created_at: iso(w.createdAt),
    updated_at: iso(w.updatedAt),
  };
}

export function deliveryView(d: WebhookDelivery): DeliveryView {
  return {
    id: d.id,
    webhook_id: d.webhookId,
    event_type: d.eventType,
    status: d.status,
    attempts: d.attempts,
    next_attempt_at: d.status === "pending" ? iso(d.nextAttemptAt) : null,
    last_status_code: d.lastStatusCode,
    last_response: d.lastResponse,
    last_error: d.lastError,
    created_at: iso(d.createdAt),
    delivered_at: d.deliveredAt === null ? null : iso(d.deliveredAt),
    payload: { ...d.payload },
  };
}

/** A new signing secret (shown once where it is made). */
export const newWebhookSecret = (): string => SECRET_PREFIX + randomBytes(32).toString("base64url");

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (!r.success)
    throw new DomainError("invalid_input", `The webhook is invalid: ${describeIssues(r.error)}`);
  return r.data;
}

function checkTemplate(format: string, template: string | null | undefined): void {
  if (format !== "custom") return;
  const problems = templateProblems(template);
  if (problems.length > 0)
    throw new DomainError(
      "invalid_input",
      `The custom template cannot be used: ${problems.join("; ")}.`,
      problems,
    );
}

async function mustFind(ex: Exec, actor: Actor, id: string): Promise<store.Webhook> {
  const w = await store.findWebhook(ex, actor.workspaceId, id);
  if (!w) throw new DomainError("not_found", "No such webhook in this workspace.");
  return w;
}

export async function createWebhook(
  deps: AppDeps,
  actor: Actor,
  input: unknown,
): Promise<{ webhook: WebhookView; secret: string }> {
  authorize(actor, "settings.manage");
  const w = parse(WebhookCreateSchema, input);
  checkTemplate(w.format, w.template);
  const secret = newWebhookSecret();
  const created = await withTx(deps, async (tx) => {
    const hook = await store.insertWebhook(
      tx.ex,
      {
        ...w,
        template: w.template ?? null,
        workspaceId: actor.workspaceId,
        secret,
        createdBy: actor.id,
      },
      tx.now,
    );
    await audit(
      tx.ex,
      actor.workspaceId,
      {
        actor: actor.id,
        action: "webhook.created",
        target: hook.id,
        data: { name: hook.name, url: hook.url, format: hook.format, events: hook.events },
      },
      tx.now,
    );
    return hook;
  });
  return { webhook: webhookView(created), secret };
}

export async function listWebhooks(deps: AppDeps, actor: Actor): Promise<WebhookView[]> {
  authorize(actor, "settings.manage");
  return (await store.listWebhooks(poolExec(deps), actor.workspaceId)).map(webhookView);
}

export async function getWebhook(deps: AppDeps, actor: Actor, id: string): Promise<WebhookView> {
  authorize(actor, "settings.manage");
  return webhookView(await mustFind(poolExec(deps), actor, id));
}

export async function updateWebhook(
  deps: AppDeps,
  actor: Actor,
  id: string,
  input: unknown,
): Promise<WebhookView> {
  authorize(actor, "settings.manage");
  const patch = parse(WebhookUpdateSchema, input);
  return webhookView(
    await withTx(deps, async (tx) => {
      const before = await mustFind(tx.ex, actor, id);
      checkTemplate(
        patch.format ?? before.format,
        patch.template !== undefined ? patch.template : before.template,
      );
      const after = await store.updateWebhook(tx.ex, actor.workspaceId, id, patch, tx.now);
      await audit(
        tx.ex,
        actor.workspaceId,
        {
          actor: actor.id,
          action: "webhook.updated",
          target: id,
          data: { changed: Object.keys(patch) },
        },
        tx.now,
      );
      return after!;
    }),
  );
}

/** A new signing secret, shown once; the old one stops working at once. */
export async function rotateWebhookSecret(
  deps: AppDeps,
  actor: Actor,
  id: string,
): Promise<{ webhook: WebhookView; secret: string }> {
  authorize(actor, "settings.manage");
  const secret = newWebhookSecret();
  const hook = await withTx(deps, async (tx) => {
    const hook = await mustFind(tx.ex, actor, id);
    await store.setWebhookSecret(tx.ex, actor.workspaceId, id, secret, tx.now);
    await audit(
      tx.ex,
      actor.workspaceId,
      { actor: actor.id, action: "webhook.secret_rotated", target: id },
      tx.now,
    );
    return hook;
  });
  return { webhook: webhookView(hook), secret };
}

export async function deleteWebhook(deps: AppDeps, actor: Actor, id: string): Promise<void> {
  authorize(actor, "settings.manage");
  await withTx(deps, async (tx) => {
    const hook = await mustFind(tx.ex, actor, id);
    await store.deleteWebhook(tx.ex, actor.workspaceId, id);
    await audit(
      tx.ex,
      actor.workspaceId,
      {
        actor: actor.id,
        action: "webhook.deleted",
        target: id,
        data: { name: hook.name, url: hook.url },
      },
      tx.now,
    );
  });
}

export async function listWebhookDeliveries(
  deps: AppDeps,
  actor: Actor,
  id: string,
  page: { limit?: number; before?: string | null } = {},
): Promise<{ deliveries: DeliveryView[]; next: string | null }> {
  authorize(actor, "settings.manage");
  const ex = poolExec(deps);
  await mustFind(ex, actor, id);
  const limit = Math.min(Math.max(page.limit ?? 50, 1), 200);
  const r = await listDeliveries(ex, actor.workspaceId, id, { limit, before: page.before ?? null });
  return { deliveries: r.deliveries.map(deliveryView), next: r.next };
}

/** Queues a `webhook.test` delivery now (even to an inactive webhook); returns its id. */
export async function testWebhook(
  deps: AppDeps,
  actor: Actor,
  id: string,
): Promise<{ delivery_id: string }> {
  authorize(actor, "settings.manage");
  const deliveryId = await withTx(deps, async (tx) => {
    const hook = await mustFind(tx.ex, actor, id);
    const deliveryId = await enqueueTestDelivery(tx, hook, actor.id);
    await audit(
      tx.ex,
      actor.workspaceId,
      {
        actor: actor.id,
        action: "webhook.test_sent",
        target: id,
        data: { delivery_id: deliveryId },
      },
      tx.now,
    );
    return deliveryId;
  });
  return { delivery_id: deliveryId };
}

/** Sends a finished delivery's body again, as a new delivery with its own attempts. */
export async function redeliver(
  deps: AppDeps,
  actor: Actor,
  id: string,
  deliveryId: string,
): Promise<{ delivery_id: string }> {
  authorize(actor, "settings.manage");
  const newId = await withTx(deps, async (tx) => {
    await mustFind(tx.ex, actor, id);
    const original = await findDelivery(tx.ex, actor.workspaceId, deliveryId);
    if (!original || original.webhookId !== id)
      throw new DomainError("not_found", "No such delivery of this webhook.");
    if (original.status === "pending")
      throw new DomainError(
        "conflict",
        `Delivery ${deliveryId} is still being attempted; redeliver it once it has failed.`,
      );
    const created = await enqueueRedelivery(tx, original);
    await audit(
      tx.ex,
      actor.workspaceId,
      {
        actor: actor.id,
        action: "webhook.redelivered",
        target: id,
        data: { delivery_id: created, original_id: deliveryId },
      },
      tx.now,
    );
    return created;
  });
  return { delivery_id: newId };
}
