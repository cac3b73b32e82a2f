// What every repository function receives: a Kysely handle (the pool or one transaction) and the
// dialect, for the few spots where SQLite and PostgreSQL differ, and `seal` for the columns that
// are encrypted at rest (reads open them by themselves, see crypto/open-plugin.ts).
import type { CompiledQuery, QueryResult } from "kysely";
import type { Db, Dialect, StoreConnection } from "./db.js";
import type { Cipher } from "./crypto/cipher.js";
import type { RoomMemory } from "./room-memory.js";

export interface Exec {
  db: Db;
  dialect: Dialect;
  /** Seals a value of the workspace for storage: wrap every content or secret value written. */
  seal: Cipher["seal"];
  /**
   * Inside an SQLite transaction: runs a compiled query on the driver directly (the transaction
   * holds the one connection), opening sealed values as the plugin does. Precompiled queries use
   * it to skip Kysely's executor.
   */
  raw?: (query: CompiledQuery) => QueryResult<unknown>;
  /** Inside an SQLite transaction: runs a transaction-control statement (SAVEPOINT, RELEASE…) on
   *  the driver. */
  control?: (sqlText: string) => void;
  /**
   * In an engine unit (one room, one short transaction): what the unit has read of the room's
   * tasks, so the commit's scheduling and the begin after it read them once. The tasks module's
   * writes apply themselves to it (or clear it), and a savepoint that rolls back clears it.
   */
  unitCache?: Map<string, unknown>;
  /** The store's memory of rooms between units (room-memory.ts). */
  memory?: RoomMemory;
  /** The rooms whose tasks this transaction wrote (each must get a history event in it). */
  tasksWrittenOf?: Set<string>;
}

/** The repository handle of a store's pool. */
export const execOf = (
  store: Pick<StoreConnection, "db" | "dialect" | "cipher"> &
    Partial<Pick<StoreConnection, "memory">>,
): Exec => ({
  db: store.db,
  dialect: store.dialect,
  seal: store.cipher.seal,
  ...(store.memory && { memory: store.memory }),
});

export const json = (value: unknown): string => JSON.stringify(value);
export const parseJson = <T>(text: string): T => JSON.parse(text) as T;

/** Values one statement binds at most: under SQLite's 32,766 and PostgreSQL's 65,535. */
const MAX_PARAMETERS = 30_000;

/** `rows` in slices that one multi-row insert of `columns` columns can take (at most `most`
 *  rows each). */
export function insertSlices<T>(rows: readonly T[], columns: number, most = Infinity): T[][] {
  const size = Math.max(1, Math.min(most, Math.floor(MAX_PARAMETERS / Math.max(1, columns))));
  const slices: T[][] = [];
  for (let i = 0; i < rows.length; i += size) slices.push(rows.slice(i, i + size));
  return slices;
}
