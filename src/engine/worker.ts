// A worker: claims due steps with a lease, works them (up to `concurrency` at once) outside any
// transaction while heartbeating the lease, and commits each result. Killing the process at any
// moment is safe: an unfinished step's lease expires and another worker reclaims it.
import { randomUUID } from "node:crypto";
import { isAbort, ModelError, ModelUnavailableError } from "../models/errors.js";
import { claimSteps, nextDueAt, releaseStep, renewLease, type Step } from "../store/steps.js";
import { findWorkroom } from "../store/workrooms.js";
import { commitStep } from "./commit.js";
import { inTransaction, poolExec, type EngineDeps } from "./deps.js";
import { BudgetExhausted, Meter, currentWorkspace } from "./metering.js";
import { HANDLERS } from "./steps/index.js";
import { StepSetupError, type Outcome, type StepHandler } from "./steps/types.js";
import { withTx } from "./tx.js";

export interface WorkerOptions {
  /** Identifies the lease holder in the steps table. */
  id?: string;
}

export class Worker {
  readonly id: string;
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly inflight = new Map<
    string,
    { step: Step; abort: AbortController; done: Promise<void> }
  >();
  private wake: (() => void) | undefined;
  private wakePending = false;
  private unsubscribe: (() => void) | undefined;
  private idleWaiters: (() => void)[] = [];

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
      if (m.type === "steps_ready") this.poke();
      else if (m.type === "room_aborted")
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
    await Promise.all([...this.inflight.values()].map((f) => f.done));
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
    while (this.running) {
      this.wakePending = false;
      const free = config.concurrency - this.inflight.size;
      let claimed: Step[] = [];
      if (free > 0) {
        try {
          // A claim lost in a database crash is simply claimed again: no need to wait for the WAL flush.
          claimed = await inTransaction(
            this.deps,
            (ex) => claimSteps(ex, this.id, free, config.leaseMs, clock.now().getTime()),
            { replayable: true },
          );
        } catch (e) {
          this.deps.log.error({ err: e }, "claiming steps failed; retrying");
        }
        for (const step of claimed) this.launch(step);
      }
      if (claimed.length > 0 || this.wakePending) continue;
      if (this.inflight.size === 0) {
        const next = await nextDueAt(poolExec(this.deps), clock.now().getTime()).catch(
          () => undefined,
        );
        if (next === undefined || next > clock.now().getTime() + 50) this.notifyIdle();
        await this.sleep(
          next === undefined
            ? config.idlePollMs
            : Math.min(config.idlePollMs, Math.max(0, next - clock.now().getTime())),
        );
      } else await this.sleep(config.idlePollMs);
    }
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private sleep(ms: number): Promise<void> {
    if (this.wakePending || !this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        done();
      };
    });
  }

  private launch(step: Step): void {
    const abort = new AbortController();
    const done = this.work(step, abort)
      .catch((e) =>
        this.deps.log.error(
          { err: e, step: step.id },
          "step failed unexpectedly; its lease will expire and it will be retried",
        ),
      )
      .finally(() => {
        this.inflight.delete(step.id);
        this.poke();
      });
    this.inflight.set(step.id, { step, abort, done });
  }

  private async work(step: Step, abort: AbortController): Promise<void> {
    const handler: StepHandler<unknown> = HANDLERS[step.kind];
    const meter = new Meter(this.deps, step, step.kind === "revise");
    const noTask = { taskId: step.taskId, agentId: null };
    let preloaded: unknown;
    try {
      preloaded = await handler.preload?.({ deps: this.deps, step });
    } catch (e) {
      return commitStep(
        this.deps,
        step,
        noTask,
        { type: "failed", reason: e instanceof Error ? e.message : String(e), retryable: true },
        meter,
      );
    }
    let begun;
    try {
      begun = await withTx(
        this.deps,
        async (tx) => {
          const room = await findWorkroom(tx.ex, step.workspaceId, step.workroomId, { lock: true });
          if (
            !room ||
            room.generation !== step.generation ||
            !handler.runsIn.includes(room.state)
          ) {
            // Paused or changed between claim and begin: give the step back untouched.
            await releaseStep(tx.ex, step.id, step.attempt, tx.now.getTime());
            return undefined;
          }
          const workspace = await currentWorkspace(tx, step.workspaceId);
          const prepared = await handler.prepare({
            tx,
            step,
            room,
            workspace,
            deps: this.deps,
            preloaded,
          });
          const first = handler.firstCall?.(prepared);
          if (first) await meter.prepay({ tx, room, workspace }, first);
          return { room, prepared };
        },
        { replayable: true },
      ); // a lost start is redone by the next claim
    } catch (e) {
      // Nothing of the begin transaction was kept: the task is still pending.
      if (e instanceof BudgetExhausted)
        return commitStep(
          this.deps,
          step,
          noTask,
          { type: "budget", reason: e.reason, needed: e.needed },
          meter,
        );
      if (e instanceof ModelUnavailableError || e instanceof StepSetupError)
        return commitStep(
          this.deps,
          step,
          noTask,
          { type: "failed", reason: e.message, retryable: false },
          meter,
        );
      throw e;
    }
    if (!begun) return;
    meter.localOnly = begun.room.pasteFlags.local_models_only;
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
    const heartbeat = this.heartbeat(step, abort);
    let outcome: Outcome;
    try {
      outcome = await handler.work(begun.prepared, {
        deps: this.deps,
        step,
        room: begun.room,
        signal: abort.signal,
        meter,
      });
    } catch (e) {
      outcome = outcomeOfError(e, abort.signal);
    } finally {
      clearInterval(heartbeat);
    }
    await commitStep(this.deps, step, handler.meta(begun.prepared), outcome, meter);
    log.info(
      { worker: this.id, step: step.id, attempt: step.attempt, outcome: outcome.type, at: at() },
      "step finished",
    );
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
          .catch((e) => this.deps.log.warn({ err: e, step: step.id }, "lease renewal failed"));
      },
      Math.max(50, Math.floor(leaseMs / 3)),
    );
    timer.unref();
    return timer;
  }
}

function outcomeOfError(e: unknown, signal: AbortSignal): Outcome {
  if (e instanceof BudgetExhausted) return { type: "budget", reason: e.reason, needed: e.needed };
  if (signal.aborted || isAbort(e)) {
    const why = signal.reason instanceof Error ? signal.reason.message : "aborted";
    return { type: "aborted", reason: why };
  }
  const message = e instanceof Error ? e.message : String(e);
  return { type: "failed", reason: message, retryable: e instanceof ModelError && e.retryable };
}
