// A worker: claims due steps with a lease, works them (up to `concurrency` at once) outside any
// transaction while heartbeating the lease, and commits each result. Killing the process at any
// moment is safe: an unfinished step's lease expires and another worker reclaims it.
//
// The worker runs in turns (engine/turn.ts): each turn commits the steps finished since the last
// one, claims steps for the free slots and begins them, in one batch. Work starts only after the
// turn has committed, so a step is never worked on a claim that could still roll back.
import { randomUUID } from "node:crypto";
import { isToolError } from "../integrations/tools/errors.js";
import { isAbort, ModelError, RateLimitedError } from "../models/errors.js";
import { nextDueAt, renewLease, type Step } from "../store/steps.js";
import type { Begun } from "./begin.js";
import type { Finished } from "./commit.js";
import { poolExec, type EngineDeps } from "./deps.js";
import { BudgetExhausted } from "./metering.js";
import type { Outcome } from "./steps/types.js";
import { runTurn, type TurnResult } from "./turn.js";
import { resumeDueRooms } from "./resume-due.js";
import { describeStoreError, isStoreUnwritable } from "../store/unwritable.js";

/** The longest wait between turns while turns keep failing (a full disk). */
const MAX_BACKOFF_MS = 5_000;

export interface WorkerOptions {
  /** Identifies the lease holder in the steps table. */
  id?: string;
}

/** What a worker has done since it started (for the benchmark and for operators). */
export interface WorkerStats {
  /** Steps worked (their `work` phase ran, whatever the outcome). */
  worked: number;
  /** Wall time spent inside steps' `work` phases (prompts, model and tool calls, parsing): the
   *  steps' own work, as opposed to what the engine adds around it. Overlapping steps add up. */
  workMs: number;
}

export class Worker {
  readonly id: string;
  readonly stats: WorkerStats = { worked: 0, workMs: 0 };
  private running = false;
  private loop: Promise<void> | undefined;
  /** Claimed steps not yet committed (being begun, worked, or waiting for the next turn). */
  private readonly inflight = new Map<
    string,
    { step: Step; abort: AbortController; heartbeat?: NodeJS.Timeout }
  >();
  /** Worked steps waiting for the next turn's commit. */
  private finished: Finished[] = [];
  /** Steps may be due that no turn has claimed yet (woken by the bus, or polling). */
  private mayHaveDue = true;
  /** Set while publishing our own turn's messages: its claim has seen the steps they announce. */
  private publishing = false;
  private wake: (() => void) | undefined;
  private wakePending = false;
  private unsubscribe: (() => void) | undefined;
  private idleWaiters: (() => void)[] = [];
  /** Turns in a row that failed (a full disk): the worker waits longer after each. */
  private troubledTurns = 0;
  /** When (clock ms) to look next for rooms whose provider's wait is over: at least every
   *  `idlePollMs`, and when the idle sleep ends for a room's time. 0: at once (at start). */
  private resumeCheckAt = 0;

  constructor(
    private readonly deps: EngineDeps,
    options: WorkerOptions = {},
  ) {
    this.id = options.id ?? `worker-${randomUUID().slice(0, 8)}`;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = this.deps.bus.subscribe((m) => {
      if (m.type === "steps_ready" && !this.publishing) {
        this.mayHaveDue = true;
        this.poke();
      } else if (m.type === "room_aborted")
        for (const f of this.inflight.values())
          if (f.step.workroomId === m.workroomId) f.abort.abort(new Error("room aborted"));
    });
    this.loop = this.run();
  }

  /** Stops claiming; running steps are aborted and released (`graceful: false`) or finish first. */
  async stop(options: { graceful?: boolean } = {}): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.unsubscribe?.();
    if (!options.graceful)
      for (const f of this.inflight.values()) f.abort.abort(new Error("worker shutting down"));
    this.poke();
    await this.loop;
  }

  /** Resolves once the worker has nothing running and nothing due (for the CLI and tests). */
  whenIdle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.poke();
    });
  }

  private poke(): void {
    this.wakePending = true;
    this.wake?.();
  }

  private async run(): Promise<void> {
    const { config, clock } = this.deps;
    // After stop(), turns go on until every claimed step is committed (or released).
    while (this.running || this.inflight.size > 0) {
      this.wakePending = false;
      if (this.running && clock.now().getTime() >= this.resumeCheckAt) await this.resumeDue();
      const commits = this.finished.splice(0);
      const free = this.running ? config.concurrency - this.inflight.size + commits.length : 0;
      if (commits.length > 0 || (free > 0 && this.mayHaveDue)) {
        const mayHaveDue = this.mayHaveDue;
        this.mayHaveDue = false;
        await this.turn(commits, free, mayHaveDue);
        continue;
      }
      if (this.wakePending) continue;
      if (this.inflight.size === 0) {
        const next = await nextDueAt(poolExec(this.deps), clock.now().getTime()).catch(
          () => undefined,
        );
        if (next === undefined || next > clock.now().getTime() + 50) this.notifyIdle();
        // Whatever is due next may be a room to resume: look for those when the sleep ends.
        if (next !== undefined) this.resumeCheckAt = Math.min(this.resumeCheckAt, next);
        const ms =
          next === undefined
            ? config.idlePollMs
            : Math.min(config.idlePollMs, Math.max(0, next - clock.now().getTime()));
        if (await this.sleep(ms)) this.mayHaveDue = true;
      } else if (await this.sleep(config.idlePollMs)) this.mayHaveDue = true;
    }
  }

  /**
   * Resumes the rooms whose provider's wait is over (engine/resume-due.ts); their steps are due
   * then, so the next turn claims. A failure is logged and the look is made again later.
   */
  private async resumeDue(): Promise<void> {
    const { clock, config, log } = this.deps;
    this.resumeCheckAt = clock.now().getTime() + config.idlePollMs;
    try {
      const { resumed, more } = await resumeDueRooms(this.deps);
      if (resumed > 0) this.mayHaveDue = true;
      if (more && resumed > 0) this.resumeCheckAt = 0;
    } catch (e) {
      // A store that refuses writes is logged once by the worker's turns.
      if (!isStoreUnwritable(e))
        log.warn(
          { err: e, worker: this.id },
          "looking for rooms to resume failed; tried again shortly",
        );
    }
  }

  private async turn(commits: Finished[], free: number, mayHaveDue: boolean): Promise<void> {
    const claimed = new Set<string>();
    let result: TurnResult;
    try {
      result = await runTurn(this.deps, {
        owner: this.id,
        commits,
        free,
        mayHaveDue,
        onClaimed: (step) => {
          claimed.add(step.id);
          this.inflight.set(step.id, { step, abort: new AbortController() });
        },
      });
    } catch (e) {
      for (const id of [...claimed, ...commits.map((c) => c.step.id)]) this.forget(id);
      this.mayHaveDue = true;
      await this.backOff(e);
      return;
    }
    const failed = new Set<string>(result.failed.map((f) => f.step.id));
    for (const { step, outcome } of commits) {
      this.forget(step.id);
      // Logged once the outcome is committed (crash tests read "finished" as "never redone").
      if (!failed.has(step.id))
        this.deps.log.info(
          {
            worker: this.id,
            step: step.id,
            attempt: step.attempt,
            outcome: outcome.type,
            at: this.deps.clock.now().getTime(),
          },
          "step finished",
        );
    }
    for (const { step, error } of result.failed) {
      // A store that refuses writes is logged once for the whole run of failing turns (below).
      if (!isStoreUnwritable(error))
        this.deps.log.error(
          { err: error, step: step.id },
          "step failed unexpectedly; its lease will expire and it will be retried",
        );
      this.forget(step.id);
    }
    const kept = new Set<string>([...result.begun, ...result.refused].map((b) => b.step.id));
    for (const id of claimed) if (!kept.has(id)) this.forget(id);
    if (result.mayHaveDue) this.mayHaveDue = true;
    this.publishing = true;
    try {
      for (const m of result.outbox) this.deps.bus.publish(m);
    } finally {
      this.publishing = false;
    }
    this.finished.push(...result.refused);
    for (const b of result.begun) this.launch(b);
    if (result.trouble !== undefined) await this.backOff(result.trouble);
    // Recovered once a write goes through (a turn that wrote nothing proves nothing).
    else if (this.troubledTurns > 0 && (claimed.size > 0 || commits.length > failed.size)) {
      this.deps.log.info(
        { worker: this.id, failedTurns: this.troubledTurns },
        "the store takes writes again; the worker is back to work",
      );
      this.troubledTurns = 0;
      this.deps.store.writes.refused = null;
    }
  }

  /**
   * Waits before the next turn after one that failed (its claim, its batch, or a unit on the
   * store). A full disk fails every write within milliseconds: retried at once, turns would take
   * the whole event loop, since every store call is synchronous on SQLite (no timer, heartbeat or
   * request ran). The first failure of a run is logged, not the retries. Pokes do not cut the
   * wait short; stopping does.
   */
  private async backOff(error: unknown): Promise<void> {
    const { idlePollMs } = this.deps.config;
    if (this.troubledTurns === 0 && isStoreUnwritable(error))
      this.deps.store.writes.refused ??= {
        since: this.deps.clock.now(),
        cause: describeStoreError(error),
      };
    if (this.troubledTurns === 0)
      this.deps.log.error(
        { err: error, worker: this.id },
        `a worker turn failed (${describeStoreError(error)}); turns are retried with a growing wait, up to ${MAX_BACKOFF_MS / 1000} s, and a line says when they succeed again`,
      );
    this.troubledTurns++;
    const ms = Math.min(MAX_BACKOFF_MS, idlePollMs * 2 ** (this.troubledTurns - 1));
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = () => {
        if (!this.running) done();
      };
    });
  }

  /** The step is committed, released or given up: stop tracking it and its lease. */
  private forget(id: string): void {
    clearInterval(this.inflight.get(id)?.heartbeat);
    this.inflight.delete(id);
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  /** Sleeps `ms` or until poked; true if the time ran out. */
  private sleep(ms: number): Promise<boolean> {
    if (this.wakePending || (!this.running && this.inflight.size === 0))
      return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(true), ms);
      const done = (timedOut: boolean) => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve(timedOut);
      };
      this.wake = () => done(false);
    });
  }

  private launch(b: Begun): void {
    const entry = this.inflight.get(b.step.id);
    if (!entry) return;
    // Renewed until the step is committed, not only while it is worked: a finished step may wait
    // for the next turn, and its lease must not expire meanwhile.
    entry.heartbeat = this.heartbeat(b.step, entry.abort);
    this.work(b, entry.abort)
      .then((finished) => this.finished.push(finished))
      .catch((e) => {
        this.deps.log.error(
          { err: e, step: b.step.id },
          "step failed unexpectedly; its lease will expire and it will be retried",
        );
        this.forget(b.step.id);
      })
      .finally(() => this.poke());
  }

  private async work(b: Begun, abort: AbortController): Promise<Finished> {
    const { step, handler, prepared, meter } = b;
    const { log } = this.deps;
    const at = () => this.deps.clock.now().getTime();
    log.info(
      {
        worker: this.id,
        step: step.id,
        kind: step.kind,
        attempt: step.attempt,
        room: step.workroomId,
        at: at(),
      },
      "step started",
    );
    let outcome: Outcome;
    const started = performance.now();
    try {
      outcome = await handler.work(prepared, {
        deps: this.deps,
        step,
        room: b.room,
        signal: abort.signal,
        meter,
      });
    } catch (e) {
      outcome = outcomeOfError(e, abort.signal, step.kind);
    }
    this.stats.worked++;
    this.stats.workMs += performance.now() - started;
    return { step, meta: handler.meta(prepared), outcome, meter };
  }

  private heartbeat(step: Step, abort: AbortController): NodeJS.Timeout {
    const { leaseMs } = this.deps.config;
    const timer = setInterval(
      () => {
        const until = this.deps.clock.now().getTime() + leaseMs;
        renewLease(poolExec(this.deps), step.id, step.attempt, until)
          .then((ours) => {
            if (!ours)
              abort.abort(
                new Error("the step's lease was lost (replanned, cancelled or taken over)"),
              );
          })
          .catch((e) => {
            // A store that refuses writes is logged once by the worker's turns.
            if (!isStoreUnwritable(e))
              this.deps.log.warn({ err: e, step: step.id }, "lease renewal failed");
          });
      },
      Math.max(50, Math.floor(leaseMs / 3)),
    );
    timer.unref();
    return timer;
  }
}

function outcomeOfError(e: unknown, signal: AbortSignal, kind: Step["kind"]): Outcome {
  if (e instanceof BudgetExhausted) return { type: "budget", reason: e.reason, needed: e.needed };
  // A revision round cannot pause (its room is not running): it fails and is refunded, and the
  // person asks for it again once the wait is over.
  if (e instanceof RateLimitedError)
    return kind === "revise"
      ? {
          type: "failed",
          reason: `${e.message}; request the round again after that`,
          retryable: false,
        }
      : { type: "rate_limited", model: e.model, waitMs: e.waitMs, reason: e.message };
  if (signal.aborted || isAbort(e)) {
    const why = signal.reason instanceof Error ? signal.reason.message : "aborted";
    return { type: "aborted", reason: why };
  }
  const message = e instanceof Error ? e.message : String(e);
  // A provider's or a tool's passing failure (a time limit, a server that cannot be reached) is
  // tried again within the step's failures, as SPEC 2.1 has a task fail only after its retries.
  const retryable = (e instanceof ModelError || isToolError(e)) && e.retryable;
  return { type: "failed", reason: message, retryable };
}
