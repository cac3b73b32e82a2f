// Migration 0007: the history is stored a transaction at a time. A row of `history` holds what one
// transaction appended to one room: its sequence numbers `first_seq`..`last_seq`, and its events
// sealed once. A row of one event keeps `type`, `actor` and the event's `data` as `events` rows
// did; a row of several has null `type` and `actor`, and `data` is the array of their
// `[type, actor, data]` (store/events.ts). A step appended ~3.7 events, each a row of three index
// entries and an envelope of its own; it now appends one.
//
// Every `events` row becomes a one-event row with the same id, so positions in the workspace's
// order are kept, and its sealed data is copied as it is (an envelope names its workspace, not its
// column). Migrations now run in one transaction on both databases (migrations.ts); an earlier
// Atelya ran this copy in a transaction of its own on SQLite, so a process it killed after the
// copy committed but before the migration was recorded left `events` gone: the next start finds
// that and has nothing left to do.
import { sql, type Kysely, type Migration } from "kysely";
import type { Dialect } from "./db.js";

type Db = Kysely<unknown>;

export function historyRows(dialect: Dialect): Migration {
  const bigint = dialect === "postgres" ? "bigint" : "integer";
  const copy = async (db: Db) => {
    await (
      dialect === "postgres"
        ? db.schema
            .createTable("history")
            .addColumn("id", "bigint", (c) => c.primaryKey().generatedAlwaysAsIdentity())
        : db.schema
            .createTable("history")
            .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    )
      .addColumn("workspace_id", "text", (c) => c.notNull())
      .addColumn("workroom_id", "text", (c) =>
        c.notNull().references("workrooms.id").onDelete("cascade"),
      )
      .addColumn("first_seq", "integer", (c) => c.notNull())
      .addColumn("last_seq", "integer", (c) => c.notNull())
      .addColumn("type", "text")
      .addColumn("actor", "text")
      .addColumn("data", "text", (c) => c.notNull())
      .addColumn("at", bigint, (c) => c.notNull())
      // A room's rows in order: its sequence ranges are disjoint, so either end orders them.
      .addUniqueConstraint("history_room_seq", ["workroom_id", "last_seq"])
      .execute();
    await sql`insert into history (id, workspace_id, workroom_id, first_seq, last_seq, type, actor, data, at)
      ${dialect === "postgres" ? sql`overriding system value` : sql``}
      select id, workspace_id, workroom_id, seq, seq, type, actor, data, at from events`.execute(
      db,
    );
    if (dialect === "postgres")
      await sql`select setval(pg_get_serial_sequence('history', 'id'),
        coalesce((select max(id) from history), 0) + 1, false)`.execute(db);
    await db.schema.dropTable("events").execute();
    await db.schema
      .createIndex("history_workspace")
      .on("history")
      .columns(["workspace_id", "id"])
      .execute();
  };
  return {
    async up(db: Db) {
      if (dialect === "postgres") return copy(db);
      const { rows } = await sql<{
        n: number;
      }>`select count(*) as n from sqlite_master where type = 'table' and name = 'events'`.execute(
        db,
      );
      if (Number(rows[0]?.n) === 0) return;
      await copy(db);
    },
  };
}
