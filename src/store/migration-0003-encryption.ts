// Migration 0003: installation-wide facts, today the master key check — a value sealed under the
// key the database was first opened with, so a process started with another key stops at once
// instead of writing content no other process can read.
import type { Kysely, Migration } from "kysely";

type Db = Kysely<unknown>;

export function encryptionTables(): Migration {
  return {
    async up(db: Db) {
      await db.schema
        .createTable("installation")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("key_check", "text", (c) => c.notNull())
        .execute();
    },
  };
}
