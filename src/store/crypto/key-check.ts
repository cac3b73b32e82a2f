// Start-up check that this process holds the master key the database was first opened with. Without
// it, a worker started with another key (a second generated key file, a typo in a secret) would
// write content that no other process can read, and reads would fail only much later.
import type { Db } from "../db.js";
import { SealedValueError, type Cipher } from "./cipher.js";

const SCOPE = "installation";
const CHECK = "atelya master key check v1";

export class MasterKeyMismatchError extends Error {
  override name = "MasterKeyMismatchError";
  constructor(source: string) {
    super(
      `The database was sealed with another master key than this process has (from ${source}). ` +
        "Start it with the database's key — set ATELYA_MASTER_KEY or ATELYA_MASTER_KEY_FILE to it; every server and worker of one database needs the same key (see docs/security.md).",
    );
  }
}

/** A key file made on this start for a database that was sealed with a key from elsewhere (a
 *  database restored or copied without its key): the file is removed again, so no key that opens
 *  nothing is left beside the database, looking like its own. */
export class MasterKeyMissingError extends Error {
  override name = "MasterKeyMissingError";
  constructor(file: string) {
    super(
      `There was no master key at ${file}, and this database was sealed with one: put the database's key there (or set ATELYA_MASTER_KEY or ATELYA_MASTER_KEY_FILE to it); no key file was left behind (see docs/security.md).`,
    );
  }
}

/** Records the key on first open; afterwards refuses a process whose key does not open it. */
export async function checkMasterKey(db: Db, cipher: Cipher, source: string): Promise<void> {
  const read = async () => {
    try {
      return await db
        .selectFrom("installation")
        .select("key_check")
        .where("id", "=", "main")
        .executeTakeFirst();
    } catch (e) {
      if (e instanceof SealedValueError) throw new MasterKeyMismatchError(source);
      throw e;
    }
  };
  let row = await read();
  if (!row) {
    await db
      .insertInto("installation")
      .values({ id: "main", key_check: cipher.seal(SCOPE, CHECK) })
      .onConflict((oc) => oc.column("id").doNothing())
      .execute();
    row = await read(); // another process may have won the race: its key is the one
  }
  if (row?.key_check !== CHECK) throw new MasterKeyMismatchError(source);
}
