// Master key rotation: every sealed value in the database opened with the current master key and
// sealed again, for the same workspace, under a new one, in one transaction. A crash or an error
// leaves everything under the old key; a commit leaves everything under the new one. The
// installation's key check (key-check.ts) is a sealed value like the others, so from that commit a
// process holding the old key refuses to start and one holding the new key starts.
//
// Generic over the schema: every text column of every table is read, and each value with the
// sealed prefix is re-sealed, so a column sealed in a later migration needs nothing here. Rows
// are read in pages by `id` (every table that holds sealed values has one; one that did not would
// stop the rotation with its name before anything is written).
import { sql, type Kysely } from "kysely";
import type { StoreConnection } from "../db.js";
import { busProcesses } from "../pg-bus.js";
import { liveClaims } from "../steps.js";
import { createCipher, isSealed, sealedFor, SealedValueError } from "./cipher.js";
import type { MasterKey } from "./master-key.js";

const PAGE_ROWS = 500;
const TEXT_TYPES = new Set(["text", "varchar", "character varying"]);

export interface RotationReport {
  /** Sealed values re-sealed, in all. */
  values: number;
  /** By table, the tables that held any. */
  byTable: Record<string, number>;
}

/** Rotation was not started, and nothing changed: the reason says what to do. */
export class RotationRefusedError extends Error {
  override name = "RotationRefusedError";
}

export async function rotateMasterKey(
  store: StoreConnection,
  keys: { from: MasterKey; to: MasterKey },
  now = Date.now(),
): Promise<RotationReport> {
  if (keys.from.bytes.equals(keys.to.bytes))
    throw new RotationRefusedError(
      "The new master key is the one the database is sealed with already.",
    );
  // A process still running with the old key would go on sealing with it after the commit, and
  // what it wrote could not be read afterwards. A live lease is a running worker.
  const live = await liveClaims(store.db, now);
  if (live.steps > 0)
    throw new RotationRefusedError(
      `A worker is running: it holds ${live.steps} step(s) until ${new Date(live.until!).toISOString()}. ` +
        "Stop every Atelya process on this database (servers and workers) first: one still holding the old key would go on writing with it.",
    );
  // On PostgreSQL an idle server is seen too: every running process listens on the bus.
  const others = store.dialect === "postgres" ? await busProcesses(store.db) : 0;
  if (others > 0)
    throw new RotationRefusedError(
      `${others} Atelya process(es) are connected to this database (application_name 'atelya-bus' in pg_stat_activity). ` +
        "Stop every Atelya process on this database (servers and workers) first: one still holding the old key would go on writing with it.",
    );
  const tables = await textColumns(store);
  const from = createCipher(keys.from);
  const to = createCipher(keys.to);
  const byTable: Record<string, number> = {};
  let values = 0;
  await store.transaction(async (tx) => {
    // The values as stored, not as the open plugin returns them.
    const raw = tx.withoutPlugins() as unknown as Kysely<Record<string, Record<string, unknown>>>;
    for (const { table, columns, hasId } of tables) {
      let after: unknown;
      for (;;) {
        const page = await sql<Record<string, unknown>>`
          select ${sql.join([...(hasId ? ["id"] : []), ...columns].map((c) => sql.ref(c)))}
          from ${sql.table(table)}
          ${hasId && after !== undefined ? sql`where ${sql.ref("id")} > ${after}` : sql``}
          ${hasId ? sql`order by ${sql.ref("id")} limit ${PAGE_ROWS}` : sql``}
        `.execute(raw);
        for (const row of page.rows) {
          const changed: Record<string, string> = {};
          for (const column of columns) {
            const value = row[column];
            if (typeof value !== "string" || !isSealed(value)) continue;
            if (!hasId)
              throw new RotationRefusedError(
                `The table ${table} holds sealed values but has no id column to rewrite them by; nothing was changed.`,
              );
            changed[column] = reseal(value, `${table}.${column} of row ${String(row.id)}`);
          }
          const n = Object.keys(changed).length;
          if (n === 0) continue;
          await raw
            .updateTable(table)
            .set(changed)
            .where("id", "=", row.id as string)
            .execute();
          byTable[table] = (byTable[table] ?? 0) + n;
          values += n;
        }
        if (!hasId || page.rows.length < PAGE_ROWS) break;
        after = page.rows.at(-1)!.id;
      }
    }
  });
  return { values, byTable };

  function reseal(value: string, where: string): string {
    const scope = sealedFor(value)!;
    let text: string;
    try {
      text = from.open(value);
    } catch (e) {
      if (!(e instanceof SealedValueError)) throw e;
      throw new RotationRefusedError(
        `${where} does not open with the current master key (${e.message}); nothing was changed.`,
        { cause: e },
      );
    }
    return to.seal(scope, text);
  }
}

/** Every table's text columns (Kysely's own migration tables aside). */
async function textColumns(
  store: StoreConnection,
): Promise<{ table: string; columns: string[]; hasId: boolean }[]> {
  const tables = await store.db.introspection.getTables();
  return tables
    .filter((t) => !t.isView)
    .map((t) => ({
      table: t.name,
      columns: t.columns
        .filter((c) => TEXT_TYPES.has(c.dataType.toLowerCase()) && c.name !== "id")
        .map((c) => c.name),
      hasId: t.columns.some((c) => c.name === "id"),
    }))
    .filter((t) => t.columns.length > 0);
}
