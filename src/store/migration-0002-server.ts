// Migration 0002: what the HTTP server needs — people (users, memberships, sessions, invites, login
// throttling), workspace API keys, sealed workspace secrets, and outgoing webhooks with their
// durable delivery rows. Shipped migrations are never edited; append a new one.
import type { Kysely, Migration } from "kysely";
import type { Dialect } from "./db.js";

type Db = Kysely<unknown>;

export function serverTables(dialect: Dialect): Migration {
  const bigint = dialect === "postgres" ? "bigint" : "integer";
  return {
    async up(db: Db) {
      await db.schema
        .createTable("users")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("email", "text", (c) => c.notNull().unique())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("password_hash", "text", (c) => c.notNull())
        .addColumn("created_at", bigint, (c) => c.notNull())
        .addColumn("updated_at", bigint, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable("memberships")
        .addColumn("workspace_id", "text", (c) =>
          c.notNull().references("workspaces.id").onDelete("cascade"),
        )
        .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
        .addColumn("role", "text", (c) => c.notNull())
        .addColumn("created_at", bigint, (c) => c.notNull())
        .addPrimaryKeyConstraint("memberships_pk", ["workspace_id", "user_id"])
        .execute();
      await db.schema.createIndex("memberships_user").on("memberships").column("user_id").execute();

      await db.schema
        .createTable("sessions")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("token_hash", "text", (c) => c.notNull().unique())
        .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
        .addColumn("workspace_id", "text")
        .addColumn("csrf_token", "text", (c) => c.notNull())
        .addColumn("created_at", bigint, (c) => c.notNull())
        .addColumn("last_seen_at", bigint, (c) => c.notNull())
        .addColumn("expires_at", bigint, (c) => c.notNull())
        .execute();
      await db.schema.createIndex("sessions_user").on("sessions").column("user_id").execute();

      await db.schema
        .createTable("invites")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("workspace_id", "text", (c) =>
          c.notNull().references("workspaces.id").onDelete("cascade"),
        )
        .addColumn("email", "text", (c) => c.notNull())
        .addColumn("role", "text", (c) => c.notNull())
        .addColumn("token_hash", "text", (c) => c.notNull().unique())
        .addColumn("invited_by", "text", (c) => c.notNull())
        .addColumn("created_at", bigint, (c) => c.notNull())
        .addColumn("expires_at", bigint, (c) => c.notNull())
        .addColumn("accepted_at", bigint)
        .addColumn("accepted_by", "text")
        .addColumn("revoked_at", bigint)
        .execute();
      await db.schema
        .createIndex("invites_workspace")
        .on("invites")
        .columns(["workspace_id", "created_at"])
        .execute();

      // Failed sign-ins per key (an e-mail address, or a client address) in the current window;
      // in the database so every server replica sees the same count.
      await db.schema
        .createTable("login_throttle")
        .addColumn("key", "text", (c) => c.primaryKey())
        .addColumn("window_start", bigint, (c) => c.notNull())
        .addColumn("failures", "integer", (c) => c.notNull())
        .addColumn("locked_until", bigint)
        .execute();

      await db.schema
        .createTable("api_keys")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("workspace_id", "text", (c) =>
          c.notNull().references("workspaces.id").onDelete("cascade"),
        )
        .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("prefix", "text", (c) => c.notNull())
        .addColumn("key_hash", "text", (c) => c.notNull().unique())
        .addColumn("created_at", bigint, (c) => c.notNull())
        .addColumn("last_used_at", bigint)
        .addColumn("revoked_at", bigint)
        .execute();
      await db.schema
        .createIndex("api_keys_workspace")
        .on("api_keys")
        .columns(["workspace_id", "created_at"])
        .execute();

      // Provider keys and other secrets of a workspace: one sealed JSON document.
      await db.schema
        .alterTable("workspaces")
        .addColumn("secrets", "text", (c) => c.notNull().defaultTo(""))
        .execute();

      await db.schema
        .createTable("webhooks")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("workspace_id", "text", (c) =>
          c.notNull().references("workspaces.id").onDelete("cascade"),
        )
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("url", "text", (c) => c.notNull())
        .addColumn("format", "text", (c) => c.notNull())
        .addColumn("template", "text")
        .addColumn("events", "text", (c) => c.notNull())
        .addColumn("secret", "text", (c) => c.notNull())
        .addColumn("active", "integer", (c) => c.notNull())
        .addColumn("created_by", "text", (c) => c.notNull())
        .addColumn("created_at", bigint, (c) => c.notNull())
        .addColumn("updated_at", bigint, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("webhooks_workspace")
        .on("webhooks")
        .column("workspace_id")
        .execute();

      await db.schema
        .createTable("webhook_deliveries")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("workspace_id", "text", (c) =>
          c.notNull().references("workspaces.id").onDelete("cascade"),
        )
        .addColumn("webhook_id", "text", (c) =>
          c.notNull().references("webhooks.id").onDelete("cascade"),
        )
        .addColumn("event_type", "text", (c) => c.notNull())
        // One delivery per webhook and source event: a replayed transaction cannot queue it twice.
        .addColumn("event_key", "text", (c) => c.notNull())
        .addColumn("payload", "text", (c) => c.notNull())
        /** pending → delivered | failed (retries exhausted) */
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("attempts", "integer", (c) => c.notNull())
        .addColumn("next_attempt_at", bigint, (c) => c.notNull())
        .addColumn("lease_expires_at", bigint)
        .addColumn("last_status_code", "integer")
        .addColumn("last_response", "text")
        .addColumn("last_error", "text")
        .addColumn("created_at", bigint, (c) => c.notNull())
        .addColumn("delivered_at", bigint)
        .addUniqueConstraint("webhook_deliveries_event", ["webhook_id", "event_key"])
        .execute();
      await db.schema
        .createIndex("webhook_deliveries_due")
        .on("webhook_deliveries")
        .columns(["status", "next_attempt_at"])
        .execute();
      await db.schema
        .createIndex("webhook_deliveries_webhook")
        .on("webhook_deliveries")
        .columns(["webhook_id", "created_at"])
        .execute();
    },
  };
}
