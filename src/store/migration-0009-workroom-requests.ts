// Migration 0009: the idempotency keys of room creations, kept for a day, so a `POST /workrooms`
// retried after its response was lost answers the room it made instead of making a second one.
// Written so it can run again, as migration 0008 is.
import type { Kysely, Migration } from "kysely";
import type { Dialect } from "./db.js";

export function workroomRequests(dialect: Dialect): Migration {
  const bigint = dialect === "postgres" ? "bigint" : "integer";
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("workroom_requests")
        .ifNotExists()
        // `<workspace>:<idempotency key>`: keys are the caller's, so scoped to their workspace.
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("workspace_id", "text", (c) =>
          c.notNull().references("workspaces.id").onDelete("cascade"),
        )
        .addColumn("fingerprint", "text", (c) => c.notNull())
        // Set in the transaction that claims the key, once the room exists.
        .addColumn("workroom_id", "text")
        .addColumn("created_at", bigint, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("workroom_requests_age")
        .ifNotExists()
        .on("workroom_requests")
        .columns(["workspace_id", "created_at"])
        .execute();
    },
  };
}
