// Migration 0010: a workspace remembers what this month's allowance grant gave, so a plan changed
// mid-month (its new allowance given from the next month) does not move the 80% line.
import { describe, expect, it } from "vitest";
import type { Kysely } from "kysely";
import { execOf } from "../../src/store/exec.js";
import { migrateTo, migrateToLatest } from "../../src/store/migrations.js";
import { findWorkspace, insertWorkspace } from "../../src/store/workspaces.js";
import { DIALECTS, useTestStores } from "../support/databases.js";

const openTestStore = useTestStores();

describe.each(DIALECTS)("this month's grant on %s", (dialect) => {
  it("is filled from the month's grant row on a database made before 0010, else is the plan's allowance", async () => {
    const store = await openTestStore(dialect, { migrate: false });
    await migrateTo(store.db as Kysely<unknown>, dialect, "0009_workroom_requests");
    const ex = execOf(store);
    const now = new Date("2026-12-03T10:00:00Z");
    const upgraded = await insertWorkspace(ex, { name: "U", plan: "solo", defaultModel: "x", now });
    const ungranted = await insertWorkspace(ex, { name: "N", plan: "pro", defaultModel: "x", now });
    await store.db
      .insertInto("ledger")
      .values({
        workspace_id: upgraded.id,
        workroom_id: null,
        kind: "allowance_grant",
        allowance_delta: 1_000,
        topup_delta: 0,
        idempotency_key: `allowance:${upgraded.id}:2026-12`,
        note: "Monthly allowance for 2026-12",
        at: now.getTime(),
      })
      .execute();
    // Moved to Agency after December's grant.
    await store.db
      .updateTable("workspaces")
      .set({ plan: "agency", monthly_allowance: 100_000, allowance_credits: 1_000 })
      .where("id", "=", upgraded.id)
      .execute();
    await migrateToLatest(store.db as Kysely<unknown>, dialect);

    expect(await findWorkspace(ex, upgraded.id)).toMatchObject({
      monthlyAllowance: 100_000,
      allowanceGranted: 1_000,
    });
    expect((await findWorkspace(ex, ungranted.id))!.allowanceGranted).toBe(10_000);
  });
});
