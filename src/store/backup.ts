// A consistent copy of the embedded SQLite database while Atelya runs: `VACUUM INTO` writes the
// database as one read transaction sees it (writers go on; none of their later commits is in the
// copy) into a new, compacted file. The copy is sealed with the same master key, which it does
// not contain: it opens only with that key. PostgreSQL is backed up with its own tools.
import { existsSync, linkSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
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

/**
 * Writes the copy under a partial name in the target's folder and links it into place only once
 * it checks out, so a backup killed half-way leaves no file at `file` (a retry is not refused),
 * and the partial files of a run that no longer runs are removed.
 */
export async function backupTo(store: StoreConnection, file: string): Promise<Backup> {
  if (store.dialect !== "sqlite") throw new BackupRefusedError(POSTGRES_BACKUP);
  if (existsSync(file))
    throw new BackupRefusedError(`${file} exists already; a backup never overwrites a file.`);
  removeAbandonedPartials(file);
  const partial = partialName(file, process.pid);
  try {
    await sql`VACUUM INTO ${partial}`.execute(store.db);
    const rooms = checkCopy(partial, file);
    const bytes = statSync(partial).size;
    moveIntoPlace(partial, file);
    return { file, bytes, rooms };
  } finally {
    for (const f of [partial, `${partial}-journal`]) rmSync(f, { force: true });
  }
}

const PARTIAL = ".partial-";
const partialName = (file: string, pid: number): string =>
  join(dirname(file), `.${basename(file)}${PARTIAL}${pid}`);

/** Partial files (and their journals) of earlier backups to `file` whose process is gone. */
function removeAbandonedPartials(file: string): void {
  const prefix = `.${basename(file)}${PARTIAL}`;
  let names: string[];
  try {
    names = readdirSync(dirname(file));
  } catch {
    return; // no folder: VACUUM INTO says so
  }
  for (const name of names) {
    const pid = /^(\d+)(-journal)?$/.exec(name.startsWith(prefix) ? name.slice(prefix.length) : "");
    if (pid && !isRunning(Number(pid[1]))) rmSync(join(dirname(file), name), { force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
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

/** A link fails if `file` appeared meanwhile, so even then nothing is overwritten. */
function moveIntoPlace(partial: string, file: string): void {
  try {
    linkSync(partial, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST")
      throw new BackupRefusedError(`${file} exists already; a backup never overwrites a file.`);
    // A file system without hard links: the rename is atomic still, and the file was checked above.
    if (existsSync(file))
      throw new BackupRefusedError(`${file} exists already; a backup never overwrites a file.`);
    renameSync(partial, file);
  }
}
