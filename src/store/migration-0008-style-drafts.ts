// Migration 0008: a Style Memory extraction's draft, kept for a day by its idempotency key, so a
// request retried after its response was lost gets the same draft back instead of a refusal
// (the draft is not saved to the agent until someone edits and saves it). Written so it can run
// again: an earlier Atelya ran SQLite's DDL outside the migration's transaction, so a process it
// killed between the table and the migration's record left the table there.
import type { Kysely, Migration } from "kysely";
import type { Dialect } from "./db.js";

export function styleDrafts(dialect: Dialect): Migration {
  const bigint = dialect === "postgres" ? "bigint" : "integer";
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("style_drafts")
        .ifNotExists()
        // The extraction's ledger key: `style:<workspace>:<idempotency key>`.
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("workspace_id", "text", (c) =>
          c.notNull().references("workspaces.id").onDelete("cascade"),
        )
        .addColumn("agent_id", "text", (c) => c.notNull())
        .addColumn("fingerprint", "text", (c) => c.notNull())
        .addColumn("draft", "text", (c) => c.notNull())
        .addColumn("created_at", bigint, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("style_drafts_age")
        .ifNotExists()
        .on("style_drafts")
        .columns(["workspace_id", "created_at"])
        .execute();
    },
  };
}
