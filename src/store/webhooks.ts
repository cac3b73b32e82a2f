// Webhooks of a workspace and their secrets. Delivery rows (the durable outbox) are in
// webhook-deliveries.ts. Every query of a person's data takes the workspace id.
import type { SubscribableEvent, WebhookFormat } from "../domain/webhooks.js";
import type { WebhookTable } from "./schema.js";
import { json, parseJson, type Exec } from "./exec.js";
import { newId } from "./ids.js";
import { precompiled } from "./prepared.js";

export interface Webhook {
  id: string;
  workspaceId: string;
  name: string;
  url: string;
  format: WebhookFormat;
  template: string | null;
  events: SubscribableEvent[];
  active: boolean;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
}

// The signing secret is sealed under the workspace key (SPEC 10) on write; reads come back opened
// by the store's OpenSealedPlugin.
const sealSecret = (ex: Exec, workspaceId: string, secret: string): string =>
  ex.seal(workspaceId, secret);

const toWebhook = (r: WebhookTable): Webhook => ({
  id: r.id,
  workspaceId: r.workspace_id,
  name: r.name,
  url: r.url,
  format: r.format as WebhookFormat,
  template: r.template,
  events: parseJson<SubscribableEvent[]>(r.events),
  active: r.active === 1,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export interface NewWebhook {
  workspaceId: string;
  name: string;
  url: string;
  format: WebhookFormat;
  template: string | null;
  events: readonly SubscribableEvent[];
  active: boolean;
  secret: string;
  createdBy: string;
}

export async function insertWebhook(ex: Exec, w: NewWebhook, now: Date): Promise<Webhook> {
  const at = now.getTime();
  const row: WebhookTable = {
    id: newId("webhook"),
    workspace_id: w.workspaceId,
    name: w.name,
    url: w.url,
    format: w.format,
    template: w.template,
    events: json(w.events),
    secret: sealSecret(ex, w.workspaceId, w.secret),
    active: w.active ? 1 : 0,
    created_by: w.createdBy,
    created_at: at,
    updated_at: at,
  };
  await ex.db.insertInto("webhooks").values(row).execute();
  return toWebhook(row);
}

export async function findWebhook(
  ex: Exec,
  workspaceId: string,
  id: string,
): Promise<Webhook | null> {
  const r = await ex.db
    .selectFrom("webhooks")
    .selectAll()
    .where("id", "=", id)
    .where("workspace_id", "=", workspaceId)
    .executeTakeFirst();
  return r ? toWebhook(r) : null;
}

export async function listWebhooks(ex: Exec, workspaceId: string): Promise<Webhook[]> {
  const rows = await ex.db
    .selectFrom("webhooks")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  return rows.map(toWebhook);
}

/** The webhook with its opened secret, for signing. */
export async function webhookForSending(
  ex: Exec,
  workspaceId: string,
  id: string,
): Promise<(Webhook & { secret: string }) | null> {
  const r = await ex.db
    .selectFrom("webhooks")
    .selectAll()
    .where("id", "=", id)
    .where("workspace_id", "=", workspaceId)
    .executeTakeFirst();
  return r ? { ...toWebhook(r), secret: r.secret } : null;
}

export type WebhookPatch = Partial<
  Pick<Webhook, "name" | "url" | "format" | "template" | "events" | "active">
>;

export async function updateWebhook(
  ex: Exec,
  workspaceId: string,
  id: string,
  patch: WebhookPatch,
  now: Date,
): Promise<Webhook | null> {
  await ex.db
    .updateTable("webhooks")
    .set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.url !== undefined ? { url: patch.url } : {}),
      ...(patch.format !== undefined ? { format: patch.format } : {}),
      ...(patch.template !== undefined ? { template: patch.template } : {}),
      ...(patch.events !== undefined ? { events: json(patch.events) } : {}),
      ...(patch.active !== undefined ? { active: patch.active ? 1 : 0 } : {}),
      updated_at: now.getTime(),
    })
    .where("id", "=", id)
    .where("workspace_id", "=", workspaceId)
    .execute();
  return findWebhook(ex, workspaceId, id);
}

export async function setWebhookSecret(
  ex: Exec,
  workspaceId: string,
  id: string,
  secret: string,
  now: Date,
): Promise<boolean> {
  const r = await ex.db
    .updateTable("webhooks")
    .set({ secret: sealSecret(ex, workspaceId, secret), updated_at: now.getTime() })
    .where("id", "=", id)
    .where("workspace_id", "=", workspaceId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Deletes the webhook and (cascade) its delivery log. */
export async function deleteWebhook(ex: Exec, workspaceId: string, id: string): Promise<boolean> {
  const r = await ex.db
    .deleteFrom("webhooks")
    .where("id", "=", id)
    .where("workspace_id", "=", workspaceId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

/**
 * Active webhooks of the workspace subscribed to any of `types`: one select on the workspace index
 * (a workspace has a handful of webhooks; the subscription filter runs here, not in SQL).
 */
export async function subscribedWebhooks(
  ex: Exec,
  workspaceId: string,
  types: ReadonlySet<SubscribableEvent>,
): Promise<{ id: string; events: SubscribableEvent[] }[]> {
  const { rows } = await SUBSCRIBED.execute(ex, { workspaceId });
  return rows
    .map((r) => ({ id: r.id, events: parseJson<SubscribableEvent[]>(r.events) }))
    .filter((w) => w.events.some((e) => types.has(e)));
}

// Read by every transaction that records history: precompiled, like the engine's other statements.
const SUBSCRIBED = precompiled((db, s) =>
  db
    .selectFrom("webhooks")
    .select(["id", "events"])
    .where("workspace_id", "=", s.text("workspaceId"))
    .where("active", "=", 1),
);
