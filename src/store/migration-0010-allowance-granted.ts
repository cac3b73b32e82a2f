// Migration 0010: what this month's allowance grant gave a workspace. The plan's monthly allowance
// (`monthly_allowance`) changes at once when the plan does, but the new amount is granted from the
// next month; use of the allowance (the 80% notice) is measured against what was granted. Filled
// from each workspace's grant for its current period; null (no grant row, or a workspace restored
// from an archive made before this column) reads as `monthly_allowance`. Written so it can run
// again (see migration 0008).
import { sql, type Kysely, type Migration } from "kysely";

export function allowanceGranted(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      const columns = (await db.introspection.getTables()).find(
        (t) => t.name === "workspaces",
      )?.columns;
      if (!columns?.some((c) => c.name === "allowance_granted"))
        await db.schema
          .alterTable("workspaces")
          .addColumn("allowance_granted", "integer")
          .execute();
      await sql`update workspaces set allowance_granted = (
          select ledger.allowance_delta from ledger
          where ledger.idempotency_key = 'allowance:' || workspaces.id || ':' || workspaces.allowance_period
        ) where allowance_granted is null`.execute(db);
    },
  };
}
