// Delivery of queued webhooks against a local receiver: retries on the backoff schedule (time
// driven by a manual clock, no sleeps), signatures, timeouts, the final failure, redelivery and
// the activity log.
import SqliteDatabase from "better-sqlite3";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import {
  createWebhook,
  listWebhookDeliveries,
  redeliver,
  testWebhook,
} from "../../src/app/webhooks.js";
import { MAX_DELIVERY_ATTEMPTS, retryDelayMs } from "../../src/domain/webhooks.js";
import { poolExec } from "../../src/engine/deps.js";
import { WebhookDispatcher } from "../../src/integrations/webhooks/dispatcher.js";
import { verifySignature } from "../../src/integrations/webhooks/signature.js";
import { listAudit } from "../../src/store/audit.js";
import { findDelivery } from "../../src/store/webhook-deliveries.js";
import { ManualClock } from "../support/clock.js";
import { DIALECTS } from "../support/databases.js";
import { ownerOf } from "../support/fixtures.js";
import { startHarness, type Harness } from "../support/harness.js";
import { startReceiver, type Receiver } from "./receiver.js";

const T0 = new Date("2026-03-02T09:00:00.000Z");

/** One column of every row, read past the store (and the plugin that opens sealed values). */
async function rawColumn(dialect: string, url: string, sql: string): Promise<string[]> {
  if (dialect === "sqlite") {
    const db = new SqliteDatabase(url, { readonly: true });
    try {
      return (db.prepare(sql).raw().all() as string[][]).map((r) => r[0]!);
    } finally {
      db.close();
    }
  }
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query({ text: sql, rowMode: "array" })).rows.map((r: string[]) => r[0]!);
  } finally {
    await c.end();
  }
}

describe.each(DIALECTS)("webhook delivery on %s", (dialect) => {
  let h: Harness;
  let receiver: Receiver;
  let clock: ManualClock;
  afterEach(async () => {
    await receiver?.close();
    await h?.close();
  });

  async function setUp(script: (number | "hang")[]) {
    clock = new ManualClock(T0);
    h = await startHarness(dialect, { clock, worker: false });
    receiver = await startReceiver(script);
    const actor = ownerOf(h.workspace);
    const { webhook, secret } = await createWebhook(h.runtime.deps, actor, {
      name: "Receiver",
      url: receiver.url,
      events: ["workroom.completed"],
    });
    const { delivery_id } = await testWebhook(h.runtime.deps, actor, webhook.id);
    const dispatcher = new WebhookDispatcher(h.runtime.deps, {
      random: () => 0.5,
      timeoutMs: 300,
    });
    const row = () => findDelivery(poolExec(h.runtime.deps), h.workspace.id, delivery_id);
    return { actor, webhook, secret, delivery_id, dispatcher, row };
  }

  it("retries a receiver that fails the first 3 deliveries on the backoff schedule, and the 4th gets through signed", async () => {
    const { actor, webhook, secret, delivery_id, dispatcher, row } = await setUp([
      500, 500, 500, 200,
    ]);
    expect(await dispatcher.runDue()).toBe(1);
    for (let attempt = 1; attempt <= 3; attempt++) {
      const d = (await row())!;
      expect(d).toMatchObject({ status: "pending", attempts: attempt, lastStatusCode: 500 });
      const wait = retryDelayMs(attempt, 0.5)!;
      expect(d.nextAttemptAt).toBe(clock.now().getTime() + wait);
      // Nothing is due a moment before the retry time.
      clock.set(new Date(d.nextAttemptAt - 1));
      expect(await dispatcher.runDue()).toBe(0);
      clock.set(new Date(d.nextAttemptAt));
      expect(await dispatcher.runDue()).toBe(1);
    }
    const done = (await row())!;
    expect(done).toMatchObject({ status: "delivered", attempts: 4, lastStatusCode: 200 });
    expect(done.lastResponse).toHaveLength(500);
    expect(done.deliveredAt).toBe(clock.now().getTime());

    expect(receiver.received).toHaveLength(4);
    const bodies = new Set(receiver.received.map((r) => r.body.toString()));
    expect(bodies.size).toBe(1); // every retry sends the same bytes
    const last = receiver.received.at(-1)!;
    expect(last.headers["x-atelya-event"]).toBe("webhook.test");
    expect(last.headers["x-atelya-delivery"]).toBe(delivery_id);
    expect(last.headers["content-type"]).toBe("application/json; charset=utf-8");
    const ts = String(last.headers["x-atelya-timestamp"]);
    expect(Number(ts)).toBe(Math.floor(clock.now().getTime() / 1000));
    const sig = String(last.headers["x-atelya-signature"]);
    expect(verifySignature(secret, ts, last.body, sig, clock.now())).toBe(true);
    const tampered = last.body.toString().replace("webhook.test", "workroom.failed");
    expect(verifySignature(secret, ts, tampered, sig, clock.now())).toBe(false);
    expect(JSON.parse(last.body.toString())).toMatchObject({
      id: delivery_id,
      type: "webhook.test",
      created_at: T0.toISOString(),
      workspace_id: h.workspace.id,
      data: { actor: actor.id },
    });

    // Every attempt is in the activity log, newest first, with its code and body excerpt.
    const log = (await listAudit(poolExec(h.runtime.deps), h.workspace.id)).filter((a) =>
      a.action.startsWith("webhook."),
    );
    expect(log.map((a) => [a.action, a.data.status_code, a.data.attempt])).toEqual([
      ["webhook.delivered", 200, 4],
      ["webhook.failed", 500, 3],
      ["webhook.failed", 500, 2],
      ["webhook.failed", 500, 1],
      ["webhook.test_sent", undefined, undefined],
      ["webhook.created", undefined, undefined],
    ]);
    expect(log[0]!.data.response_excerpt).toMatch(/^answer 200 /);
    expect(log[0]!.target).toBe(webhook.id);

    // At rest the secret and the envelope are sealed under the workspace key.
    const [storedSecret] = await rawColumn(dialect, h.db.url, "SELECT secret FROM webhooks");
    const [storedPayload] = await rawColumn(
      dialect,
      h.db.url,
      "SELECT payload FROM webhook_deliveries",
    );
    for (const stored of [storedSecret!, storedPayload!]) {
      expect(stored.startsWith("\u0001ay1:")).toBe(true);
      expect(stored).not.toContain(secret);
      expect(stored).not.toContain("webhook.test");
    }

    const page = await listWebhookDeliveries(h.runtime.deps, actor, webhook.id);
    expect(page.deliveries.map((d) => [d.id, d.status, d.attempts])).toEqual([
      [delivery_id, "delivered", 4],
    ]);
  });

  it("counts a receiver that does not answer in time as a failed attempt", async () => {
    const { dispatcher, row } = await setUp(["hang", 200]);
    await dispatcher.runDue();
    const d = (await row())!;
    expect(d).toMatchObject({ status: "pending", attempts: 1, lastStatusCode: null });
    expect(d.lastError).toMatch(/timeout/);
    expect(d.nextAttemptAt).toBe(T0.getTime() + retryDelayMs(1, 0.5)!);
    clock.set(new Date(d.nextAttemptAt));
    await dispatcher.runDue();
    expect((await row())!.status).toBe("delivered");
  });

  it("marks a delivery failed after the last attempt, and a redelivery sends the same body again", async () => {
    const { actor, webhook, delivery_id, dispatcher, row } = await setUp([500]);
    for (let i = 0; i < MAX_DELIVERY_ATTEMPTS; i++) {
      clock.set(new Date((await row())!.nextAttemptAt));
      expect(await dispatcher.runDue()).toBe(1);
    }
    const failed = (await row())!;
    expect(failed).toMatchObject({ status: "failed", attempts: MAX_DELIVERY_ATTEMPTS });
    clock.set(new Date(clock.now().getTime() + 86_400_000));
    expect(await dispatcher.runDue()).toBe(0);
    const log = await listAudit(poolExec(h.runtime.deps), h.workspace.id);
    expect(log[0]).toMatchObject({ action: "webhook.failed", data: { final: true } });

    const again = await redeliver(h.runtime.deps, actor, webhook.id, delivery_id);
    expect(again.delivery_id).not.toBe(delivery_id);
    await expect(redeliver(h.runtime.deps, actor, webhook.id, again.delivery_id)).rejects.toThrow(
      /still being attempted/,
    );
    await dispatcher.runDue();
    const bodies = receiver.received.map((r) => r.body.toString());
    expect(bodies.at(-1)).toBe(bodies[0]); // same envelope id: receivers can drop duplicates
    expect(receiver.received.at(-1)!.headers["x-atelya-delivery"]).toBe(again.delivery_id);
  });
});
