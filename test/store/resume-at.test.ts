// Migration 0011: when a room paused for a provider's rate limit resumes by itself. A room paused
// so before the upgrade resumes as soon as a worker looks (its call still waits for its step's
// time); the workers' look reads a partial index of such rooms, whatever the number of rooms.
import { describe, expect, it } from "vitest";
import { sql, type Kysely } from "kysely";
import { execOf } from "../../src/store/exec.js";
import { migrateTo, migrateToLatest } from "../../src/store/migrations.js";
import { insertWorkspace } from "../../src/store/workspaces.js";
import { findWorkroom, insertWorkroom } from "../../src/store/workrooms.js";
import { roomsDueToResume } from "../../src/store/resumes.js";
import { nextDueAt } from "../../src/store/steps.js";
import { DIALECTS, useTestStores } from "../support/databases.js";
import { bareRoom } from "../support/fixtures.js";

const openTestStore = useTestStores();

describe.each(DIALECTS)("when a rate-limited room resumes, on %s", (dialect) => {
  it("is set on a database made before 0011 for the rooms paused for a rate limit alone", async () => {
    const store = await openTestStore(dialect, { migrate: false });
    await migrateTo(store.db as Kysely<unknown>, dialect, "0010_allowance_granted");
    const ex = execOf(store);
    const now = new Date("2026-12-08T10:00:00Z");
    const ws = await insertWorkspace(ex, { name: "W", plan: "agency", defaultModel: "x", now });
    const pausedAs = async (title: string, reason: string | null) => {
      const room = await insertWorkroom(ex, ws.id, bareRoom(title), now);
      await store.db
        .updateTable("workrooms")
        .set({
          state: reason ? "paused" : "executing",
          paused_from: reason ? "executing" : null,
          pause_reason: reason,
          updated_at: now.getTime() - 60_000,
        })
        .where("id", "=", room.id)
        .execute();
      return room;
    };
    const limited = await pausedAs("Limited", "rate_limited");
    const byPerson = await pausedAs("Person", "user");
    const onCredits = await pausedAs("Credits", "budget");
    const running = await pausedAs("Running", null);

    await migrateToLatest(store.db as Kysely<unknown>, dialect);

    const at = async (id: string) => (await findWorkroom(ex, ws.id, id))!.resumeAt;
    expect(await at(limited.id)).toBe(now.getTime() - 60_000);
    for (const room of [byPerson, onCredits, running]) expect(await at(room.id)).toBeNull();
    expect(await roomsDueToResume(ex, now.getTime(), 50)).toEqual([
      { id: limited.id, workspaceId: ws.id },
    ]);
    expect(await roomsDueToResume(ex, now.getTime() - 60_001, 50)).toEqual([]);
    // Due already: not a time for the worker to sleep until.
    expect(await nextDueAt(ex, now.getTime())).toBeUndefined();
    expect(await nextDueAt(ex, now.getTime() - 120_000)).toBe(now.getTime() - 60_000);
  });

  it("finds the rooms due to resume through the partial index", async () => {
    const store = await openTestStore(dialect);
    const query = "select id, workspace_id from workrooms where resume_at <= 1 order by resume_at";
    const plan =
      dialect === "sqlite"
        ? await sql.raw(`explain query plan ${query}`).execute(store.db)
        : await store.transaction(async (tx) => {
            // A table this small would be read whole; the question is whether the index serves.
            await sql`set local enable_seqscan = off`.execute(tx);
            return sql.raw(`explain ${query}`).execute(tx);
          });
    expect(JSON.stringify(plan.rows)).toContain("workrooms_resume_at");
  });
});
