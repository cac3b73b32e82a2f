// Queues webhook deliveries in the transaction of the events that cause them, so a crash can
// neither lose one (the event committed, the delivery did not) nor send one for an event that
// rolled back. `withTx` calls `enqueueWebhookDeliveries` right after a room's history is appended.
import { TEST_EVENT, webhookEventFor, type SubscribableEvent } from "../domain/webhooks.js";
import type { WebhookEnvelope, WebhookEventData } from "../domain/webhooks.js";
import type { Workroom } from "../domain/types.js";
import type { NewEvent } from "../store/events.js";
import { newId } from "../store/ids.js";
import { insertDeliveries, type NewDelivery } from "../store/webhook-deliveries.js";
import { subscribedWebhooks } from "../store/webhooks.js";
import type { Tx } from "./tx.js";

type RoomRef = Pick<Workroom, "id" | "workspaceId">;

/**
 * Maps a room's just-appended events (the last one has `lastSeq`) to webhook events and inserts a
 * delivery per subscribed webhook, keyed `<room>:<seq>`. Hot path: events that map to nothing (task
 * and model events) cost one switch each and no query.
 */
export async function enqueueWebhookDeliveries(
  tx: Tx,
  room: RoomRef,
  events: readonly NewEvent[],
  lastSeq: number,
): Promise<void> {
  let mapped: { type: SubscribableEvent; seq: number; event: NewEvent }[] | null = null;
  const first = lastSeq - events.length + 1;
  events.forEach((event, i) => {
    const type = webhookEventFor(event);
    if (type) (mapped ??= []).push({ type, seq: first + i, event });
  });
  if (mapped === null) return;
  const found: { type: SubscribableEvent; seq: number; event: NewEvent }[] = mapped;
  const hooks = await subscribedWebhooks(
    tx.ex,
    room.workspaceId,
    new Set(found.map((m) => m.type)),
  );
  if (hooks.length === 0) return;
  const info = await tx.ex.db
    .selectFrom("workrooms")
    .select(["title", "client"])
    .where("id", "=", room.id)
    .executeTakeFirstOrThrow();
  const workroom = { id: room.id, title: info.title, client: info.client };
  const rows: NewDelivery[] = [];
  for (const m of found)
    for (const hook of hooks.filter((h) => h.events.includes(m.type)))
      rows.push(
        delivery(tx, room.workspaceId, hook.id, `${room.id}:${m.seq}`, m.type, {
          ...m.event.data,
          workroom,
          actor: m.event.actor,
          history_seq: m.seq,
        }),
      );
  await insert(tx, rows);
}

/**
 * The one way to queue an event that is not in a room's history (a workspace-level notice):
 * every active webhook of the workspace subscribed to `type` gets one delivery per `eventKey`.
 */
export async function enqueueWorkspaceEvent(
  tx: Tx,
  workspaceId: string,
  type: SubscribableEvent,
  eventKey: string,
  data: WebhookEventData,
): Promise<number> {
  const hooks = await subscribedWebhooks(tx.ex, workspaceId, new Set([type]));
  return insert(
    tx,
    hooks.map((h) => delivery(tx, workspaceId, h.id, eventKey, type, data)),
  );
}

/** Queues a `webhook.test` delivery to one webhook now (whatever its subscription); returns its id. */
export async function enqueueTestDelivery(
  tx: Tx,
  webhook: { id: string; workspaceId: string },
  actor: string,
): Promise<string> {
  const row = delivery(tx, webhook.workspaceId, webhook.id, "", TEST_EVENT, { actor });
  row.eventKey = `test:${row.id}`;
  await insert(tx, [row]);
  return row.id;
}

/** Queues a new delivery of an earlier one's envelope (same `id` in the body, new delivery id). */
export async function enqueueRedelivery(
  tx: Tx,
  original: { id: string; workspaceId: string; webhookId: string; payload: WebhookEnvelope },
): Promise<string> {
  const id = newId("delivery");
  await insert(tx, [
    {
      id,
      workspaceId: original.workspaceId,
      webhookId: original.webhookId,
      eventKey: `redeliver:${original.id}:${id}`,
      payload: original.payload,
    },
  ]);
  return id;
}

function delivery(
  tx: Tx,
  workspaceId: string,
  webhookId: string,
  eventKey: string,
  type: WebhookEnvelope["type"],
  data: WebhookEventData,
): NewDelivery {
  const id = newId("delivery");
  const payload: WebhookEnvelope = {
    id,
    type,
    created_at: tx.now.toISOString(),
    workspace_id: workspaceId,
    data,
  };
  return { id, workspaceId, webhookId, eventKey, payload };
}

async function insert(tx: Tx, rows: readonly NewDelivery[]): Promise<number> {
  const n = await insertDeliveries(tx.ex, rows, tx.now);
  if (n > 0) tx.outbox.push({ type: "webhooks_ready" });
  return n;
}
