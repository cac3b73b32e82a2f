// A workspace's data as a whole (SPEC 10): every row it owns, read for its export, and its
// deletion. Which tables the export holds, and which columns it leaves out, is decided here
// table by table; the map is keyed by the schema's tables, so a table added to the
// schema does not compile until someone has said whether and how it is exported.
import { setImmediate as nextTurn } from "node:timers/promises";
import { sql, type Kysely } from "kysely";
import { SealedValueError } from "./crypto/cipher.js";
import type { Db } from "./db.js";
import { eventsOfRow, type HistoryRow } from "./events.js";
import { insertSlices, parseJson, type Exec } from "./exec.js";
import type { Database } from "./schema.js";

type Row = Record<string, unknown>;

/** A row as an export archive holds it: sealed values opened, JSON columns as JSON. */
export type ArchivedRow = Row;

interface Exported {
  /** Columns that hold JSON as text: exported as the value they hold. */
  json?: readonly string[];
  /** Columns that are credentials (hashes, signing secrets): never exported. */
  secret?: readonly string[];
  /** The table's key when it has no `id` column: read in one go (a few rows per room or person). */
  key?: string;
  /** Columns sealed at rest: opened for the export, sealed again when an archive is restored. */
  sealed?: readonly string[];
}

/**
 * How each table is exported, or why it is not. The workspace's own row and its members'
 * accounts (`users`, by their memberships) have queries of their own below, and `history` is
 * exported as its events, one per line.
 */
export const EXPORT_TABLES: Readonly<Record<keyof Database, Exported | { leftOut: string }>> = {
  workspaces: { json: ["settings"], secret: ["secrets"], sealed: ["settings"] },
  agents: { json: ["tool_grants", "context_grants", "style_rules"], sealed: ["style_rules"] },
  workrooms: {
    json: ["deliverables", "paste_flags", "style_override"],
    sealed: ["style_override"],
  },
  workroom_agents: { key: "workroom_id, agent_id" },
  inputs: { sealed: ["label", "content"] },
  plans: { sealed: ["summary"] },
  tasks: { json: ["depends_on", "spec"], sealed: ["title", "description", "spec", "output"] },
  drafts: { json: ["document"], sealed: ["document"] },
  revisions: { json: ["args"], sealed: ["instruction", "args"] },
  history: { sealed: ["data"] },
  model_calls: {},
  ledger: {},
  audit_log: { json: ["data"] },
  users: { secret: ["password_hash"] },
  memberships: { key: "user_id" },
  invites: { secret: ["token_hash"] },
  api_keys: { secret: ["key_hash"] },
  webhooks: { json: ["events"], secret: ["secret"], sealed: ["secret"] },
  webhook_deliveries: { sealed: ["payload"] },
  steps: { leftOut: "the engine's work queue: leases and attempts, no content of its own" },
  style_drafts: {
    leftOut: "extraction drafts kept a day for retried requests; what was saved is the agent's",
  },
  workroom_requests: {
    leftOut: "idempotency keys of room creations, kept a day for retried requests",
  },
  sessions: { leftOut: "sign-in sessions are credentials" },
  login_throttle: { leftOut: "sign-in attempts by address belong to no workspace" },
  installation: { leftOut: "the installation's master-key check belongs to no workspace" },
};

/** The tables an export holds, in the order it writes them (the workspace's own row apart). */
export const EXPORTED_TABLES: readonly string[] = Object.entries(EXPORT_TABLES)
  .filter(([name, spec]) => name !== "workspaces" && !("leftOut" in spec))
  .map(([name]) => name);

const specOf = (table: string): Exported => {
  const spec = EXPORT_TABLES[table as keyof Database] as Exported | { leftOut: string } | undefined;
  if (!spec || "leftOut" in spec) throw new Error(`${table} is not an exported table`);
  return spec;
};

function clean(row: Row, spec: Exported): Row {
  const out: Row = {};
  for (const [column, value] of Object.entries(row)) {
    if (spec.secret?.includes(column)) continue;
    out[column] =
      spec.json?.includes(column) && typeof value === "string" ? parseJson(value) : value;
  }
  return out;
}

/** Rows per read. SQLite's driver is synchronous, so a table is read a page at a time (the next
 *  page after the last id), and the server answers other requests and the engine goes on
 *  between two pages. Rows come in the order of their ids, so the same data gives the same
 *  files; a room's events come in their order (its history rows are appended in it). */
const PAGE_ROWS = 250;

/** The workspace's own row, its secrets left out; undefined when there is none. */
export async function readWorkspaceRow(db: Db, workspaceId: string): Promise<Row | undefined> {
  // Selected with the id as workspace_id too, so a value sealed for another workspace is refused.
  const found = (
    await sql<Row>`select *, id as workspace_id from workspaces where id = ${workspaceId}`.execute(
      db,
    )
  ).rows[0];
  if (!found) return undefined;
  const row = clean(found, specOf("workspaces"));
  delete row["workspace_id"];
  return row;
}

/**
 * A table's rows of the workspace, a page at a time, sealed values opened, credentials left out,
 * JSON columns as JSON; `history` as its events, one row each. Read them inside `readSnapshot`,
 * so that every page of every table is one moment of the workspace. The event loop is let
 * through after each page.
 */
export async function* workspaceRows(
  db: Db,
  workspaceId: string,
  table: string,
): AsyncGenerator<Row[]> {
  const spec = specOf(table);
  let after: unknown;
  for (;;) {
    const page = (
      await readPage(db, workspaceId, table, spec, after).catch((e: unknown) => {
        // The export stops at a value it cannot open: said with the table and row it is in.
        if (e instanceof SealedValueError)
          throw new SealedValueError(
            `The workspace cannot be exported: a value of the ${table} table does not open. ${e.message}`,
            { cause: e },
          );
        throw e;
      })
    ).rows;
    yield table === "history" ? page.flatMap(eventsOf) : page.map((row) => clean(row, spec));
    await nextTurn();
    if (spec.key !== undefined || page.length < PAGE_ROWS) return;
    after = page.at(-1)!["id"];
  }
}

/** A table's next page: the rows after id `after` (all of them for a table without an id). */
function readPage(db: Db, workspaceId: string, name: string, spec: Exported, after: unknown) {
  const next =
    after === undefined ? sql`true` : sql`${sql.ref(name === "users" ? "u.id" : "id")} > ${after}`;
  if (name === "users")
    return sql<Row>`select u.* from users u
      join memberships m on m.user_id = u.id and m.workspace_id = ${workspaceId}
      where ${next} order by u.id limit ${PAGE_ROWS}`.execute(db);
  if (spec.key !== undefined)
    return sql<Row>`select * from ${sql.table(name)} where workspace_id = ${workspaceId}
      order by ${sql.raw(spec.key)}`.execute(db);
  return sql<Row>`select * from ${sql.table(name)} where workspace_id = ${workspaceId}
    and ${next} order by id limit ${PAGE_ROWS}`.execute(db);
}

/** A history row's events, one row each (a row holds what one transaction appended). */
const eventsOf = (row: Row): Row[] =>
  eventsOfRow(row as unknown as HistoryRow).map((e) => ({
    workroom_id: e.workroomId,
    seq: e.seq,
    type: e.type,
    actor: e.actor,
    data: e.data,
    at: e.at,
  }));

/**
 * Deletes the workspace and, by the schema's cascades, everything it owns: rooms and all that
 * hangs off them, agents, ledger, audit log, memberships, invites, API keys and webhooks. Sessions
 * that were acting in it fall back to another of their person's workspaces on their next
 * request. Accounts stay: a person may belong to other workspaces.
 */
export async function deleteWorkspaceRows(ex: Exec, workspaceId: string): Promise<void> {
  await ex.db
    .updateTable("sessions")
    .set({ workspace_id: null })
    .where("workspace_id", "=", workspaceId)
    .execute();
  // The rooms first: their agents are referenced without a cascade (an agent in use is archived,
  // never deleted), and PostgreSQL checks that reference before the rooms' own cascade runs.
  await ex.db.deleteFrom("workrooms").where("workspace_id", "=", workspaceId).execute();
  await ex.db.deleteFrom("workspaces").where("id", "=", workspaceId).execute();
}

/**
 * Inserts rows of `table` as an export archive holds them (a restore): JSON columns written as
 * JSON text and sealed columns sealed again, for the workspace each row names, as their writers
 * in the store do. Every row names its columns; a row the table cannot take (a column it does not
 * have, a value missing) fails the insert with the database's reason, and the table's name.
 */
export async function insertArchivedRows(
  ex: Exec,
  table: string,
  rows: readonly ArchivedRow[],
): Promise<void> {
  if (rows.length === 0) return;
  const spec = table === "workspaces" ? (EXPORT_TABLES.workspaces as Exported) : specOf(table);
  const stored = rows.map((row) => {
    const out: Row = {};
    const owner = String(table === "workspaces" ? row["id"] : row["workspace_id"]);
    for (const [column, value] of Object.entries(row)) {
      let v = value === undefined ? null : value;
      if (v !== null && spec.json?.includes(column)) v = JSON.stringify(v);
      if (typeof v === "string" && spec.sealed?.includes(column)) v = ex.seal(owner, v);
      out[column] = v;
    }
    return out;
  });
  for (const chunk of insertSlices(stored, Object.keys(stored[0]!).length, PAGE_ROWS)) {
    try {
      await (ex.db as unknown as Kysely<Record<string, Row>>)
        .insertInto(table)
        .values(chunk)
        .execute();
    } catch (e) {
      throw new ArchivedRowsError(
        `The archive's ${table} cannot be restored: ${(e as Error).message}`,
        { cause: e },
      );
    }
  }
}

/** Rows of an archive that the database refused (see insertArchivedRows). */
export class ArchivedRowsError extends Error {
  override name = "ArchivedRowsError";
}
