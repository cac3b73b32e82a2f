// Schema migrations, shared by SQLite and PostgreSQL (Kysely's schema builder). Append new
// migrations; never edit one that has shipped.
import {
  Migrator,
  sql,
  type Kysely,
  type Migration,
  type MigrationProvider,
  type MigrationResultSet,
} from "kysely";
import type { Dialect } from "./db.js";
import { serverTables } from "./migration-0002-server.js";
import { encryptionTables } from "./migration-0003-encryption.js";
import { stepIndexes } from "./migration-0004-step-indexes.js";
import { liveStepIndexes } from "./migration-0005-live-step-indexes.js";
import { agentsVersion } from "./migration-0006-agents-version.js";
import { historyRows } from "./migration-0007-history-rows.js";
import { styleDrafts } from "./migration-0008-style-drafts.js";
import { workroomRequests } from "./migration-0009-workroom-requests.js";
import { allowanceGranted } from "./migration-0010-allowance-granted.js";
import { resumeAt } from "./migration-0011-resume-at.js";
import { workroomStateIndex } from "./migration-0012-workroom-state-index.js";

type Db = Kysely<unknown>;

function initial(dialect: Dialect): Migration {
  const bigint = dialect === "postgres" ? "bigint" : "integer";
  const real = dialect === "postgres" ? "double precision" : "real";
  const serial = (db: Db, table: string) =>
    dialect === "postgres"
      ? db.schema
          .createTable(table)
          .addColumn("id", "bigint", (c) => c.primaryKey().generatedAlwaysAsIdentity())
      : db.schema
          .createTable(table)
          .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement());

  return {
    async up(db: Db) {
      await db.schema
        .createTable("workspaces")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("plan", "text", (c) => c.notNull())
        .addColumn("default_model", "text", (c) => c.notNull())
        .addColumn("planner_model", "text")
        .addColumn("monthly_allowance", "integer", (c) => c.notNull())
        .addColumn("allowance_credits", "integer", (c) => c.notNull())
        .addColumn("topup_credits", "integer", (c) => c.notNull())
        .addColumn("allowance_period", "text", (c) => c.notNull())
        .addColumn("settings", "text", (c) => c.notNull().defaultTo("{}"))
        .addColumn("created_at", bigint, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable("agents")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("workspace_id", "text", (c) =>
          c.notNull().references("workspaces.id").onDelete("cascade"),
        )
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("bot_type", "text", (c) => c.notNull())
        .addColumn("icon", "text", (c) => c.notNull())
        .addColumn("color", "text", (c) => c.notNull())
        .addColumn("role_description", "text", (c) => c.notNull())
        .addColumn("system_prompt", "text", (c) => c.notNull())
        .addColumn("model", "text")
        .addColumn("temperature", real, (c) => c.notNull())
        .addColumn("tool_grants", "text", (c) => c.notNull())
        .addColumn("context_grants", "text", (c) => c.notNull())
        .addColumn("style_rules", "text")
        .addColumn("archived_at", bigint)
        .addColumn("created_at", bigint, (c) => c.notNull())
        .addColumn("updated_at", bigint, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("agents_workspace")
        .on("agents")
        .columns(["workspace_id", "bot_type"])
        .execute();

      await db.schema
        .createTable("workrooms")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("workspace_id", "text", (c) =>
          c.notNull().references("workspaces.id").onDelete("cascade"),
        )
        .addColumn("title", "text", (c) => c.notNull())
        .addColumn("client", "text")
        .addColumn("goal", "text", (c) => c.notNull())
        .addColumn("deliverables", "text", (c) => c.notNull())
        .addColumn("deadline", "text")
        .addColumn("max_credits", "integer")
        .addColumn("paste_flags", "text", (c) => c.notNull())
        .addColumn("style_override", "text")
        .addColumn("review_plan", "integer", (c) => c.notNull())
        .addColumn("state", "text", (c) => c.notNull())
        .addColumn("paused_from", "text")
        .addColumn("pause_reason", "text")
        .addColumn("failure_reason", "text")
        .addColumn("generation", "integer", (c) => c.notNull())
        .addColumn("current_round", "integer", (c) => c.notNull())
        .addColumn("final_round", "integer", (c) => c.notNull())
        .addColumn("revision_in_flight", "integer", (c) => c.notNull())
        .addColumn("credits_spent", "integer", (c) => c.notNull())
        .addColumn("base_credits", "integer", (c) => c.notNull())
        .addColumn("hours_saved", real)
        .addColumn("event_seq", "integer", (c) => c.notNull())
        .addColumn("created_by", "text", (c) => c.notNull())
        .addColumn("created_at", bigint, (c) => c.notNull())
        .addColumn("updated_at", bigint, (c) => c.notNull())
        .addColumn("completed_at", bigint)
        .execute();
      await db.schema
        .createIndex("workrooms_workspace")
        .on("workrooms")
        .columns(["workspace_id", "created_at"])
        .execute();

      await db.schema
        .createTable("workroom_agents")
        .addColumn("workroom_id", "text", (c) =>
          c.notNull().references("workrooms.id").onDelete("cascade"),
        )
        .addColumn("agent_id", "text", (c) => c.notNull().references("agents.id"))
        .addColumn("workspace_id", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("workroom_agents_pk", ["workroom_id", "agent_id"])
        .execute();

      await db.schema
        .createTable("inputs")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("workspace_id", "text", (c) => c.notNull())
        .addColumn("workroom_id", "text", (c) =>
          c.notNull().references("workrooms.id").onDelete("cascade"),
        )
        .addColumn("position", "integer", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("label", "text")
        .addColumn("content", "text", (c) => c.notNull())
        .addColumn("bytes", "integer", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("inputs_room")
        .on("inputs")
        .columns(["workroom_id", "position"])
        .execute();

      await db.schema
        .createTable("plans")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("workspace_id", "text", (c) => c.notNull())
        .addColumn("workroom_id", "text", (c) =>
          c.notNull().references("workrooms.id").onDelete("cascade"),
        )
        .addColumn("generation", "integer", (c) => c.notNull())
        .addColumn("summary", "text", (c) => c.notNull())
        .addColumn("created_at", bigint, (c) => c.notNull())
        .addUniqueConstraint("plans_room_generation", ["workroom_id", "generation"])
        .execute();

      await db.schema
        .createTable("tasks")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("workspace_id", "text", (c) => c.notNull())
        .addColumn("workroom_id", "text", (c) =>
          c.notNull().references("workrooms.id").onDelete("cascade"),
        )
        .addColumn("plan_id", "text", (c) => c.notNull().references("plans.id").onDelete("cascade"))
        .addColumn("generation", "integer", (c) => c.notNull())
        .addColumn("ordinal", "integer", (c) => c.notNull())
        .addColumn("title", "text", (c) => c.notNull())
        .addColumn("description", "text", (c) => c.notNull())
        .addColumn("type", "text", (c) => c.notNull())
        .addColumn("agent_id", "text")
        .addColumn("depends_on", "text", (c) => c.notNull())
        .addColumn("estimated_seconds", "integer", (c) => c.notNull())
        .addColumn("spec", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("output", "text")
        .addColumn("error", "text")
        .addColumn("run", "integer", (c) => c.notNull())
        .addColumn("credits", "integer", (c) => c.notNull())
        .addColumn("started_at", bigint)
        .addColumn("finished_at", bigint)
        .execute();
      await db.schema
        .createIndex("tasks_room")
        .on("tasks")
        .columns(["workroom_id", "generation", "ordinal"])
        .execute();

      await db.schema
        .createTable("steps")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("workspace_id", "text", (c) => c.notNull())
        .addColumn("workroom_id", "text", (c) =>
          c.notNull().references("workrooms.id").onDelete("cascade"),
        )
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("task_id", "text")
        .addColumn("generation", "integer", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("attempt", "integer", (c) => c.notNull())
        .addColumn("failures", "integer", (c) => c.notNull())
        .addColumn("lease_owner", "text")
        .addColumn("lease_expires_at", bigint)
        .addColumn("available_at", bigint, (c) => c.notNull())
        .addColumn("reserved_credits", "integer", (c) => c.notNull())
        .addColumn("dedupe_key", "text", (c) => c.notNull().unique())
        .addColumn("created_at", bigint, (c) => c.notNull())
        .execute();
      // The queue: claimable steps by status and time; both branches of the claim (ready and due,
      // claimed with an expired lease) are index range scans, however many done steps pile up.
      await db.schema
        .createIndex("steps_queue")
        .on("steps")
        .columns(["status", "available_at"])
        .execute();
      await db.schema
        .createIndex("steps_leases")
        .on("steps")
        .columns(["status", "lease_expires_at"])
        .execute();
      await db.schema
        .createIndex("steps_room")
        .on("steps")
        .columns(["workroom_id", "status"])
        .execute();
      await db.schema
        .createIndex("steps_workspace")
        .on("steps")
        .columns(["workspace_id", "status"])
        .execute();

      await db.schema
        .createTable("drafts")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("workspace_id", "text", (c) => c.notNull())
        .addColumn("workroom_id", "text", (c) =>
          c.notNull().references("workrooms.id").onDelete("cascade"),
        )
        .addColumn("round", "integer", (c) => c.notNull())
        .addColumn("document", "text", (c) => c.notNull())
        .addColumn("created_at", bigint, (c) => c.notNull())
        .addUniqueConstraint("drafts_room_round", ["workroom_id", "round"])
        .execute();

      await db.schema
        .createTable("revisions")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("workspace_id", "text", (c) => c.notNull())
        .addColumn("workroom_id", "text", (c) =>
          c.notNull().references("workrooms.id").onDelete("cascade"),
        )
        .addColumn("round", "integer", (c) => c.notNull())
        .addColumn("preset_slug", "text", (c) => c.notNull())
        .addColumn("action", "text", (c) => c.notNull())
        .addColumn("instruction", "text", (c) => c.notNull())
        .addColumn("args", "text", (c) => c.notNull())
        .addColumn("source", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("error", "text")
        .addColumn("credits", "integer", (c) => c.notNull())
        .addColumn("requested_by", "text", (c) => c.notNull())
        .addColumn("created_at", bigint, (c) => c.notNull())
        .addColumn("finished_at", bigint)
        .addUniqueConstraint("revisions_room_round", ["workroom_id", "round"])
        .execute();

      await serial(db, "events")
        .addColumn("workspace_id", "text", (c) => c.notNull())
        .addColumn("workroom_id", "text", (c) =>
          c.notNull().references("workrooms.id").onDelete("cascade"),
        )
        .addColumn("seq", "integer", (c) => c.notNull())
        .addColumn("type", "text", (c) => c.notNull())
        .addColumn("actor", "text", (c) => c.notNull())
        .addColumn("data", "text", (c) => c.notNull())
        .addColumn("at", bigint, (c) => c.notNull())
        .addUniqueConstraint("events_room_seq", ["workroom_id", "seq"])
        .execute();
      await db.schema
        .createIndex("events_workspace")
        .on("events")
        .columns(["workspace_id", "id"])
        .execute();

      await db.schema
        .createTable("model_calls")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("workspace_id", "text", (c) => c.notNull())
        .addColumn("workroom_id", "text", (c) =>
          c.notNull().references("workrooms.id").onDelete("cascade"),
        )
        .addColumn("step_id", "text")
        .addColumn("task_id", "text")
        .addColumn("agent_id", "text")
        .addColumn("model", "text", (c) => c.notNull())
        .addColumn("purpose", "text", (c) => c.notNull())
        .addColumn("input_tokens", "integer", (c) => c.notNull())
        .addColumn("output_tokens", "integer", (c) => c.notNull())
        .addColumn("cached_tokens", "integer", (c) => c.notNull())
        .addColumn("credits", "integer", (c) => c.notNull())
        .addColumn("charged", "integer", (c) => c.notNull())
        .addColumn("latency_ms", "integer", (c) => c.notNull())
        .addColumn("at", bigint, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("model_calls_room")
        .on("model_calls")
        .columns(["workroom_id"])
        .execute();

      await serial(db, "ledger")
        .addColumn("workspace_id", "text", (c) =>
          c.notNull().references("workspaces.id").onDelete("cascade"),
        )
        .addColumn("workroom_id", "text")
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("allowance_delta", "integer", (c) => c.notNull())
        .addColumn("topup_delta", "integer", (c) => c.notNull())
        .addColumn("idempotency_key", "text", (c) => c.notNull().unique())
        .addColumn("note", "text", (c) => c.notNull())
        .addColumn("at", bigint, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("ledger_workspace")
        .on("ledger")
        .columns(["workspace_id", "id"])
        .execute();

      await serial(db, "audit_log")
        .addColumn("workspace_id", "text", (c) =>
          c.notNull().references("workspaces.id").onDelete("cascade"),
        )
        .addColumn("actor", "text", (c) => c.notNull())
        .addColumn("action", "text", (c) => c.notNull())
        .addColumn("target", "text")
        .addColumn("data", "text", (c) => c.notNull())
        .addColumn("at", bigint, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("audit_workspace")
        .on("audit_log")
        .columns(["workspace_id", "id"])
        .execute();
    },
  };
}

class InlineProvider implements MigrationProvider {
  constructor(private readonly dialect: Dialect) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return {
      "0001_initial": initial(this.dialect),
      "0002_server": serverTables(this.dialect),
      "0003_encryption": encryptionTables(),
      "0004_step_indexes": stepIndexes(),
      "0005_live_step_indexes": liveStepIndexes(),
      "0006_agents_version": agentsVersion(),
      "0007_history_rows": historyRows(this.dialect),
      "0008_style_drafts": styleDrafts(this.dialect),
      "0009_workroom_requests": workroomRequests(this.dialect),
      "0010_allowance_granted": allowanceGranted(),
      "0011_resume_at": resumeAt(this.dialect),
      "0012_workroom_state_index": workroomStateIndex(),
    };
  }
}

/**
 * Runs the migrator's pending migrations as one transaction. PostgreSQL's DDL is transactional and
 * Kysely uses it. On SQLite, Kysely runs each statement on its own (its adapter says SQLite DDL is
 * not transactional, though it is): a first start killed between two `CREATE TABLE`s of 0001 left
 * tables and no record of them, and every start after that failed with "table … already exists".
 * So on SQLite the whole run is one `BEGIN IMMEDIATE` … `COMMIT` on its one connection: a killed
 * run leaves the schema as it was, and a second process migrating at once waits for the first.
 */
async function migrating(
  db: Kysely<unknown>,
  dialect: Dialect,
  run: (migrator: Migrator) => Promise<MigrationResultSet>,
): Promise<MigrationResultSet> {
  const migrator = new Migrator({ db, provider: new InlineProvider(dialect) });
  if (dialect === "postgres") return run(migrator);
  // Nothing to do takes no lock: a second connection in the same process (a CLI command beside
  // the server's store, a test's second runtime) would otherwise wait on a transaction of the
  // first, which cannot end while better-sqlite3 holds the one thread waiting.
  if ((await migrator.getMigrations()).every((m) => m.executedAt)) return run(migrator);
  // A failure SQLite rolled back itself (a full disk) leaves no transaction to roll back: the
  // failure is what to report.
  const rollback = () => sql`rollback`.execute(db).catch(() => {});
  await sql`begin immediate`.execute(db);
  let result: MigrationResultSet;
  try {
    result = await run(migrator);
  } catch (e) {
    await rollback();
    throw e;
  }
  if (result.error) await rollback();
  else await sql`commit`.execute(db);
  return result;
}

function failed(error: unknown): Error {
  return new Error(
    `Database migration failed: ${error instanceof Error ? error.message : String(error)}`,
  );
}

/** Runs the migrations up to and including `name` (tests of an upgrade start from there). */
export async function migrateTo(
  db: Kysely<unknown>,
  dialect: Dialect,
  name: string,
): Promise<void> {
  const { error } = await migrating(db, dialect, (m) => m.migrateTo(name));
  if (error) throw failed(error);
}

/** Brings the schema up to date, all or nothing; safe to run from several processes. */
export async function migrateToLatest(db: Kysely<unknown>, dialect: Dialect): Promise<string[]> {
  const { error, results } = await migrating(db, dialect, (m) => m.migrateToLatest());
  if (error) throw failed(error);
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
