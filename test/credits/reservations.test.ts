// Credits reserved by calls in flight belong to those calls: a revision round or a Style Memory
// extraction can only spend what is left beside them, and every credit a room is charged is a
// credit the ledger debits, also when a call settles after the month turned under it. On
// PostgreSQL two rooms' charges at once are split from the balance as committed.
import { afterEach, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { createAgent, extractStyle } from "../../src/app/agents.js";
import { balance, ledger } from "../../src/app/credits.js";
import { requestRevision } from "../../src/app/revisions.js";
import { createWorkroom, startWorkroom } from "../../src/app/workrooms.js";
import type { Begun } from "../../src/engine/begin.js";
import { poolExec } from "../../src/engine/deps.js";
import { currentWorkspace } from "../../src/engine/metering.js";
import { runTurn } from "../../src/engine/turn.js";
import { withTx } from "../../src/engine/tx.js";
import { ACTION_CREDIT_COSTS, revisionCost } from "../../src/domain/credits.js";
import type { ScriptedCall } from "../../src/models/scripted.js";
import { debit, reservedCredits } from "../../src/store/ledger.js";
import { DIALECTS } from "../support/databases.js";
import { ManualClock } from "../support/clock.js";
import { ownerOf, proposalRoom } from "../support/fixtures.js";
import { startHarness, type Harness } from "../support/harness.js";

/** Every call writes its whole output budget, so it is charged exactly what it reserved. */
const fullUsage = (c: ScriptedCall) => ({
  inputTokens: Math.ceil(c.prompt.length / 4),
  outputTokens: c.req.maxOutputTokens,
  cachedInputTokens: 0,
});

describe.each(DIALECTS)("credits reserved by calls in flight on %s", (dialect) => {
  let h: Harness;
  afterEach(async () => h?.close());

  const setBalance = (allowance: number, topup: number) =>
    h.runtime.deps.store.db
      .updateTable("workspaces")
      .set({ allowance_credits: allowance, topup_credits: topup })
      .where("id", "=", h.workspace.id)
      .execute();

  /** Starts a room and begins its first step by hand: its call's worst case is reserved, and the
   *  call is not made until `settle`. */
  async function roomWithCallInFlight(): Promise<{ reserved: number; settle(): Promise<void> }> {
    const deps = h.runtime.deps;
    const actor = ownerOf(h.workspace);
    const room = await createWorkroom(deps, actor, proposalRoom({ title: "In flight" }));
    await startWorkroom(deps, actor, room.id);
    const turn = (commits: Parameters<typeof runTurn>[1]["commits"]) =>
      runTurn(deps, {
        owner: "w-test",
        commits,
        free: commits.length ? 0 : 1,
        mayHaveDue: true,
        onClaimed: () => {},
      });
    const [begun] = (await turn([])).begun as [Begun];
    expect(begun.step.workroomId).toBe(room.id);
    const { workspace } = await reservedCredits(poolExec(deps), h.workspace.id, room.id);
    expect(workspace).toBeGreaterThan(0);
    return {
      reserved: workspace,
      async settle() {
        const outcome = await begun.handler.work(begun.prepared, {
          deps,
          step: begun.step,
          room: begun.room,
          signal: new AbortController().signal,
          meter: begun.meter,
        });
        const meta = begun.handler.meta(begun.prepared);
        await turn([{ step: begun.step, meta, outcome, meter: begun.meter }]);
      },
    };
  }

  /** What the ledger debited for rooms, and what the rooms were charged. */
  async function debitedAndCharged(): Promise<{ debited: number; charged: number }> {
    const rows = await ledger(h.runtime.deps, ownerOf(h.workspace));
    const rooms = await h.runtime.deps.store.db
      .selectFrom("workrooms")
      .select("credits_spent")
      .execute();
    return {
      debited: -rows
        .filter((l) => l.kind === "debit" && l.workroomId !== null)
        .reduce((n, l) => n + l.allowanceDelta + l.topupDelta, 0),
      charged: rooms.reduce((n, r) => n + r.credits_spent, 0),
    };
  }

  const ledgerSum = async () =>
    (await ledger(h.runtime.deps, ownerOf(h.workspace))).reduce(
      (n, l) => n + l.allowanceDelta + l.topupDelta,
      0,
    );

  it("refuses a revision round that only the credits reserved by another room's call would cover", async () => {
    h = await startHarness(dialect, { model: { usage: fullUsage } });
    const deps = h.runtime.deps;
    const actor = ownerOf(h.workspace);
    const done = await createWorkroom(deps, actor, proposalRoom({ title: "Done" }));
    await startWorkroom(deps, actor, done.id);
    const base = (await h.waitFor(done.id, ["completed"])).creditsSpent;
    await h.worker!.stop();
    const cost = revisionCost(base);

    const inFlight = await roomWithCallInFlight();
    await setBalance(inFlight.reserved + cost - 1, 0);
    await expect(
      requestRevision(deps, actor, done.id, {
        preset_slug: "tighten",
        preset_args: { instruction: "Shorter" },
      }),
    ).rejects.toMatchObject({ code: "insufficient_credits" });

    await inFlight.settle();
    const { debited, charged } = await debitedAndCharged();
    expect(debited).toBe(charged);
    expect((await balance(deps, actor)).total).toBe(cost - 1);
  });

  it("refuses a Style Memory extraction that only the credits reserved by a room's call would cover", async () => {
    h = await startHarness(dialect, { worker: false, model: { usage: fullUsage } });
    const deps = h.runtime.deps;
    const actor = ownerOf(h.workspace);
    const agent = await createAgent(deps, actor, {
      name: "Strategist",
      system_prompt: "Be brief.",
    });
    const inFlight = await roomWithCallInFlight();
    await setBalance(inFlight.reserved + ACTION_CREDIT_COSTS.style_extraction - 1, 0);
    await expect(
      extractStyle(deps, actor, agent.id, ["## Scope\nWe keep it simple."], "req-1"),
    ).rejects.toMatchObject({ code: "insufficient_credits" });
    await inFlight.settle();
    expect(await debitedAndCharged()).toMatchObject({ debited: inFlight.reserved });
  });

  it("debits all a call was charged when the month turned under it to a smaller allowance, and takes the overdraft from the next grant", async () => {
    const clock = new ManualClock(new Date("2026-11-30T23:59:00Z"));
    h = await startHarness(dialect, { clock, worker: false, model: { usage: fullUsage } });
    const deps = h.runtime.deps;
    const actor = ownerOf(h.workspace);
    const inFlight = await roomWithCallInFlight();
    // A plan whose monthly allowance is smaller than the call in flight.
    await deps.store.db
      .updateTable("workspaces")
      .set({ monthly_allowance: 1 })
      .where("id", "=", h.workspace.id)
      .execute();
    clock.set(new Date("2026-12-01T00:00:01Z"));
    await inFlight.settle();

    const { debited, charged } = await debitedAndCharged();
    expect(charged).toBe(inFlight.reserved);
    expect(debited).toBe(charged);
    const december = await balance(deps, actor);
    expect(december).toMatchObject({ allowance: 1 - charged, topup: 0, period: "2026-12" });
    expect(await ledgerSum()).toBe(december.total);

    clock.set(new Date("2027-01-01T00:00:01Z"));
    const january = await balance(deps, actor);
    expect(january).toMatchObject({ allowance: 1 + 1 - charged, period: "2027-01" });
    expect(await ledgerSum()).toBe(january.total);
  });
});

describe("two charges of one workspace at once on postgres", () => {
  let h: Harness;
  afterEach(async () => h?.close());

  // SQLite runs one write transaction at a time; PostgreSQL runs them side by side.
  it("splits each from the balance the other left, never both from the allowance", async () => {
    h = await startHarness("postgres", { worker: false });
    const deps = h.runtime.deps;
    await deps.store.db
      .updateTable("workspaces")
      .set({ allowance_credits: 5, topup_credits: 100 })
      .where("id", "=", h.workspace.id)
      .execute();
    const charge = (key: string, between?: Promise<void>, read?: () => void) =>
      withTx(deps, async (tx) => {
        const ws = await currentWorkspace(tx, h.workspace.id);
        read?.();
        await between;
        await debit(tx.ex, ws, 5, key, key, null, tx.now);
      });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let hasRead!: () => void;
    const firstRead = new Promise<void>((r) => (hasRead = r));
    const first = charge("first", gate, hasRead);
    await firstRead;
    let secondDone = false;
    const second = charge("second").finally(() => (secondDone = true));
    // The second charge either waits for the first one's lock or has committed without it.
    const waitingOnLock = async () =>
      Number(
        (
          await sql<{ n: string }>`select count(*) as n from pg_stat_activity
            where wait_event_type = 'Lock' and datname = current_database()`.execute(deps.store.db)
        ).rows[0]!.n,
      ) > 0;
    while (!secondDone && !(await waitingOnLock())) await new Promise((r) => setTimeout(r, 10));
    release();
    await Promise.all([first, second]);

    const w = await balance(deps, ownerOf(h.workspace));
    expect(w).toMatchObject({ allowance: 0, topup: 95 });
  });
});
