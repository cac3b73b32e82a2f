// Deliveries are queued in the transaction of the history event that causes them: a room that
// completes gives exactly one workroom.completed delivery per subscribed webhook (however often
// the transaction is replayed), a rolled-back transaction gives none, and the dispatcher, woken by
// the bus, sends each in its webhook's format.
import { afterEach, describe, expect, it } from "vitest";
import { createWebhook, updateWebhook } from "../../src/app/webhooks.js";
import { createWorkroom, startWorkroom } from "../../src/app/workrooms.js";
import { poolExec, type EngineDeps } from "../../src/engine/deps.js";
import { record } from "../../src/engine/history.js";
import { withTx } from "../../src/engine/tx.js";
import { enqueueWebhookDeliveries } from "../../src/engine/webhooks.js";
import {
  WebhookDispatcher,
  type AttemptOutcome,
} from "../../src/integrations/webhooks/dispatcher.js";
import { listEvents } from "../../src/store/events.js";
import { DIALECTS } from "../support/databases.js";
import { ownerOf, proposalRoom } from "../support/fixtures.js";
import { startHarness, type Harness } from "../support/harness.js";
import { startReceiver, type Receiver } from "./receiver.js";

const TEMPLATE =
  '{"text": "{{event.summary}}", "room": "{{workroom.title}}", "link": "{{workroom.url}}"}';

describe.each(DIALECTS)("webhook deliveries on %s", (dialect) => {
  let h: Harness;
  let receiver: Receiver;
  let dispatcher: WebhookDispatcher | undefined;
  afterEach(async () => {
    await dispatcher?.stop();
    await receiver?.close();
    await h?.close();
  });

  const deliveries = () =>
    h.runtime.deps.store.db
      .selectFrom("webhook_deliveries")
      .select(["webhook_id", "event_type", "event_key"])
      .orderBy("webhook_id")
      .execute();

  it("queues exactly one workroom.completed delivery per subscribed webhook, in the event's transaction", async () => {
    h = await startHarness(dialect);
    receiver = await startReceiver([200]);
    const deps = h.runtime.deps;
    const actor = ownerOf(h.workspace);
    const hook = (name: string, body: Record<string, unknown>) =>
      createWebhook(deps, actor, { name, url: `${receiver.url}/${name}`, ...body });
    const slack = await hook("slack", { format: "slack", events: ["workroom.completed"] });
    const custom = await hook("custom", {
      format: "custom",
      template: TEMPLATE,
      events: ["workroom.completed", "workroom.failed"],
    });
    const failedOnly = await hook("failed-only", { events: ["workroom.failed"] });
    const inactive = await hook("inactive", { events: ["workroom.completed"] });
    await updateWebhook(deps, actor, inactive.webhook.id, { active: false });

    // Nothing polls: only the bus message of the committing transaction can wake the dispatcher.
    const outcomes: AttemptOutcome[] = [];
    dispatcher = new WebhookDispatcher(deps, {
      pollMs: 600_000,
      publicBaseUrl: "https://atelya.example",
    });
    const allStored = new Promise<void>((resolve) =>
      dispatcher!.onOutcome((o) => {
        outcomes.push(o);
        if (outcomes.length === 4) resolve();
      }),
    );
    dispatcher.start();

    const room = await createWorkroom(deps, actor, proposalRoom());
    await startWorkroom(deps, actor, room.id);
    const done = await h.waitFor(room.id, ["completed", "failed"]);
    expect(done.state).toBe("completed");

    const events = await listEvents(poolExec(deps), room);
    const completed = events.find((e) => e.type === "state.changed" && e.data.to === "completed")!;
    const key = `${room.id}:${completed.seq}`;
    expect(await deliveries()).toEqual(
      [slack, custom]
        .map((w) => ({
          webhook_id: w.webhook.id,
          event_type: "workroom.completed",
          event_key: key,
        }))
        .sort((a, b) => a.webhook_id.localeCompare(b.webhook_id)),
    );

    // A replay of the transaction's enqueue (same room, same seq) adds nothing.
    await withTx(deps, (tx) => enqueueWebhookDeliveries(tx, room, [completed], completed.seq));
    expect(await deliveries()).toHaveLength(2);

    // A transaction that dies before commit leaves neither the event nor its delivery.
    const failedEvent = {
      type: "state.changed",
      actor: "engine",
      data: { from: "completed", to: "failed", command: "fail", reason: "test" },
    };
    const crashing: EngineDeps = {
      ...deps,
      store: {
        ...deps.store,
        transaction: (fn, o) =>
          deps.store.transaction(async (db) => {
            await fn(db);
            throw new Error("crash before commit");
          }, o),
      },
    };
    await expect(withTx(crashing, async (tx) => record(tx, room, [failedEvent]))).rejects.toThrow(
      "crash before commit",
    );
    expect((await listEvents(poolExec(deps), room)).length).toBe(events.length);
    expect(await deliveries()).toHaveLength(2);
    // Committed, the same event queues one delivery for each webhook subscribed to failures.
    await withTx(deps, async (tx) => record(tx, room, [failedEvent]));
    const failedRows = (await deliveries()).filter((d) => d.event_type === "workroom.failed");
    expect(failedRows.map((d) => d.webhook_id).sort()).toEqual(
      [custom.webhook.id, failedOnly.webhook.id].sort(),
    );

    // The dispatcher, woken by the bus, sends each body in its webhook's format.
    const got = await receiver.waitFor(4);
    const completedBodies = got
      .filter((r) => r.headers["x-atelya-event"] === "workroom.completed")
      .map((r) => JSON.parse(r.body.toString()) as Record<string, unknown>);
    const slackBody = completedBodies.find((b) => "blocks" in b)!;
    expect(slackBody.text).toBe(
      'Workroom "Aurora Coffee — Q4 Proposal" completed: the deliverable is ready.',
    );
    expect(JSON.stringify(slackBody.blocks)).toContain(
      `*<https://atelya.example/workrooms/${room.id}|Aurora Coffee — Q4 Proposal>*`,
    );
    const customBody = completedBodies.find((b) => "room" in b)!;
    expect(customBody).toEqual({
      text: 'Workroom "Aurora Coffee — Q4 Proposal" completed: the deliverable is ready.',
      room: "Aurora Coffee — Q4 Proposal",
      link: `https://atelya.example/workrooms/${room.id}`,
    });
    await allStored;
    expect(outcomes.every((o) => o.result.next.status === "delivered")).toBe(true);
  });
});
