// The step queue: the step rows are the queue. Claiming takes a lease and bumps the fencing token
// (attempt); a commit names the attempt it was claimed with and is refused if it is stale.
import { sql } from "kysely";
import type { StepId, WorkroomId, WorkspaceId } from "../domain/ids.js";
import type { StepTable } from "./schema.js";
import type { Db } from "./db.js";
import type { Exec } from "./exec.js";
import { newId } from "./ids.js";
import { precompiled, precompiledBy } from "./prepared.js";

export const STEP_KINDS = ["plan", "task", "compose", "revise"] as const;
export type StepKind = (typeof STEP_KINDS)[number];

/** The live statuses as SQL literals: the queue's partial indexes (migration 0005) are defined on
 *  `status = 'ready'` and `status = 'claimed'`, and a query uses them only when it names the
 *  statuses as literals too. */
export const READY = sql.lit("ready");
export const CLAIMED = sql.lit("claimed");

export interface Step {
  id: StepId;
  workspaceId: WorkspaceId;
  workroomId: WorkroomId;
  kind: StepKind;
  taskId: string | null;
  generation: number;
  attempt: number;
  failures: number;
  availableAt: number;
}

const toStep = (r: StepTable): Step => ({
  id: r.id as StepId,
  workspaceId: r.workspace_id as WorkspaceId,
  workroomId: r.workroom_id as WorkroomId,
  kind: r.kind as StepKind,
  taskId: r.task_id,
  generation: r.generation,
  attempt: r.attempt,
  failures: r.failures,
  availableAt: r.available_at,
});

export interface NewStep {
  workspaceId: string;
  workroomId: string;
  kind: StepKind;
  taskId: string | null;
  generation: number;
  dedupeKey: string;
  availableAt: number;
}

/**
 * Slots a worker's turn fills with the steps its own commits make due: such a step is inserted
 * already claimed by the worker (attempt 1, under a lease), so it needs no claim of its own.
 * `slots` is shared by the units of one turn and counts down.
 */
export interface ClaimOnEnqueue {
  owner: string;
  leaseUntil: number;
  slots: { free: number };
  /** The steps inserted claimed, in order. */
  claimed: Step[];
}

/**
 * Enqueues steps; a step whose dedupe key exists already is skipped (scheduling is idempotent).
 * With `claim`, steps due by `now` are inserted claimed while it has free slots. Returns how many
 * steps were inserted and how many of them are left ready for any worker.
 */
export async function enqueueSteps(
  ex: Exec,
  steps: readonly NewStep[],
  now: Date,
  claim?: ClaimOnEnqueue,
): Promise<{ inserted: number; ready: number }> {
  if (steps.length === 0) return { inserted: 0, ready: 0 };
  const at = now.getTime();
  const values: Record<string, string | number | null> = { createdAt: at };
  const rows = steps.map((s, i) => {
    const claimed = claim !== undefined && claim.slots.free > 0 && s.availableAt <= at;
    if (claimed) claim.slots.free--;
    const id = newId<StepId>("step");
    values[`id${i}`] = id;
    values[`workspaceId${i}`] = s.workspaceId;
    values[`roomId${i}`] = s.workroomId;
    values[`kind${i}`] = s.kind;
    values[`taskId${i}`] = s.taskId;
    values[`generation${i}`] = s.generation;
    values[`status${i}`] = claimed ? "claimed" : "ready";
    values[`attempt${i}`] = claimed ? 1 : 0;
    values[`leaseOwner${i}`] = claimed ? claim.owner : null;
    values[`leaseExpiresAt${i}`] = claimed ? claim.leaseUntil : null;
    values[`availableAt${i}`] = s.availableAt;
    values[`dedupeKey${i}`] = s.dedupeKey;
    return { id, claimed, s };
  });
  const r = await ENQUEUE(steps.length).execute(ex, values);
  const inserted = new Set(r.rows.map((row) => row.id));
  let ready = 0;
  for (const { id, claimed, s } of rows) {
    if (!inserted.has(id)) {
      // Scheduled before (same dedupe key): the slot it was given stays free.
      if (claimed) claim!.slots.free++;
      continue;
    }
    if (!claimed) {
      ready++;
      continue;
    }
    claim!.claimed.push({
      id,
      workspaceId: s.workspaceId as WorkspaceId,
      workroomId: s.workroomId as WorkroomId,
      kind: s.kind,
      taskId: s.taskId,
      generation: s.generation,
      attempt: 1,
      failures: 0,
      availableAt: s.availableAt,
    });
  }
  return { inserted: inserted.size, ready };
}

const ENQUEUE = precompiledBy((count: number) => (db, s) => {
  const createdAt = s.number("createdAt");
  return db
    .insertInto("steps")
    .values(
      Array.from({ length: count }, (_, i) => ({
        id: s.text(`id${i}`),
        workspace_id: s.text(`workspaceId${i}`),
        workroom_id: s.text(`roomId${i}`),
        kind: s.text(`kind${i}`),
        task_id: s.nullableText(`taskId${i}`),
        generation: s.number(`generation${i}`),
        status: s.text(`status${i}`),
        attempt: s.number(`attempt${i}`),
        failures: 0,
        lease_owner: s.nullableText(`leaseOwner${i}`),
        lease_expires_at: s.nullableNumber(`leaseExpiresAt${i}`),
        available_at: s.number(`availableAt${i}`),
        reserved_credits: 0,
        dedupe_key: s.text(`dedupeKey${i}`),
        created_at: createdAt,
      })),
    )
    .onConflict((oc) => oc.column("dedupe_key").doNothing())
    .returning("id");
});

/**
 * Claims up to `limit` due steps: ready ones, and claimed ones whose lease expired (their worker
 * died). Steps of rooms that are not running are left alone. PostgreSQL skips rows other workers
 * are claiming (`FOR UPDATE SKIP LOCKED`); SQLite's writer lock serialises claims.
 */
export async function claimSteps(
  ex: Exec,
  owner: string,
  limit: number,
  leaseMs: number,
  now: number,
): Promise<Step[]> {
  const { rows } = await CLAIM(Math.max(0, Math.trunc(limit))).execute(ex, {
    owner,
    until: now + leaseMs,
    readyBy: now,
    expiredBy: now,
  });
  return rows.map(toStep);
}

const CLAIM = precompiledBy((limit: number) => (db, s, dialect) => {
  const due = db
    .selectFrom("steps")
    .select("steps.id")
    .where((eb) =>
      eb.or([
        eb.and([eb("status", "=", READY), eb("available_at", "<=", s.number("readyBy"))]),
        eb.and([eb("status", "=", CLAIMED), eb("lease_expires_at", "<", s.number("expiredBy"))]),
      ]),
    )
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("workrooms")
          .select(sql.lit(1).as("one"))
          .whereRef("workrooms.id", "=", "steps.workroom_id")
          .whereRef("workrooms.generation", "=", "steps.generation")
          .where("workrooms.state", "in", [
            "planning",
            "executing",
            "composing",
            "awaiting_revision",
          ]),
      ),
    )
    .orderBy("available_at")
    // A literal, not a parameter: SQLite runs `id IN (… LIMIT ?)` some ten times slower than the
    // same subquery with a constant limit (measured: 180 µs against 15 µs on an idle queue).
    .limit(sql.lit(limit));
  const picked = dialect === "postgres" ? due.forUpdate("steps").skipLocked() : due;
  return db
    .updateTable("steps")
    .set((eb) => ({
      status: "claimed",
      attempt: eb("attempt", "+", 1),
      reserved_credits: 0,
      lease_owner: s.text("owner"),
      lease_expires_at: s.number("until"),
    }))
    .where("id", "in", picked)
    .returningAll();
});

/** Extends the lease if the step is still ours; false means another worker (or a replan/cancel) took it. */
export async function renewLease(
  ex: Exec,
  stepId: string,
  attempt: number,
  until: number,
): Promise<boolean> {
  const r = await RENEW.execute(ex, { stepId, attempt, until });
  return Number(r.numAffectedRows) === 1;
}

// Every write to a claimed step names its attempt (the fencing token) and needs it still claimed.
const RENEW = precompiled((db, s) =>
  db
    .updateTable("steps")
    .set({ lease_expires_at: s.number("until") })
    .where("id", "=", s.text("stepId"))
    .where("attempt", "=", s.number("attempt"))
    .where("status", "=", "claimed"),
);

/** Closes a step under its fencing token: true if this attempt still owned it. */
export async function finishStep(ex: Exec, stepId: string, attempt: number): Promise<boolean> {
  const r = await FINISH.execute(ex, { stepId, attempt });
  return Number(r.numAffectedRows) === 1;
}

const FINISH = precompiled((db, s) =>
  db
    .updateTable("steps")
    .set({ status: "done", lease_owner: null, lease_expires_at: null, reserved_credits: 0 })
    .where("id", "=", s.text("stepId"))
    .where("attempt", "=", s.number("attempt"))
    .where("status", "=", "claimed"),
);

/** Puts a claimed step back in the queue (budget pause, transient failure) under its fencing token. */
export async function releaseStep(
  ex: Exec,
  stepId: string,
  attempt: number,
  availableAt: number,
  opts: { failed?: boolean } = {},
): Promise<boolean> {
  const r = await RELEASE.execute(ex, {
    stepId,
    attempt,
    availableAt,
    failures: opts.failed ? 1 : 0,
  });
  return Number(r.numAffectedRows) === 1;
}

const RELEASE = precompiled((db, s) =>
  db
    .updateTable("steps")
    .set((eb) => ({
      status: "ready",
      lease_owner: null,
      lease_expires_at: null,
      reserved_credits: 0,
      available_at: s.number("availableAt"),
      failures: eb("failures", "+", s.number("failures")),
    }))
    .where("id", "=", s.text("stepId"))
    .where("attempt", "=", s.number("attempt"))
    .where("status", "=", "claimed"),
);

/** Drops every unfinished step of a room (replan, cancel); their workers see it at the next heartbeat. */
export async function dropRoomSteps(ex: Exec, roomId: string): Promise<number> {
  const r = await ex.db
    .updateTable("steps")
    .set({ status: "dropped", lease_owner: null, lease_expires_at: null })
    .where("workroom_id", "=", roomId)
    .where("status", "in", ["ready", "claimed"])
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/**
 * When the next step in the future becomes due or its lease expires, or the next room paused for
 * a provider's rate limit resumes by itself (for the worker's sleep).
 */
export async function nextDueAt(ex: Exec, now: number): Promise<number | undefined> {
  const r = (await NEXT_DUE.execute(ex, { readyAfter: now, leaseAfter: now, resumeAfter: now }))
    .rows[0];
  const times = [r?.ready, r?.lease, r?.resume]
    .filter((t) => t !== null && t !== undefined)
    .map(Number);
  return times.length ? Math.min(...times) : undefined;
}

// Asked by an idle worker before it sleeps: once per quiet moment, so once per room at least.
// The rooms' part reads the partial index of rooms that resume by themselves (migration 0011).
const NEXT_DUE = precompiled((db, s) =>
  db
    .selectFrom("steps")
    .select((eb) => [
      eb.fn
        .min(eb.case().when("status", "=", READY).then(eb.ref("available_at")).end())
        .as("ready"),
      eb.fn.min("lease_expires_at").as("lease"),
      eb
        .selectFrom("workrooms")
        .select((r) => r.fn.min("resume_at").as("at"))
        .where("resume_at", ">", s.number("resumeAfter"))
        .as("resume"),
    ])
    .where((eb) =>
      eb.or([
        eb.and([eb("status", "=", READY), eb("available_at", ">", s.number("readyAfter"))]),
        eb.and([eb("status", "=", CLAIMED), eb("lease_expires_at", ">", s.number("leaseAfter"))]),
      ]),
    ),
);

/**
 * Steps claimed under a lease that is still valid at `now`, and when the last of those leases
 * ends: a count above zero means a worker is running on the database. Operations that rewrite or
 * copy the whole database (master key rotation, copying it) refuse to start then.
 */
export async function liveClaims(
  db: Db,
  now: number,
): Promise<{ steps: number; until: number | undefined }> {
  const r = await db
    .selectFrom("steps")
    .select((eb) => [
      eb.fn.countAll<number>().as("steps"),
      eb.fn.max("lease_expires_at").as("until"),
    ])
    .where("status", "=", "claimed")
    .where("lease_expires_at", ">", now)
    .executeTakeFirstOrThrow();
  return { steps: Number(r.steps), until: r.until === null ? undefined : Number(r.until) };
}
