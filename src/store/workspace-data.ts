// A workspace's data as a whole (SPEC 10): every row it owns, read for its export, and its
// deletion. Which tables the export holds, in what order, and which columns it leaves out is
// decided here table by table; the map is keyed by the schema's tables, so a table added to the
// schema does not compile until someone has said whether and how it is exported.
import { sql } from "kysely";
import type { Db } from "./db.js";
import { eventsOfRow, type HistoryRow } from "./events.js";
import { parseJson, type Exec } from "./exec.js";
import type { Database } from "./schema.js";

type Row = Record<string, unknown>;

interface Exported {
  /** Rows in this order, so the same data always gives the same files. */
  orderBy: string;
  /** Columns that hold JSON as text: exported as the value they hold. */
  json?: readonly string[];
  /** Columns that are credentials (hashes, signing secrets): never exported. */
  secret?: readonly string[];
}

/**
 * How each table is exported, or why it is not. `workspaces`, `users` and `history` are read by
 * their own queries below (the workspace's row, its members' accounts, its events one by one).
 */
export const EXPORT_TABLES: Readonly<Record<keyof Database, Exported | { leftOut: string }>> = {
  workspaces: { orderBy: "id", json: ["settings"], secret: ["secrets"] },
  agents: { orderBy: "created_at, id", json: ["tool_grants", "context_grants", "style_rules"] },
  workrooms: { orderBy: "created_at, id", json: ["deliverables", "paste_flags", "style_override"] },
  workroom_agents: { orderBy: "workroom_id, agent_id" },
  inputs: { orderBy: "workroom_id, position" },
  plans: { orderBy: "workroom_id, generation" },
  tasks: { orderBy: "workroom_id, generation, ordinal", json: ["depends_on", "spec"] },
  drafts: { orderBy: "workroom_id, round", json: ["document"] },
  revisions: { orderBy: "workroom_id, round", json: ["args"] },
  history: { orderBy: "workroom_id, first_seq" },
  model_calls: { orderBy: "at, id" },
  ledger: { orderBy: "id" },
  audit_log: { orderBy: "id", json: ["data"] },
  users: { orderBy: "created_at, id", secret: ["password_hash"] },
  memberships: { orderBy: "created_at, user_id" },
  invites: { orderBy: "created_at, id", secret: ["token_hash"] },
  api_keys: { orderBy: "created_at, id", secret: ["key_hash"] },
  webhooks: { orderBy: "created_at, id", json: ["events"], secret: ["secret"] },
  webhook_deliveries: { orderBy: "created_at, id" },
  steps: { leftOut: "the engine's work queue: leases and attempts, no content of its own" },
  sessions: { leftOut: "sign-in sessions are credentials" },
  login_throttle: { leftOut: "sign-in attempts by address belong to no workspace" },
  installation: { leftOut: "the installation's master-key check belongs to no workspace" },
};

export interface WorkspaceRows {
  /** The workspace's own row (its secrets left out), or undefined when there is none. */
  workspace: Row | undefined;
  /** Rows by table, in the order of `EXPORT_TABLES`; `history` as events, one row each. */
  tables: { name: string; rows: Row[] }[];
}

const asExported = (spec: Exported | { leftOut: string }): Exported | undefined =>
  "leftOut" in spec ? undefined : spec;

function clean(row: Row, spec: Exported): Row {
  const out: Row = {};
  for (const [column, value] of Object.entries(row)) {
    if (spec.secret?.includes(column)) continue;
    out[column] =
      spec.json?.includes(column) && typeof value === "string" ? parseJson(value) : value;
  }
  return out;
}

/**
 * Every row of the workspace, its sealed values opened. Run it inside `readSnapshot`, so that
 * what it reads table by table is one moment of the workspace.
 */
export async function readWorkspaceRows(db: Db, workspaceId: string): Promise<WorkspaceRows> {
  const own = asExported(EXPORT_TABLES.workspaces)!;
  // Selected with the id as workspace_id too, so a value sealed for another workspace is refused.
  const found = (
    await sql<Row>`select *, id as workspace_id from workspaces where id = ${workspaceId}`.execute(
      db,
    )
  ).rows[0];
  const workspace = found && clean(found, own);
  if (workspace) delete workspace["workspace_id"];
  const tables: WorkspaceRows["tables"] = [];
  if (!workspace) return { workspace, tables };
  for (const [name, entry] of Object.entries(EXPORT_TABLES)) {
    const spec = asExported(entry);
    if (!spec || name === "workspaces") continue;
    let rows: Row[];
    if (name === "users")
      rows = (
        await sql<Row>`select u.* from users u
            join memberships m on m.user_id = u.id and m.workspace_id = ${workspaceId}
            order by ${sql.raw(spec.orderBy.replace(/(\w+)/g, "u.$1"))}`.execute(db)
      ).rows;
    else
      rows = (
        await sql<Row>`select * from ${sql.table(name)} where workspace_id = ${workspaceId}
            order by ${sql.raw(spec.orderBy)}`.execute(db)
      ).rows;
    if (name === "history")
      rows = rows.flatMap((r) =>
        eventsOfRow(r as unknown as HistoryRow).map((e) => ({
          workroom_id: e.workroomId,
          seq: e.seq,
          type: e.type,
          actor: e.actor,
          data: e.data,
          at: e.at,
        })),
      );
    tables.push({ name, rows: rows.map((r) => clean(r, spec)) });
  }
  return { workspace, tables };
}

/**
 * Deletes the workspace and, by the schema's cascades, everything it owns: rooms and all that
 * hangs off them, agents, ledger, audit log, memberships, invites, API keys and webhooks. Sessions
 * that were acting in it fall back to another of their person's workspaces on their next
 * request. Accounts stay: a person may belong to other workspaces. False when there was none.
 */
export async function deleteWorkspaceRows(ex: Exec, workspaceId: string): Promise<boolean> {
  await ex.db
    .updateTable("sessions")
    .set({ workspace_id: null })
    .where("workspace_id", "=", workspaceId)
    .execute();
  // The rooms first: their agents are referenced without a cascade (an agent in use is archived,
  // never deleted), and PostgreSQL checks that reference before the rooms' own cascade runs.
  await ex.db.deleteFrom("workrooms").where("workspace_id", "=", workspaceId).execute();
  const r = await ex.db.deleteFrom("workspaces").where("id", "=", workspaceId).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}
