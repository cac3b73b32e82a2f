// Migration 0005 replaces the queue's indexes with partial ones over live steps: a database made
// before it upgrades with its work in flight, and the steps it had ready or claimed are still
// found by the claim, the reservation sum and the worker's next-due query.
import { describe, expect, it } from "vitest";
import type { Kysely } from "kysely";
import { execOf } from "../../src/store/exec.js";
import { migrateTo, migrateToLatest } from "../../src/store/migrations.js";
import { insertWorkspace } from "../../src/store/workspaces.js";
import { insertWorkroom } from "../../src/store/workrooms.js";
import { claimSteps, enqueueSteps, nextDueAt } from "../../src/store/steps.js";
import { reservedCredits } from "../../src/store/ledger.js";
import { DIALECTS, useTestStores } from "../support/databases.js";
import { bareRoom } from "../support/fixtures.js";

const openTestStore = useTestStores();

describe.each(DIALECTS)("upgrading the step queue on %s", (dialect) => {
  it("keeps the ready, the expired and the future steps of a database made before 0005", async () => {
    const store = await openTestStore(dialect, { migrate: false });
    await migrateTo(store.db as Kysely<unknown>, dialect, "0004_step_indexes");
    const ex = execOf(store);
    const now = new Date("2026-12-03T10:00:00Z");
    const t = now.getTime();
    const ws = await insertWorkspace(ex, {
      name: "W",
      plan: "solo",
      defaultModel: "scripted",
      now,
    });
    const room = await insertWorkroom(ex, ws.id, bareRoom("Room"), now);
    await store.db
      .updateTable("workrooms")
      .set({ state: "executing" })
      .where("id", "=", room.id)
      .execute();
    const step = (key: string, availableAt: number) => ({
      workspaceId: ws.id,
      workroomId: room.id,
      kind: "task" as const,
      taskId: null,
      generation: room.generation,
      dedupeKey: key,
      availableAt,
    });
    await enqueueSteps(
      ex,
      [step("due", t - 1_000), step("expired", t - 1_000), step("done", t - 1_000)],
      now,
    );
    await enqueueSteps(ex, [step("later", t + 60_000)], now);
    const set = (key: string, values: Record<string, string | number>) =>
      store.db.updateTable("steps").set(values).where("dedupe_key", "=", key).execute();
    // A worker died holding "expired" (lease ran out, 7 credits reserved); "done" is finished.
    await set("expired", {
      status: "claimed",
      attempt: 1,
      lease_owner: "dead",
      lease_expires_at: t - 500,
      reserved_credits: 7,
    });
    await set("done", { status: "done", attempt: 1 });

    await migrateToLatest(store.db as Kysely<unknown>, dialect);

    expect(await reservedCredits(ex, ws.id, room.id)).toEqual({ room: 7, workspace: 7 });
    expect(await nextDueAt(ex, t)).toBe(t + 60_000);
    const claimed = await store.transaction((tx) =>
      claimSteps(store.execIn(tx), "worker-b", 10, 30_000, t),
    );
    const keys = await store.db
      .selectFrom("steps")
      .select(["dedupe_key", "status", "lease_owner", "attempt"])
      .where(
        "id",
        "in",
        claimed.map((s) => s.id),
      )
      .orderBy("dedupe_key")
      .execute();
    expect(keys).toEqual([
      { dedupe_key: "due", status: "claimed", lease_owner: "worker-b", attempt: 1 },
      { dedupe_key: "expired", status: "claimed", lease_owner: "worker-b", attempt: 2 },
    ]);
    // The reclaim reset the dead worker's reservation; the new lease shows as the next due time.
    expect(await reservedCredits(ex, ws.id, room.id)).toEqual({ room: 0, workspace: 0 });
    expect(await nextDueAt(ex, t)).toBe(t + 30_000);
  });
});
