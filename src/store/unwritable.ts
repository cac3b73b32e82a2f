// Recognises the errors of a store that refuses writes for a while (a full disk, an I/O error, a
// lost server), as opposed to a bug or a refused row: the engine backs off and retries those.

// SQLite result codes (better-sqlite3 puts the extended code's name on `code`).
const SQLITE_UNWRITABLE = /^SQLITE_(FULL|IOERR|BUSY|LOCKED|READONLY|CANTOPEN|PROTOCOL)/;
// PostgreSQL SQLSTATE classes: 53 insufficient resources (53100 disk_full), 08 connection
// exception (a lost connection too: ConnectionLostError in db.ts), 57P operator intervention
// (shutdown, a terminated session, cannot connect now).
const PG_UNWRITABLE = /^(53|08|57P)/;
// The file system's own (a node:fs write, or a driver that passes errno names through).
const OS_UNWRITABLE = new Set(["ENOSPC", "EDQUOT", "EROFS", "EIO", "ECONNREFUSED", "ECONNRESET"]);

/** Whether `e` (or an error it was caused by) says the store cannot take writes right now. */
export function isStoreUnwritable(e: unknown): boolean {
  for (let err = e, depth = 0; err instanceof Error && depth < 5; depth++) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === "string") {
      if (SQLITE_UNWRITABLE.test(code) || PG_UNWRITABLE.test(code) || OS_UNWRITABLE.has(code))
        return true;
    }
    err = err.cause;
  }
  return false;
}

/** The code of the first error in `e`'s causes that has one (said where a message would tell too
 *  much, such as the database's address, to anyone who asks). */
export function storeErrorCode(e: unknown): string | undefined {
  for (let err = e, depth = 0; err instanceof Error && depth < 5; depth++) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === "string") return code;
    err = err.cause;
  }
  return undefined;
}

/** The code and message of the first error in `e`'s causes that has a code, for a log line. */
export function describeStoreError(e: unknown): string {
  for (let err = e, depth = 0; err instanceof Error && depth < 5; depth++) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === "string") return `${code}: ${err.message}`;
    err = err.cause;
  }
  return e instanceof Error ? e.message : String(e);
}
