// The dispatcher's lifecycle and claims: stop() waits for the attempt in flight, two dispatchers on
// one database never send a delivery twice, a receiver that hangs does not hold up the other
// webhooks' deliveries, a webhook deactivated after queueing is not called, and
// a delivery that cannot be read (sealed under another master key) is set aside, not retried
// ahead of every other one for good.
import { afterEach, describe, expect, it } from "vitest";
import { createWebhook, updateWebhook } from "../../src/app/webhooks.js";
import { poolExec } from "../../src/engine/deps.js";
import { withTx } from "../../src/engine/tx.js";
import { enqueueWorkspaceEvent } from "../../src/engine/webhooks.js";
import { WebhookDispatcher } from "../../src/integrations/webhooks/dispatcher.js";
import { createCipher } from "../../src/store/crypto/cipher.js";
import { parseMasterKey } from "../../src/store/crypto/master-key.js";
import { findDelivery } from "../../src/store/webhook-deliveries.js";
import type { Logger } from "../../src/engine/deps.js";
import { ManualClock } from "../support/clock.js";
import { DIALECTS } from "../support/databases.js";
import { ownerOf } from "../support/fixtures.js";
import { startHarness, type Harness } from "../support/harness.js";
import { startReceiver, type Receiver } from "./receiver.js";

const T0 = new Date("2026-03-02T09:00:00.000Z");

describe.each(DIALECTS)("the webhook dispatcher on %s", (dialect) => {
  let h: Harness;
  let receiver: Receiver;
  afterEach(async () => {
    await receiver?.close();
    await h?.close();
  });

  async function setUp(script: (number | "hang")[], events = 1, log?: Logger) {
    h = await startHarness(dialect, {
      clock: new ManualClock(T0),
      worker: false,
      ...(log ? { log } : {}),
    });
    receiver = await startReceiver(script);
    const actor = ownerOf(h.workspace);
    const { webhook } = await createWebhook(h.runtime.deps, actor, {
      name: "Receiver",
      url: receiver.url,
      events: ["credits.threshold_crossed"],
    });
    for (let i = 0; i < events; i++)
      await withTx(h.runtime.deps, (tx) =>
        enqueueWorkspaceEvent(tx, h.workspace.id, "credits.threshold_crossed", `notice:${i}`, {
          scope: "workspace",
          used: 80 + i,
          limit: 100,
        }),
      );
    return { actor, webhook };
  }

  it("stop() waits for the attempt in flight to be stored", async () => {
    await setUp(["hang"]);
    const d = new WebhookDispatcher(h.runtime.deps, { timeoutMs: 300, pollMs: 600_000 }).start();
    const [request] = await receiver.waitFor(1);
    await d.stop();
    const id = String(request!.headers["x-atelya-delivery"]);
    const row = await findDelivery(poolExec(h.runtime.deps), h.workspace.id, id);
    expect(row).toMatchObject({ status: "pending", attempts: 1, leaseExpiresAt: null });
    expect(row!.lastError).toMatch(/timeout/);
  });

  it("never sends one delivery twice when two dispatchers claim at once", async () => {
    await setUp([200], 24);
    const a = new WebhookDispatcher(h.runtime.deps, { batchSize: 5 });
    const b = new WebhookDispatcher(h.runtime.deps, { batchSize: 5 });
    let sent = 0;
    for (;;) {
      const [x, y] = await Promise.all([a.runDue(), b.runDue()]);
      if (x + y === 0) break;
      sent += x + y;
    }
    expect(sent).toBe(24);
    const ids = receiver.received.map((r) => String(r.headers["x-atelya-delivery"]));
    expect(ids).toHaveLength(24);
    expect(new Set(ids).size).toBe(24);
    const bodies = receiver.received.map((r) => JSON.parse(r.body.toString()) as { data: object });
    expect(bodies.map((b) => b.data)).toContainEqual({ scope: "workspace", used: 80, limit: 100 });
  });

  it("keeps a receiver that hangs to a few slots: another webhook's delivery goes out meanwhile", async () => {
    const { actor } = await setUp(["hang"], 20);
    const healthy = await startReceiver([200]);
    try {
      await createWebhook(h.runtime.deps, actor, {
        name: "Healthy",
        url: healthy.url,
        events: ["credits.threshold_crossed"],
      });
      await withTx(h.runtime.deps, (tx) =>
        enqueueWorkspaceEvent(tx, h.workspace.id, "credits.threshold_crossed", "notice:late", {
          scope: "workspace",
          used: 99,
          limit: 100,
        }),
      );
      // Every attempt to the first receiver hangs for as long as the test runs.
      const d = new WebhookDispatcher(h.runtime.deps, { timeoutMs: 600_000 }).start();
      await healthy.waitFor(1);
      expect(receiver.received.length).toBeLessThanOrEqual(4);
      await receiver.close();
      await d.stop();
    } finally {
      await healthy.close();
    }
  });

  it("does not call a webhook deactivated after its delivery was queued", async () => {
    const { actor, webhook } = await setUp([200]);
    await updateWebhook(h.runtime.deps, actor, webhook.id, { active: false });
    const d = new WebhookDispatcher(h.runtime.deps);
    expect(await d.runDue()).toBe(1);
    expect(receiver.received).toHaveLength(0);
    const [row] = await h.runtime.deps.store.db
      .selectFrom("webhook_deliveries")
      .select(["status", "last_error"])
      .execute();
    expect(row).toEqual({ status: "failed", last_error: "The webhook is inactive" });
  });

  it("counts an attempt that throws before sending as a failed attempt, not a stuck row", async () => {
    await setUp([200]);
    const d = new WebhookDispatcher(h.runtime.deps, {
      send: () => Promise.reject(new Error("sender bug")),
    });
    await d.runDue();
    const [row] = await h.runtime.deps.store.db
      .selectFrom("webhook_deliveries")
      .select(["status", "attempts", "last_error", "lease_expires_at"])
      .execute();
    expect(row).toMatchObject({ status: "pending", attempts: 1, lease_expires_at: null });
    expect(row!.last_error).toContain("sender bug");
  });

  it("sets aside a delivery it cannot read, once, and sends the others", async () => {
    const errors: string[] = [];
    const log = {
      info() {},
      warn() {},
      error: (_: object, msg?: string) => errors.push(msg ?? ""),
    };
    await setUp([200, 200], 3, log);
    // The first delivery due was sealed under another master key (a rotation while a process with
    // the old key still ran).
    const db = h.runtime.deps.store.db;
    const [first] = await db
      .selectFrom("webhook_deliveries")
      .select(["id", "event_key"])
      .orderBy("event_key")
      .execute();
    const oldKey = createCipher(parseMasterKey("11".repeat(32), "the old key"));
    await db
      .updateTable("webhook_deliveries")
      .set({ payload: oldKey.seal(h.workspace.id, "{}"), next_attempt_at: T0.getTime() - 1 })
      .where("id", "=", first!.id)
      .execute();

    const d = new WebhookDispatcher(h.runtime.deps);
    expect(await d.runDue()).toBe(3);
    expect(receiver.received).toHaveLength(2);
    expect(await d.runDue()).toBe(0);
    const rows = await h.runtime.deps.store.db
      .withoutPlugins()
      .selectFrom("webhook_deliveries")
      .select(["id", "status", "last_error"])
      .execute();
    const bad = rows.find((r) => r.id === first!.id);
    expect(bad?.status).toBe("failed");
    expect(bad?.last_error).toMatch(/^Not sent: its payload cannot be read \(A sealed value/);
    expect(rows.filter((r) => r.status === "delivered")).toHaveLength(2);
    expect(errors).toEqual([
      "webhook delivery set aside as failed: its payload cannot be read with this master key; the other deliveries go on",
    ]);
  });
});
