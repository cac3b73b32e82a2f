// A consistent copy of the embedded SQLite database while Atelya runs: `VACUUM INTO` writes the
// database as one read transaction sees it (writers go on; none of their later commits is in the
// copy) into a new, compacted file. The copy is sealed with the same master key, which it does
// not contain: it opens only with that key. PostgreSQL is backed up with its own tools.
import { existsSync, statSync } from "node:fs";
import SqliteDatabase from "better-sqlite3";
import { sql } from "kysely";
import type { StoreConnection } from "./db.js";

/** The backup could not be made, and nothing was written: the message says why. */
export class BackupRefusedError extends Error {
  override name = "BackupRefusedError";
}

export interface Backup {
  file: string;
  bytes: number;
  rooms: number;
}

/** What to do instead on PostgreSQL. */
export const POSTGRES_BACKUP =
  "This database is PostgreSQL: back it up with its own tools, e.g. `pg_dump --format=custom --file=atelya.dump $DATABASE_URL`, and keep the master key apart from the dump.";

export async function backupTo(store: StoreConnection, file: string): Promise<Backup> {
  if (store.dialect !== "sqlite") throw new BackupRefusedError(POSTGRES_BACKUP);
  if (existsSync(file))
    throw new BackupRefusedError(`${file} exists already; a backup never overwrites a file.`);
  await sql`VACUUM INTO ${file}`.execute(store.db);
  // Read back from the copy itself: it is whole, and it holds what it says.
  const copy = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
  try {
    const check = copy.pragma("quick_check", { simple: true });
    if (check !== "ok")
      throw new Error(`The backup ${file} does not check out (${String(check)}).`);
    const rooms = copy.prepare("select count(*) as n from workrooms").get() as { n: number };
    return { file, bytes: statSync(file).size, rooms: rooms.n };
  } finally {
    copy.close();
  }
}
