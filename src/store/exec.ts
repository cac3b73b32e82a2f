// What every repository function receives: a Kysely handle (the pool or one transaction) and the
// dialect, for the few spots where SQLite and PostgreSQL differ.
import type { Db, Dialect } from "./db.js";

export interface Exec {
  db: Db;
  dialect: Dialect;
}

export const json = (value: unknown): string => JSON.stringify(value);
export const parseJson = <T>(text: string): T => JSON.parse(text) as T;
