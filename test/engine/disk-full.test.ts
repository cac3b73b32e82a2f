// A full disk: SQLite refuses the writes that need a new page (SQLITE_FULL). A small
// `max_page_count` makes it do so deterministically, without filling a real disk. The worker must
// back off instead of spinning through failing turns (which starved the event loop: no timer ran,
// no request was answered, nothing was logged), and complete the room once space is back.
import { afterEach, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { createWorkroom, startWorkroom, workroomHistory } from "../../src/app/workrooms.js";
import { ownerOf, proposalRoom } from "../support/fixtures.js";
import { startHarness, type Harness } from "../support/harness.js";

/** Makes the store refuse every write that needs a page it does not have yet. */
async function fillDisk(h: Harness): Promise<void> {
  const db = h.runtime.deps.store.db;
  const { rows } = await sql<{ page_count: number }>`pragma page_count`.execute(db);
  await sql.raw(`pragma max_page_count = ${rows[0]!.page_count}`).execute(db);
}

async function freeDisk(h: Harness): Promise<void> {
  await sql`pragma max_page_count = 1000000`.execute(h.runtime.deps.store.db);
}

/** The longest time a 10 ms timer waited for the event loop over `ms`. */
async function longestStall(ms: number): Promise<number> {
  let last = performance.now();
  let longest = 0;
  const tick = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 10);
  await new Promise((resolve) => setTimeout(resolve, ms));
  clearInterval(tick);
  return Math.max(longest, performance.now() - last);
}

describe("a full disk (SQLite)", () => {
  let h: Harness;
  afterEach(async () => h?.close());

  /** A started room, its worker not running yet. */
  async function startedRoom(config: { idlePollMs: number; leaseMs?: number }) {
    h = await startHarness("sqlite", { worker: false, config });
    const deps = h.runtime.deps;
    const actor = ownerOf(h.workspace);
    const room = await createWorkroom(deps, actor, proposalRoom());
    await startWorkroom(deps, actor, room.id);
    return { deps, actor, room };
  }

  it("waits while its commits fail, and completes the room once space is back", async () => {
    const { deps, actor, room } = await startedRoom({ idlePollMs: 50, leaseMs: 1_000 });
    await fillDisk(h);
    const counters = deps.store.counters!;
    const before = counters.statements;
    h.runtime.startWorker();
    // The plan's commit needs new pages: it fails while the disk is full.
    const stall = await longestStall(1_500);
    expect(stall).toBeLessThan(1_000);
    expect(counters.statements - before).toBeLessThan(500);
    // /health says so (the workers saw it), and stops saying so once a write goes through.
    expect(deps.store.writes.refused?.cause).toMatch(/^SQLITE_FULL/);
    // A step runs again only when its lease (1 s here) has expired, not at every turn.
    expect(h.model.log.length).toBeLessThanOrEqual(3);

    await freeDisk(h);
    const done = await h.waitFor(room.id, ["completed", "failed", "paused"], 30_000);
    expect(done.state).toBe("completed");
    expect(deps.store.writes.refused).toBeNull();
    // The plan's work went with its failed commit: the step ran again once its lease expired,
    // and what the history records (and charges) is the attempt that committed.
    const history = await workroomHistory(deps, actor, room.id);
    expect(history.map((e) => e.seq)).toEqual(history.map((_, i) => i + 1));
    expect(history.filter((e) => e.type === "plan.created")).toHaveLength(1);
  });

  it("backs off while claims fail instead of taking the event loop", async () => {
    const { deps, room } = await startedRoom({ idlePollMs: 50 });
    // Every claim fails, as every write does on a full disk (whatever its code, a failed claim
    // is retried after a wait).
    const db = deps.store.db;
    await sql`create trigger full_disk before update of lease_owner on steps
      when new.lease_owner is not null begin select raise(fail, 'database or disk is full'); end`.execute(
      db,
    );
    const counters = deps.store.counters!;
    const before = counters.statements;
    h.runtime.startWorker();
    const stall = await longestStall(1_500);
    // Spinning, the worker ran tens of thousands of statements and no timer fired meanwhile.
    expect(stall).toBeLessThan(1_000);
    expect(counters.statements - before).toBeLessThan(500);

    await sql`drop trigger full_disk`.execute(db);
    const done = await h.waitFor(room.id, ["completed", "failed", "paused"], 30_000);
    expect(done.state).toBe("completed");
  });
});
