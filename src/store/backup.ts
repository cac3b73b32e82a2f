// A consistent copy of the embedded SQLite database while Atelya runs: `VACUUM INTO` writes the
// database as one read transaction sees it (writers go on; none of their later commits is in the
// copy) into a new, compacted file. The copy is sealed with the same master key, which it does
// not contain: it opens only with that key. PostgreSQL is backed up with its own tools.
import { statSync } from "node:fs";
import SqliteDatabase from "better-sqlite3";
import { sql } from "kysely";
import type { StoreConnection } from "./db.js";
import { FileExistsError, writeNewFile } from "./new-file.js";

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

/**
 * Writes the copy whole or not at all (`writeNewFile`): a backup killed half-way leaves no file at
 * `file`, and a retry is not refused.
 */
export async function backupTo(store: StoreConnection, file: string): Promise<Backup> {
  if (store.dialect !== "sqlite") throw new BackupRefusedError(POSTGRES_BACKUP);
  try {
    return await writeNewFile(file, "a backup", async (partial) => {
      await sql`VACUUM INTO ${partial}`.execute(store.db);
      const rooms = checkCopy(partial, file);
      return { file, bytes: statSync(partial).size, rooms };
    });
  } catch (e) {
    throw e instanceof FileExistsError ? new BackupRefusedError(e.message) : e;
  }
}

/** Reads the copy back: it is whole, and it holds what it says. Returns its number of rooms. */
function checkCopy(partial: string, file: string): number {
  const copy = new SqliteDatabase(partial, { readonly: true, fileMustExist: true });
  try {
    const check = copy.pragma("quick_check", { simple: true });
    if (check !== "ok")
      throw new Error(`The backup ${file} does not check out (${String(check)}).`);
    return (copy.prepare("select count(*) as n from workrooms").get() as { n: number }).n;
  } finally {
    copy.close();
  }
}
