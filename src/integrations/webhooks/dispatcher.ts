// The webhook dispatcher: claims due delivery rows under a lease, renders and signs each body, POSTs
// it and stores the outcome (delivered, retry at the next backoff time, or failed) together with an
// audit entry, so every attempt shows in the workspace's activity log. It wakes on `webhooks_ready`
// and otherwise polls slowly; several dispatchers (server replicas, workers) can run at once.
import { renderBody } from "../../domain/webhook-formats.js";
import { TEST_EVENT, excerpt, retryDelayMs } from "../../domain/webhooks.js";
import { inTransaction, poolExec, type EngineDeps } from "../../engine/deps.js";
import { audit } from "../../store/audit.js";
import {
  claimDeliveries,
  finishAttempt,
  nextDeliveryDueAt,
  type AttemptResult,
  type WebhookDelivery,
} from "../../store/webhook-deliveries.js";
import { webhookForSending, type Webhook } from "../../store/webhooks.js";
import { fetchSender, type HttpSender, type SendResult } from "./sender.js";
import { deliveryHeaders } from "./signature.js";

/** The engine's bag: the store, the clock, the bus (for `webhooks_ready`) and the logger. */
export type WebhookDispatcherDeps = EngineDeps;

export interface WebhookDispatcherOptions {
  /** Time a receiver has to answer one attempt. */
  timeoutMs?: number;
  /** Sleep between checks when nothing wakes the dispatcher. */
  pollMs?: number;
  /** Attempts in flight at once. */
  batchSize?: number;
  /** Of which at most this many to one webhook: a receiver that hangs holds these, not all. */
  perWebhook?: number;
  /** The web app's public address, for links in Slack messages and `{{workroom.url}}`. */
  publicBaseUrl?: string | null;
  /** The jitter source of the backoff (tests pass a constant). */
  random?: () => number;
  /** The HTTP client (tests may wrap it; production uses fetch). */
  send?: HttpSender;
}

type HookRef = Pick<Webhook, "id" | "name" | "url">;

const MIN_SLEEP_MS = 100;

/** Who the activity log names for a delivery. */
export const WEBHOOKS_ACTOR = "webhooks";

export interface AttemptOutcome {
  delivery: WebhookDelivery;
  result: AttemptResult;
}

export class WebhookDispatcher {
  private readonly timeoutMs: number;
  private readonly pollMs: number;
  private readonly batchSize: number;
  private readonly perWebhook: number;
  /** Attempts in flight, by delivery id: the webhook they go to, and their end. */
  private readonly inflight = new Map<string, { webhookId: string; done: Promise<void> }>();
  private readonly leaseMs: number;
  private readonly send: HttpSender;
  private readonly random: () => number;
  private stopped = true;
  private loopDone: Promise<void> = Promise.resolve();
  private wake: (() => void) | null = null;
  private poked = false;
  private unsubscribe: (() => void) | null = null;
  private readonly listeners = new Set<(o: AttemptOutcome) => void>();

  constructor(
    private readonly deps: WebhookDispatcherDeps,
    private readonly options: WebhookDispatcherOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.pollMs = options.pollMs ?? 15_000;
    this.batchSize = options.batchSize ?? 16;
    this.perWebhook = options.perWebhook ?? 4;
    // Longer than any attempt can take, so a live dispatcher never loses its claim.
    this.leaseMs = this.timeoutMs + 60_000;
    this.send = options.send ?? fetchSender;
    this.random = options.random ?? Math.random;
  }

  start(): this {
    if (!this.stopped) return this;
    this.stopped = false;
    this.unsubscribe = this.deps.bus.subscribe((m) => {
      if (m.type === "webhooks_ready") this.poke();
    });
    this.loopDone = this.loop();
    return this;
  }

  /** Stops claiming and waits for the attempts in flight to be stored. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.poke();
    await this.loopDone;
  }

  /** Called with every stored attempt outcome (tests await deliveries with it). */
  onOutcome(listener: (o: AttemptOutcome) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Claims and sends what is due now, once; resolves, once those attempts are stored, with how
   *  many were made. */
  async runDue(): Promise<number> {
    const { attempts, made } = await this.claim();
    await Promise.all(attempts);
    return made;
  }

  /** The webhooks with attempts in flight: a claim skips them (see `claimDeliveries`). */
  private busy(): string[] {
    return [...new Set([...this.inflight.values()].map((a) => a.webhookId))];
  }

  /**
   * Claims due deliveries into the free slots and starts their attempts, each waking the loop when
   * it is stored: a slow receiver delays only its own deliveries, not the next claim.
   */
  private async claim(): Promise<{ attempts: Promise<void>[]; made: number }> {
    const free = this.batchSize - this.inflight.size;
    if (free <= 0) return { attempts: [], made: 0 };
    const now = this.deps.clock.now().getTime();
    const share = { perWebhook: this.perWebhook, busy: this.busy() };
    const { claimed, unreadable } = await inTransaction(
      this.deps,
      (ex) => claimDeliveries(ex, this.deps.store.cipher, free, this.leaseMs, now, share),
      { replayable: true },
    );
    // Marked failed in the claim's transaction: each is told once.
    for (const u of unreadable)
      this.deps.log.error(
        {
          err: u.error,
          delivery: u.id,
          webhook: u.webhookId,
          workspace: u.workspaceId,
          event: u.eventType,
          key: u.eventKey,
        },
        "webhook delivery set aside as failed: its payload cannot be read with this master key; the other deliveries go on",
      );
    const attempts = claimed.map((d) => {
      const done = this.attempt(d).finally(() => {
        this.inflight.delete(d.id);
        this.poke();
      });
      this.inflight.set(d.id, { webhookId: d.webhookId, done });
      return done;
    });
    return { attempts, made: claimed.length + unreadable.length };
  }

  private poke(): void {
    this.poked = true;
    this.wake?.();
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      this.poked = false;
      let made = 0;
      try {
        made = (await this.claim()).made;
      } catch (e) {
        this.deps.log.error(
          { err: e },
          "webhook dispatch failed; retrying after the poll interval",
        );
      }
      if (this.stopped) break;
      if (made > 0 || this.poked) continue;
      await this.sleep(await this.sleepMs());
    }
    await Promise.all([...this.inflight.values()].map((a) => a.done));
  }

  private async sleepMs(): Promise<number> {
    try {
      if (this.inflight.size >= this.batchSize) return this.pollMs;
      const due = await nextDeliveryDueAt(poolExec(this.deps), this.busy());
      if (due === null) return this.pollMs;
      // A floor: a due row that could not be claimed (another dispatcher holds it for a moment)
      // must not turn the loop into a spin.
      return Math.min(this.pollMs, Math.max(MIN_SLEEP_MS, due - this.deps.clock.now().getTime()));
    } catch {
      return this.pollMs;
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.poked || this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }

  private async attempt(d: WebhookDelivery): Promise<void> {
    let hook: (Webhook & { secret: string }) | null = null;
    let sent: SendResult;
    try {
      hook = await webhookForSending(poolExec(this.deps), d.workspaceId, d.webhookId);
      // Deleting a webhook deletes its deliveries (cascade): nothing is left to record.
      if (!hook) return;
      sent =
        hook.active || d.eventType === TEST_EVENT
          ? await this.post(hook, d)
          : { ok: false, statusCode: null, response: null, error: "The webhook is inactive" };
    } catch (e) {
      // A bug or an unreadable row: counted as a failed attempt, so the row still reaches its end.
      this.deps.log.error({ err: e, delivery: d.id }, "webhook attempt could not be made");
      sent = { ok: false, statusCode: null, response: null, error: `Not sent: ${String(e)}` };
    }
    const target = hook ?? { id: d.webhookId, name: "", url: "" };
    try {
      await this.store(
        d,
        target,
        sent,
        hook !== null && !hook.active && d.eventType !== TEST_EVENT,
      );
    } catch (e) {
      // The lease runs out and another pass retries it; the attempt is counted already.
      this.deps.log.error({ err: e, delivery: d.id }, "webhook attempt could not be stored");
    }
  }

  private post(hook: Webhook & { secret: string }, d: WebhookDelivery): Promise<SendResult> {
    const { body, contentType } = renderBody(hook.format, d.payload, {
      template: hook.template,
      publicBaseUrl: this.options.publicBaseUrl ?? null,
    });
    const headers = deliveryHeaders(hook.secret, {
      deliveryId: d.id,
      eventType: d.eventType,
      body,
      contentType,
      now: this.deps.clock.now(),
    });
    return this.send({ url: hook.url, headers, body, timeoutMs: this.timeoutMs });
  }

  private async store(
    d: WebhookDelivery,
    hook: HookRef,
    sent: SendResult,
    giveUp: boolean,
  ): Promise<void> {
    const now = this.deps.clock.now();
    const delay = sent.ok || giveUp ? null : retryDelayMs(d.attempts, this.random());
    const result: AttemptResult = {
      statusCode: sent.statusCode,
      response: sent.response === null ? null : excerpt(sent.response),
      error: sent.error,
      next: sent.ok
        ? { status: "delivered" }
        : delay === null
          ? { status: "failed" }
          : { status: "pending", at: now.getTime() + delay },
    };
    const stored = await inTransaction(this.deps, async (ex) => {
      if (!(await finishAttempt(ex, d.id, d.attempts, result, now))) return false;
      await audit(ex, d.workspaceId, activityEntry(d, hook, result), now);
      return true;
    });
    if (!stored) return;
    if (result.next.status === "failed")
      this.deps.log.warn(
        { webhook: hook.id, delivery: d.id, attempts: d.attempts, error: result.error },
        "webhook delivery failed for good; redeliver it once the receiver works",
      );
    for (const l of this.listeners) l({ delivery: d, result });
  }
}

function activityEntry(d: WebhookDelivery, hook: HookRef, r: AttemptResult) {
  return {
    actor: WEBHOOKS_ACTOR,
    action: r.next.status === "delivered" ? "webhook.delivered" : "webhook.failed",
    target: hook.id,
    data: {
      webhook: hook.name,
      url: hook.url,
      delivery_id: d.id,
      event: d.eventType,
      attempt: d.attempts,
      status_code: r.statusCode,
      response_excerpt: r.response,
      error: r.error,
      ...(r.next.status === "pending" ? { next_attempt_at: r.next.at } : {}),
      final: r.next.status !== "pending",
    },
  };
}

/** Starts a dispatcher (in `atelya serve` and `atelya worker`); `stop()` awaits attempts in flight. */
export function startWebhookDispatcher(
  deps: WebhookDispatcherDeps,
  options: WebhookDispatcherOptions = {},
): WebhookDispatcher {
  return new WebhookDispatcher(deps, options).start();
}
