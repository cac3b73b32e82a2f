// Copies a whole Atelya database into another, empty one: SQLite to PostgreSQL when an agency
// outgrows the embedded store, PostgreSQL to SQLite for a local copy. Every row of every table is
// copied as stored: sealed values stay sealed (a value's envelope does not depend on the database,
// so the copy opens with the same master key and only with it), ids stay the same, and so do
// the work queue's steps and their leases, so rooms in flight go on where they were once a worker
// runs on the copy. Sign-in sessions, API keys and webhooks keep working.
//
// Generic over the schema, like the master key rotation: the tables and their columns are read
// from the database, and tables are filled in the order of their foreign keys, so a table added
// by a later migration needs nothing here. The copy reads one snapshot of the source and writes
// in one transaction on the target: if anything fails, the target holds nothing of it.
import { sql, type Kysely } from "kysely";
import type { Db, StoreConnection } from "./db.js";
import { insertSlices } from "./exec.js";
import { liveClaims } from "./steps.js";

/** The copy was not made, and the target was not changed: the message says why. */
export class CopyRefusedError extends Error {
  override name = "CopyRefusedError";
}

export interface CopyReport {
  /** Rows copied by table, in the order the tables were filled. */
  tables: { table: string; rows: number }[];
  rows: number;
}

/** Kysely's migration bookkeeping (each database has its own, made by its migrations), and the
 *  installation's master-key check, which the target made when it was opened with the same key. */
const NOT_COPIED = new Set(["kysely_migration", "kysely_migration_lock", "installation"]);

/** Rows per read, and at most per insert (fewer when a table has many columns). */
const PAGE_ROWS = 500;

interface TableShape {
  table: string;
  columns: string[];
  hasId: boolean;
}

type Raw = Kysely<Record<string, Record<string, unknown>>>;

export async function copyStore(
  from: StoreConnection,
  to: StoreConnection,
  options: { now?: number; onTable?: (table: string, rows: number) => void } = {},
): Promise<CopyReport> {
  if (from.url === to.url)
    throw new CopyRefusedError("The source and the target are the same database.");
  // Rows written after the snapshot would not be in the copy: nothing may be running.
  const live = await liveClaims(from.db, options.now ?? Date.now());
  if (live.steps > 0)
    throw new CopyRefusedError(
      `A worker is running on the source: it holds ${live.steps} step(s) until ${new Date(live.until!).toISOString()}. ` +
        "Stop every Atelya process on it (servers and workers) first: what they wrote after the copy began would not be in it.",
    );
  const source = await tablesOf(from);
  const target = await tablesOf(to);
  const order = await fillOrder(to, target);
  const missing = [...source.keys()].filter((t) => !target.has(t));
  if (missing.length > 0)
    throw new CopyRefusedError(
      `The target has no table ${missing.join(", ")}: it was made by another version of Atelya.`,
    );
  for (const shape of source.values()) {
    const theirs = new Set(target.get(shape.table)!.columns);
    const lacking = shape.columns.filter((c) => !theirs.has(c));
    if (lacking.length > 0)
      throw new CopyRefusedError(
        `The target's table ${shape.table} has no column ${lacking.join(", ")}: it was made by another version of Atelya.`,
      );
  }
  const identity = to.dialect === "postgres" ? await identityColumns(to.db) : new Map();
  return to.transaction(async (tx) => {
    const write = tx.withoutPlugins() as unknown as Raw;
    const filled = [];
    for (const table of order) if (await hasRows(write, table)) filled.push(table);
    if (filled.length > 0)
      throw new CopyRefusedError(
        `The target is not empty: ${filled.join(", ")} hold rows. Copy into a new, empty database.`,
      );
    const report: CopyReport = { tables: [], rows: 0 };
    await from.readSnapshot(async (snapshot) => {
      // The values as stored: sealed values are copied sealed, never opened.
      const read = snapshot.withoutPlugins() as unknown as Raw;
      for (const table of order) {
        const shape = source.get(table);
        if (!shape) continue;
        let rows = 0;
        for await (const page of pages(read, shape)) {
          await insertRows(write, shape, page, identity.has(table));
          rows += page.length;
        }
        report.tables.push({ table, rows });
        report.rows += rows;
        options.onTable?.(table, rows);
      }
    });
    // PostgreSQL hands out identity values from a sequence, which the copied ids did not move.
    for (const [table, column] of identity)
      await sql`select setval(pg_get_serial_sequence(${table}, ${column}),
        (select coalesce(max(${sql.ref(column)}), 0) + 1 from ${sql.table(table)}), false)`.execute(
        write,
      );
    return report;
  });
}

async function tablesOf(store: StoreConnection): Promise<Map<string, TableShape>> {
  const tables = await store.db.introspection.getTables();
  return new Map(
    tables
      .filter((t) => !t.isView && !NOT_COPIED.has(t.name) && !t.name.startsWith("sqlite_"))
      .map((t) => [
        t.name,
        {
          table: t.name,
          columns: t.columns.map((c) => c.name),
          hasId: t.columns.some((c) => c.name === "id"),
        },
      ]),
  );
}

/** The tables in an order where every table comes after the tables its foreign keys name. */
async function fillOrder(
  store: StoreConnection,
  tables: Map<string, TableShape>,
): Promise<string[]> {
  const references =
    store.dialect === "sqlite"
      ? await sql<{ child: string; parent: string }>`
          select m.name as child, f."table" as parent
          from sqlite_master m join pragma_foreign_key_list(m.name) f
          where m.type = 'table'`.execute(store.db)
      : await sql<{ child: string; parent: string }>`
          select c.conrelid::regclass::text as child, c.confrelid::regclass::text as parent
          from pg_constraint c
          where c.contype = 'f' and c.connamespace = current_schema()::regnamespace`.execute(
          store.db,
        );
  const parents = new Map<string, Set<string>>([...tables.keys()].map((t) => [t, new Set()]));
  for (const { child, parent } of references.rows)
    if (child !== parent && parents.has(child) && parents.has(parent))
      parents.get(child)!.add(parent);
  const order: string[] = [];
  const placed = new Set<string>();
  while (order.length < parents.size) {
    const ready = [...parents]
      .filter(([t, ps]) => !placed.has(t) && [...ps].every((p) => placed.has(p)))
      .map(([t]) => t)
      .sort();
    if (ready.length === 0)
      throw new CopyRefusedError(
        "The schema's foreign keys form a cycle; this version of Atelya cannot copy it.",
      );
    for (const t of ready) {
      placed.add(t);
      order.push(t);
    }
  }
  return order;
}

/** PostgreSQL: the identity column of each table that has one (`generated always`). */
async function identityColumns(db: Db): Promise<Map<string, string>> {
  const { rows } = await sql<{ table_name: string; column_name: string }>`
    select table_name, column_name from information_schema.columns
    where table_schema = current_schema() and is_identity = 'YES'`.execute(db);
  return new Map(rows.map((r) => [r.table_name, r.column_name]));
}

async function hasRows(db: Raw, table: string): Promise<boolean> {
  const { rows } = await sql`select 1 from ${sql.table(table)} limit 1`.execute(db);
  return rows.length > 0;
}

/** A table's rows a page at a time by id; a table without one (a few rows per room or person,
 *  such as a room's agents) in one read. */
async function* pages(db: Raw, shape: TableShape): AsyncGenerator<Record<string, unknown>[]> {
  const columns = sql.join(shape.columns.map((c) => sql.ref(c)));
  if (!shape.hasId) {
    const { rows } = await sql<Record<string, unknown>>`
      select ${columns} from ${sql.table(shape.table)}`.execute(db);
    for (let i = 0; i < rows.length; i += PAGE_ROWS) yield rows.slice(i, i + PAGE_ROWS);
    return;
  }
  let after: unknown;
  for (;;) {
    const { rows } = await sql<Record<string, unknown>>`
      select ${columns} from ${sql.table(shape.table)}
      ${after === undefined ? sql`` : sql`where ${sql.ref("id")} > ${after}`}
      order by ${sql.ref("id")} limit ${PAGE_ROWS}`.execute(db);
    if (rows.length > 0) yield rows;
    if (rows.length < PAGE_ROWS) return;
    after = rows.at(-1)!["id"];
  }
}

async function insertRows(
  db: Raw,
  shape: TableShape,
  rows: readonly Record<string, unknown>[],
  identity: boolean,
): Promise<void> {
  const columns = sql.join(shape.columns.map((c) => sql.ref(c)));
  for (const slice of insertSlices(rows, shape.columns.length)) {
    const values = slice.map((row) => sql`(${sql.join(shape.columns.map((c) => row[c] ?? null))})`);
    await sql`insert into ${sql.table(shape.table)} (${columns})
      ${identity ? sql`overriding system value` : sql``}
      values ${sql.join(values)}`.execute(db);
  }
}
