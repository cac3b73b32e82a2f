// SQLite statements whose rows are built as objects of one fixed shape per statement (db.ts keeps
// them by SQL text).
//
// better-sqlite3 builds each row object in C++, one named property at a time; V8 leaves such an
// object in dictionary mode (its properties in a hash table, every later read a lookup), and for a
// row of some thirty columns it takes twice as long as reading the row as an array (measured: the
// room's `select *` 9 µs as objects, 4.5 µs as an array made into an object by the function below,
// on this project's 2-core machine). So a statement that returns rows runs in raw mode, and its
// rows are made into objects by an object literal compiled once for its columns: every row of a
// statement then shares one hidden class, as objects built in JavaScript do.
import type SqliteDatabase from "better-sqlite3";
import type { UnknownRow } from "kysely";

/** What Kysely's SQLite driver and the engine's driver path need of a statement. */
export interface RowStatement {
  readonly reader: boolean;
  all(parameters: readonly unknown[]): UnknownRow[];
  iterate(parameters: readonly unknown[]): IterableIterator<UnknownRow>;
  run(parameters?: readonly unknown[]): SqliteDatabase.RunResult;
}

/** Prepares `sqlText` on `db`, returning rows as objects of one shape per statement. */
export function prepareRowStatement(db: SqliteDatabase.Database, sqlText: string): RowStatement {
  const stmt = db.prepare(sqlText);
  if (!stmt.reader) return stmt as unknown as RowStatement;
  const names = stmt.columns().map((c) => c.name);
  // In an object literal `__proto__: x` sets the prototype instead of a property: such a column
  // keeps better-sqlite3's own row objects.
  if (names.includes("__proto__")) return stmt as unknown as RowStatement;
  stmt.raw(true);
  const make = rowMaker(names);
  return {
    reader: true,
    all: (parameters) => (stmt.all(parameters) as unknown[][]).map(make),
    *iterate(parameters) {
      for (const row of stmt.iterate(parameters) as IterableIterator<unknown[]>) yield make(row);
    },
    run: (parameters) => (parameters ? stmt.run(parameters) : stmt.run()),
  };
}

/**
 * A function making a row array into an object with the columns as keys, in their order. Two
 * columns of one name (a join) leave the later one's value, as better-sqlite3's objects do.
 */
function rowMaker(names: readonly string[]): (row: unknown[]) => UnknownRow {
  const fields = names.map((name, i) => `${JSON.stringify(name)}: row[${i}]`);
  // The names come from SQLite's description of the statement and are quoted as JSON strings, so
  // no column name can become code.
  return new Function("row", `return { ${fields.join(", ")} };`) as (row: unknown[]) => UnknownRow;
}
