// Outgoing webhooks of the workspace (owners and admins): configuration, the signing secret (in
// the answers to create and rotate-secret only), the delivery log, test-send and redelivery.
import { z } from "zod";
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listWebhookDeliveries,
  listWebhooks,
  redeliver,
  rotateWebhookSecret,
  testWebhook,
  updateWebhook,
} from "../../app/webhooks.js";
import {
  DeliveryViewSchema,
  WebhookCreateSchema,
  WebhookUpdateSchema,
  WebhookViewSchema,
  WebhookWithSecretSchema,
} from "../../domain/webhooks.js";
import { DomainError } from "../../domain/errors.js";
import {
  addressList,
  hostOf,
  refusedLiteral,
} from "../../integrations/tools/builtins/fetch-guard.js";
import { defineRoute, type Route } from "../route.js";

/**
 * A receiver named by an internal address (an IP literal or localhost) is refused when it is saved,
 * since every delivery to it would be; a name that resolves to one is refused when a delivery
 * connects (integrations/webhooks/guarded-sender.ts). The server's allow-list lets both through.
 */
function checkReceiver(url: string | undefined, allow: readonly string[]): void {
  if (url === undefined || !URL.canParse(url)) return; // the body's schema says what is wrong
  const host = hostOf(new URL(url));
  if (refusedLiteral(host === "localhost" ? "127.0.0.1" : host, addressList(allow)))
    throw new DomainError(
      "invalid_input",
      `${host} is an internal address: webhooks are delivered to public addresses only, unless the server allows that address (ATELYA_WEBHOOK_ALLOW_ADDRESSES).`,
    );
}

const tags = ["webhooks"] as const;
const action = "settings.manage" as const;

const IdParams = z.object({ id: z.string().min(1).max(100) });
const DeliveryParams = IdParams.extend({ deliveryId: z.string().min(1).max(100) });
const WebhookListSchema = z
  .object({ webhooks: z.array(WebhookViewSchema) })
  .meta({ id: "WebhookList" });
const DeliveryPageSchema = z
  .object({
    deliveries: z.array(DeliveryViewSchema),
    /** Pass as `before` for the next (older) page; null on the last page. */
    next: z.string().nullable(),
  })
  .meta({ id: "WebhookDeliveryPage" });
const DeliveryQueuedSchema = z
  .object({ delivery_id: z.string() })
  .meta({ id: "WebhookDeliveryQueued" });
const DeliveryQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.string().min(1).max(100).optional(),
});

const list = defineRoute({
  method: "GET",
  path: "/api/v1/webhooks",
  operationId: "listWebhooks",
  summary: "The workspace's webhooks",
  tags,
  auth: "workspace",
  action,
  response: { kind: "json", schema: WebhookListSchema },
  handler: async ({ deps, actor }) => ({ webhooks: await listWebhooks(deps, actor) }),
});

const create = defineRoute({
  method: "POST",
  path: "/api/v1/webhooks",
  operationId: "createWebhook",
  summary: "Create a webhook; its signing secret is in this answer only",
  description:
    "Formats: `generic` (JSON envelope), `slack` (incoming-webhook message), `custom` (your template with `{{…}}` placeholders; an unknown placeholder is refused). Events default to all.",
  tags,
  auth: "workspace",
  action,
  body: WebhookCreateSchema,
  response: { kind: "json", schema: WebhookWithSecretSchema, status: 201 },
  handler: async ({ deps, config, actor, body }) => {
    checkReceiver(body.url, config.webhookAllowAddresses);
    return createWebhook(deps, actor, body);
  },
});

const get = defineRoute({
  method: "GET",
  path: "/api/v1/webhooks/:id",
  operationId: "getWebhook",
  summary: "One webhook (without its secret)",
  tags,
  auth: "workspace",
  action,
  params: IdParams,
  response: { kind: "json", schema: WebhookViewSchema },
  handler: async ({ deps, actor, params }) => getWebhook(deps, actor, params.id),
});

const update = defineRoute({
  method: "PATCH",
  path: "/api/v1/webhooks/:id",
  operationId: "updateWebhook",
  summary: "Change a webhook's name, URL, events, format, template or active flag",
  tags,
  auth: "workspace",
  action,
  params: IdParams,
  body: WebhookUpdateSchema,
  response: { kind: "json", schema: WebhookViewSchema },
  handler: async ({ deps, config, actor, params, body }) => {
    checkReceiver(body.url, config.webhookAllowAddresses);
    return updateWebhook(deps, actor, params.id, body);
  },
});

const remove = defineRoute({
  method: "DELETE",
  path: "/api/v1/webhooks/:id",
  operationId: "deleteWebhook",
  summary: "Delete a webhook and its delivery log",
  tags,
  auth: "workspace",
  action,
  params: IdParams,
  response: { kind: "empty", description: "Deleted." },
  handler: async ({ deps, actor, params }) => {
    await deleteWebhook(deps, actor, params.id);
  },
});

const rotate = defineRoute({
  method: "POST",
  path: "/api/v1/webhooks/:id/rotate-secret",
  operationId: "rotateWebhookSecret",
  summary: "Give a webhook a new signing secret (shown once); the old one stops at once",
  tags,
  auth: "workspace",
  action,
  params: IdParams,
  response: { kind: "json", schema: WebhookWithSecretSchema },
  handler: async ({ deps, actor, params }) => rotateWebhookSecret(deps, actor, params.id),
});

const test = defineRoute({
  method: "POST",
  path: "/api/v1/webhooks/:id/test",
  operationId: "testWebhook",
  summary: "Queue a webhook.test delivery now",
  description: "Sent even to an inactive webhook; follow it in the delivery log.",
  tags,
  auth: "workspace",
  action,
  params: IdParams,
  response: { kind: "json", schema: DeliveryQueuedSchema, status: 202 },
  handler: async ({ deps, actor, params }) => testWebhook(deps, actor, params.id),
});

const deliveries = defineRoute({
  method: "GET",
  path: "/api/v1/webhooks/:id/deliveries",
  operationId: "listWebhookDeliveries",
  summary: "The webhook's deliveries, newest first, with the last status code and answer",
  tags,
  auth: "workspace",
  action,
  params: IdParams,
  query: DeliveryQuery,
  response: { kind: "json", schema: DeliveryPageSchema },
  handler: async ({ deps, actor, params, query }) =>
    listWebhookDeliveries(deps, actor, params.id, query),
});

const redeliverRoute = defineRoute({
  method: "POST",
  path: "/api/v1/webhooks/:id/deliveries/:deliveryId/redeliver",
  operationId: "redeliverWebhookDelivery",
  summary: "Send a finished delivery's body again, as a new delivery",
  tags,
  auth: "workspace",
  action,
  params: DeliveryParams,
  response: { kind: "json", schema: DeliveryQueuedSchema, status: 202 },
  handler: async ({ deps, actor, params }) => redeliver(deps, actor, params.id, params.deliveryId),
});

export const routes: readonly Route[] = [
  list,
  create,
  get,
  update,
  remove,
  rotate,
  test,
  deliveries,
  redeliverRoute,
];
