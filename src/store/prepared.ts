// Precompiled queries for the engine's hot path. Kysely builds and compiles every query anew, which
// costs more than SQLite takes to run most of them (measured: ~37% of a step's CPU time against
// ~29% in SQLite itself). A precompiled query is built once per dialect with named slots in place
// of its values; each call only binds new values to the same SQL text. Still Kysely's builder and
// types, on both dialects: only the per-call building and compiling are skipped.
import type { CompiledQuery, Compilable, InsertObject, QueryResult } from "kysely";
import type { Db, Dialect } from "./db.js";
import type { Database } from "./schema.js";
import type { Exec } from "./exec.js";

export type SlotValue = string | number | null;
export type Values = Readonly<Record<string, SlotValue>>;

/** Stand-ins for a query's values while it is built; each is found again among the parameters. */
export interface Slots {
  text(name: string): string;
  number(name: string): number;
  /** A nullable value: only for inserted or updated columns (`= NULL` never matches in a WHERE). */
  nullableText(name: string): string | null;
  nullableNumber(name: string): number | null;
}

export interface Precompiled<R> {
  execute(ex: Exec, values: Values): Promise<QueryResult<R>>;
}

interface Plan<R> {
  compiled: CompiledQuery<R>;
  /** Per parameter: the slot it is bound from, or the constant the query was built with. */
  bindings: ({ slot: string } | { constant: unknown })[];
  /** Every slot, once, in the order the query first uses it. */
  slots: string[];
}

// Sentinels no real value takes: numbers far below any count or epoch, strings with a NUL byte.
const NUMBER_BASE = -(2 ** 52);

// PostgreSQL: the text of every precompiled query gets a statement name, so each connection parses
// and plans it once and afterwards only binds (db.ts sends these texts as named statements). The
// names are a handful, one per precompiled query and row count.
const statementNames = new Map<string, string>();

function nameStatement(sqlText: string): void {
  if (!statementNames.has(sqlText)) statementNames.set(sqlText, `atelya_${statementNames.size}`);
}

/** The statement name of a precompiled query's text (PostgreSQL), or undefined for any other. */
export const statementName = (sqlText: string): string | undefined => statementNames.get(sqlText);

/** Precompiled queries of one shape per key (a row count, a limit), built on first use. */
export function precompiledBy<K, R>(
  build: (key: K) => (db: Db, slots: Slots, dialect: Dialect) => Compilable<R>,
): (key: K) => Precompiled<R> {
  const byKey = new Map<K, Precompiled<R>>();
  return (key) => {
    let q = byKey.get(key);
    if (!q) {
      q = precompiled(build(key));
      byKey.set(key, q);
    }
    return q;
  };
}

/**
 * A query built once per dialect by `build`, which must use every slot as a plain value (not
 * compute with it, and not choose the query's shape from it).
 */
export function precompiled<R>(
  build: (db: Db, slots: Slots, dialect: Dialect) => Compilable<R>,
): Precompiled<R> {
  const plans = new Map<Dialect, Plan<R>>();
  return {
    async execute(ex, values) {
      let plan = plans.get(ex.dialect);
      if (!plan) {
        plan = compile(ex, build);
        plans.set(ex.dialect, plan);
      }
      const query = bind(plan, values);
      return ex.raw ? (ex.raw(query) as QueryResult<R>) : ex.db.executeQuery(query);
    },
  };
}

function compile<R>(
  ex: Exec,
  build: (db: Db, slots: Slots, dialect: Dialect) => Compilable<R>,
): Plan<R> {
  const byValue = new Map<unknown, string>();
  const slot = <T>(name: string, value: T): T => {
    if ([...byValue.values()].includes(name)) throw new Error(`slot ${name} is used twice`);
    byValue.set(value, name);
    return value;
  };
  const text = (name: string) => slot(name, `\u0000slot:${name}`);
  const number = (name: string) => slot(name, NUMBER_BASE - byValue.size);
  const slots: Slots = { text, number, nullableText: text, nullableNumber: number };
  const compiled = build(ex.db, slots, ex.dialect).compile();
  if (ex.dialect === "postgres") nameStatement(compiled.sql);
  const bindings = compiled.parameters.map((p): Plan<R>["bindings"][number] => {
    const name = byValue.get(p);
    return name === undefined ? { constant: p } : { slot: name };
  });
  const bound = new Set(bindings.flatMap((b) => ("slot" in b ? [b.slot] : [])));
  for (const name of byValue.values())
    if (!bound.has(name)) throw new Error(`slot ${name} does not reach the query as a value`);
  return { compiled, bindings, slots: [...bound] };
}

// Runs for every statement on the hot path: plain loops, and the compiled query's fields copied
// by name (a spread of it costs more than the rest of the binding).
function bind<R>(plan: Plan<R>, values: Values): CompiledQuery<R> {
  const { compiled, bindings, slots } = plan;
  for (let i = 0; i < slots.length; i++)
    if (values[slots[i]!] === undefined)
      throw new Error(`no value for slot ${slots[i]} of: ${compiled.sql}`);
  const parameters: unknown[] = new Array(bindings.length);
  for (let i = 0; i < bindings.length; i++) {
    const b = bindings[i]!;
    parameters[i] = "slot" in b ? values[b.slot] : b.constant;
  }
  return { sql: compiled.sql, query: compiled.query, queryId: compiled.queryId, parameters };
}

/** The values of a row's `C` columns (all of them unless said). */
type Row<T extends keyof Database, C extends keyof Database[T] = keyof Database[T]> = {
  [K in C]: SlotValue;
};

/**
 * Inserts `rows` into `table` with one precompiled statement per row count: every column a slot
 * (named `<column><row>`), so a multi-row insert is built and compiled once per count and dialect.
 */
export function precompiledInsert<T extends keyof Database, C extends keyof Database[T] & string>(
  table: T,
  columns: readonly C[],
): (ex: Exec, rows: readonly Row<T, C>[]) => Promise<void> {
  const byCount = precompiledBy(
    (count: number) => (db, s) =>
      db
        .insertInto(table)
        .values(
          Array.from(
            { length: count },
            (_, i) =>
              Object.fromEntries(
                columns.map((c) => [c, s.nullableText(`${c}${i}`)]),
              ) as unknown as InsertObject<Database, T>,
          ),
        ),
  );
  return async (ex, rows) => {
    if (rows.length === 0) return;
    const values: Record<string, SlotValue> = {};
    rows.forEach((row, i) => {
      for (const c of columns) values[`${c}${i}`] = row[c];
    });
    await byCount(rows.length).execute(ex, values);
  };
}
