// A workspace restored from its export archive (SPEC 7, workspace backup/restore; the archive is
// the one workspace-data.ts writes): on the installation it came from after it was deleted, or on
// another one, on either database. Everything the archive holds comes back under the same ids, its
// content sealed again under this installation's master key, in one transaction: a restore that
// fails leaves nothing behind.
//
// What an archive never holds does not come back, and the report says what to do about it:
// passwords (a person without an account here gets one without a password: set it with `atelya
// users password`), API keys and invite links (issue new ones), webhook signing secrets (webhooks
// come back switched off, with a new secret to rotate and share), provider keys and the secret
// values of MCP servers (servers that had any are left out, by name). The work queue is not in an
// archive either: a room that was running is put back on its way from its last finished task
// (tasks that were running then run again once a worker runs), and a paused room resumes so.
import { strFromU8, unzipSync } from "fflate";
import { isRestingState } from "../domain/workroom.js";
import { scheduleQueued } from "../engine/lifecycle.js";
import { record } from "../engine/history.js";
import { withTx, type Tx } from "../engine/tx.js";
import { newId } from "../store/ids.js";
import { listTaskStates, updateTask } from "../store/tasks.js";
import { findUserByEmail } from "../store/users.js";
import { EXPORT_TABLES, insertArchivedRows, type ArchivedRow } from "../store/workspace-data.js";
import { findWorkroom } from "../store/workrooms.js";
import { findWorkspace } from "../store/workspaces.js";
import { auditBy, type Actor, type AppDeps } from "./context.js";
import { WorkspaceSettingsSchema } from "./settings.js";
import { newWebhookSecret } from "./webhooks.js";
import { ARCHIVE_FORMAT } from "./workspace-data.js";
import type { WorkspaceId } from "../domain/ids.js";

/** The archive cannot be restored, and nothing was changed: the message says why. */
export class RestoreRefusedError extends Error {
  override name = "RestoreRefusedError";
}

/** The most an archive may unpack to: far above any workspace's, and a guard against a zip bomb. */
export const MAX_ARCHIVE_BYTES = 1024 ** 3;

/** The password of an account restored without one: no password matches it (it is no scrypt
 *  hash), so the person signs in only once someone sets one. */
export const NO_PASSWORD = "!";

export interface RestoreReport {
  workspace: { id: string; name: string };
  rooms: number;
  /** Rows restored by table. */
  rows: Record<string, number>;
  /** Members who had no account here and got one without a password. */
  withoutPassword: string[];
  /** Members whose account here (same e-mail) was used. */
  existingAccounts: string[];
  /** Rooms that were running when the archive was made, put back on their way. */
  rescheduled: number;
  /** Rooms that were paused: they go on when someone resumes them, as before. */
  paused: number;
  /** In the archive without their secret, so not restored: counts, and MCP servers by name. */
  leftOut: { invites: number; apiKeys: number; mcpServers: string[] };
  /** Webhooks restored switched off, each with a new signing secret to rotate and share. */
  webhooksOff: number;
}

interface Archive {
  manifest: { workspace: { id: string; name: string }; exported_at: string };
  workspace: ArchivedRow;
  /** By table, its file in the zip and its row count in the manifest. A table's file is unpacked
   *  when the table is restored, and its rows are parsed and inserted a slice at a time, so memory
   *  holds the zip, one table's text and one slice of rows at most. */
  tables: Map<string, { file: string; path: string; rows: number }>;
  /** The bytes of the file at `path` in the zip, unpacked. */
  unpack(path: string): Uint8Array;
}

/** Rows parsed and inserted at a time: a slice's rows are all that memory holds of a table. */
const SLICE_ROWS = 1000;

/** The tables restored row by row as archived, in the order their references need. */
const PLAIN_TABLES = [
  "agents",
  "workroom_agents",
  "inputs",
  "plans",
  "tasks",
  "drafts",
  "revisions",
  "model_calls",
] as const;

/** Restores the workspace `archive` (the bytes of an export zip) holds; `by` is who does it. */
export async function restoreWorkspace(
  deps: AppDeps,
  archive: Uint8Array,
  by = "cli",
): Promise<RestoreReport> {
  const read = readArchive(archive);
  const { id: workspaceId, name } = read.manifest.workspace;
  // Once the rooms are read, every row that names a room must name one of them.
  let rooms: Set<string> | undefined;
  const rows = (table: string) => [...rowSlices(read, table, rooms)].flat();
  const counted = (table: string) => read.tables.get(table)?.rows ?? 0;
  return withTx(deps, async (tx) => {
    const existing = await findWorkspace(tx.ex, workspaceId);
    if (existing)
      throw new RestoreRefusedError(
        `This installation has the workspace already ("${existing.name}", ${workspaceId}). ` +
          "Restore it on another installation, or delete it here first (export it before).",
      );
    const report: RestoreReport = {
      workspace: { id: workspaceId, name },
      rooms: counted("workrooms"),
      rows: {},
      withoutPassword: [],
      existingAccounts: [],
      rescheduled: 0,
      paused: 0,
      leftOut: {
        invites: counted("invites"),
        apiKeys: counted("api_keys"),
        mcpServers: [],
      },
      webhooksOff: counted("webhooks"),
    };
    const put = async (table: string, list: readonly ArchivedRow[]) => {
      await insertArchivedRows(tx.ex, table, list);
      report.rows[table] = (report.rows[table] ?? 0) + list.length;
    };
    /** Restores the archive's table a slice at a time, each row as `as` makes it. */
    const putEach = async (table: string, as: (row: ArchivedRow) => ArchivedRow = (r) => r) => {
      report.rows[table] = 0;
      for (const slice of rowSlices(read, table, rooms)) await put(table, slice.map(as));
    };

    await put("workspaces", [restoredWorkspace(read.workspace, report)]);
    const userIds = await restorePeople(tx, rows("users"), report);
    await putEach("memberships", (m) => ({ ...m, user_id: userIds.get(String(m["user_id"])) }));
    const roomRows = rows("workrooms");
    await put("workrooms", roomRows);
    rooms = new Set(roomRows.map((r) => String(r["id"])));
    for (const table of PLAIN_TABLES) await putEach(table);
    await putEach("history", (e) => historyRow(workspaceId, e));
    // Ledger and audit rows are numbered by the database: archived in order, restored in order.
    await putEach("ledger", withoutId);
    await putEach("audit_log", withoutId);
    await putEach("webhooks", (w) => ({ ...w, secret: newWebhookSecret(), active: 0 }));
    await putEach("webhook_deliveries", undelivered);

    const actor: Actor = { id: by, workspaceId: workspaceId as WorkspaceId, role: "owner" };
    for (const roomId of rooms)
      switch (await putBackOnItsWay(tx, workspaceId, roomId, read.manifest, by)) {
        case "rescheduled":
          report.rescheduled++;
          break;
        case "paused":
          report.paused++;
          break;
      }
    await auditBy(tx, actor, "workspace.restored", workspaceId, {
      exported_at: read.manifest.exported_at,
      rooms: report.rooms,
    });
    return report;
  });
}

/** The archive's files, checked: its format and version, and every table file it lists. Only the
 *  manifest and the workspace's row are unpacked here; each table's file when it is restored. */
function readArchive(bytes: Uint8Array): Archive {
  // What the zip holds, from its directory alone (no file is unpacked yet).
  const sizes = new Map<string, number>();
  unzipped(() =>
    unzipSync(bytes, {
      filter: (f) => {
        sizes.set(f.name, f.originalSize);
        return false;
      },
    }),
  );
  const unpacked = [...sizes.values()].reduce((a, b) => a + b, 0);
  if (unpacked > MAX_ARCHIVE_BYTES)
    throw new RestoreRefusedError(
      `The archive unpacks to more than ${MAX_ARCHIVE_BYTES / 1024 ** 3} GB; it is not a workspace export.`,
    );
  const unpack = (path: string): Uint8Array => {
    const data = unzipped(() => unzipSync(bytes, { filter: (f) => f.name === path }))[path];
    if (!data) throw new RestoreRefusedError(`The archive has no ${path}.`);
    return data;
  };
  const manifests = [...sizes.keys()].filter((p) => /^[^/]+\/manifest\.json$/.test(p));
  if (manifests.length !== 1)
    throw new RestoreRefusedError(
      "The archive has no manifest.json in one top folder; it is not an Atelya workspace export.",
    );
  const folder = manifests[0]!.slice(0, -"manifest.json".length);
  const json = (file: string): unknown => {
    if (!sizes.has(folder + file)) throw new RestoreRefusedError(`The archive has no ${file}.`);
    try {
      return JSON.parse(strFromU8(unpack(folder + file)));
    } catch (e) {
      if (e instanceof RestoreRefusedError) throw e;
      throw new RestoreRefusedError(`The archive's ${file} is not JSON.`);
    }
  };
  const manifest = json("manifest.json") as Partial<{
    format: string;
    version: number;
    exported_at: string;
    workspace: { id: string; name: string };
    files: { file: string; rows: number }[];
  }>;
  if (manifest.format !== ARCHIVE_FORMAT.name)
    throw new RestoreRefusedError("The archive is not an Atelya workspace export.");
  if (manifest.version !== ARCHIVE_FORMAT.version)
    throw new RestoreRefusedError(
      `The archive is of format version ${String(manifest.version)}; this version of Atelya restores version ${ARCHIVE_FORMAT.version}.`,
    );
  if (typeof manifest.workspace?.id !== "string" || !Array.isArray(manifest.files))
    throw new RestoreRefusedError("The archive's manifest.json is incomplete.");
  const workspace = json("workspace.json") as ArchivedRow;
  if (workspace["id"] !== manifest.workspace.id)
    throw new RestoreRefusedError(
      "The archive's workspace.json is not the workspace its manifest names.",
    );
  const tables: Archive["tables"] = new Map();
  for (const { file, rows } of manifest.files) {
    const table = file.replace(/\.jsonl$/, "");
    const spec = EXPORT_TABLES[table as keyof typeof EXPORT_TABLES] as object | undefined;
    if (!spec || "leftOut" in spec)
      throw new RestoreRefusedError(
        `The archive holds ${file}, which this version of Atelya does not know.`,
      );
    if (!sizes.has(folder + file))
      throw new RestoreRefusedError(`The archive has no ${file}, which its manifest lists.`);
    tables.set(table, { file, path: folder + file, rows });
  }
  return {
    manifest: manifest as Archive["manifest"],
    workspace,
    tables,
    unpack,
  };
}

/** What fflate answers, or the refusal a file that is no zip (or a damaged one) deserves. */
function unzipped<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof RestoreRefusedError) throw e;
    throw new RestoreRefusedError(
      `The file is not a zip archive (${(e as Error).message}); restore the .zip a workspace export wrote.`,
    );
  }
}

/** A table's rows, checked, a slice at a time: each an object of this workspace and, once `rooms`
 *  are known, of one of its rooms; and as many as the manifest says (checked after the last slice:
 *  the restore's transaction undoes the slices before it). */
function* rowSlices(
  archive: Archive,
  table: string,
  rooms?: ReadonlySet<string>,
): Generator<ArchivedRow[]> {
  const entry = archive.tables.get(table);
  if (!entry) return;
  const text = strFromU8(archive.unpack(entry.path));
  let lines = 0;
  let slice: ArchivedRow[] = [];
  for (let start = 0; start < text.length;) {
    const end = text.indexOf("\n", start);
    const line = text.slice(start, end === -1 ? text.length : end);
    start = end === -1 ? text.length : end + 1;
    if (line === "") continue;
    lines++;
    slice.push(archivedRow(archive, entry.file, lines, line, rooms));
    if (slice.length === SLICE_ROWS) {
      yield slice;
      slice = [];
    }
  }
  if (lines !== entry.rows)
    throw new RestoreRefusedError(
      `The archive's ${entry.file} has ${lines} lines where its manifest says ${entry.rows}: it is incomplete.`,
    );
  if (slice.length > 0) yield slice;
}

/** Line `n` of a table's file, parsed: an object of this workspace and (if known) its rooms. */
function archivedRow(
  archive: Archive,
  file: string,
  n: number,
  line: string,
  rooms?: ReadonlySet<string>,
): ArchivedRow {
  try {
    const row: unknown = JSON.parse(line);
    if (typeof row !== "object" || row === null || Array.isArray(row)) throw new Error();
    const owner = (row as ArchivedRow)["workspace_id"];
    if (owner !== undefined && owner !== archive.manifest.workspace.id) throw new Error();
    const room = (row as ArchivedRow)["workroom_id"];
    if (rooms && room !== undefined && room !== null && !rooms.has(String(room))) throw new Error();
    return row as ArchivedRow;
  } catch {
    throw new RestoreRefusedError(
      `Line ${n} of the archive's ${file} is not a row of this workspace.`,
    );
  }
}

/** The workspace's row: no provider keys (an archive has none), and MCP servers whose secret
 *  values were masked in the archive left out, by name. */
function restoredWorkspace(row: ArchivedRow, report: RestoreReport): ArchivedRow {
  const parsed = WorkspaceSettingsSchema.safeParse(row["settings"] ?? {});
  if (!parsed.success)
    throw new RestoreRefusedError("The archive's workspace settings are not valid settings.");
  const settings = parsed.data;
  const secretless = settings.mcp_servers.filter((m) =>
    m.transport === "http" ? Object.keys(m.headers).length === 0 : Object.keys(m.env).length === 0,
  );
  report.leftOut.mcpServers = settings.mcp_servers
    .filter((m) => !secretless.includes(m))
    .map((m) => m.name);
  return { ...row, settings: { ...settings, mcp_servers: secretless }, secrets: "" };
}

/**
 * The members' accounts: one with the same e-mail here is used as it is; anyone else gets an
 * account without a password (under the archived id, or a new one if that id is taken). Answers
 * the account of each archived user id.
 */
async function restorePeople(
  tx: Tx,
  users: readonly ArchivedRow[],
  report: RestoreReport,
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const user of users) {
    const email = String(user["email"]);
    const here = await findUserByEmail(tx.ex, email);
    if (here) {
      ids.set(String(user["id"]), here.id);
      report.existingAccounts.push(email);
      continue;
    }
    const taken = await tx.ex.db
      .selectFrom("users")
      .select("id")
      .where("id", "=", String(user["id"]))
      .executeTakeFirst();
    const id = taken ? newId("user") : String(user["id"]);
    await insertArchivedRows(tx.ex, "users", [{ ...user, id, password_hash: NO_PASSWORD }]);
    ids.set(String(user["id"]), id);
    report.withoutPassword.push(email);
  }
  report.rows["users"] = report.withoutPassword.length;
  return ids;
}

/** An archived event as a history row of its own (as every row written before rows held several). */
const historyRow = (workspaceId: string, e: ArchivedRow): ArchivedRow => ({
  workspace_id: workspaceId,
  workroom_id: e["workroom_id"],
  first_seq: e["seq"],
  last_seq: e["seq"],
  type: e["type"],
  actor: e["actor"],
  data: JSON.stringify(e["data"] ?? {}),
  at: e["at"],
});

const withoutId = ({ id: _, ...row }: ArchivedRow): ArchivedRow => row;

/** A delivery not yet made when the archive was written is not sent after a restore. */
const undelivered = (d: ArchivedRow): ArchivedRow =>
  d["status"] === "pending"
    ? {
        ...d,
        status: "failed",
        lease_expires_at: null,
        last_error: "Not sent: the workspace was restored from an archive.",
      }
    : d;

/**
 * Records the restore in the room's history and, for a room that was running or paused, puts
 * its unfinished work back: tasks that were running (or waiting) are pending again, and a running
 * room gets its next steps as it would on resume. Answers what became of the room's work.
 */
async function putBackOnItsWay(
  tx: Tx,
  workspaceId: string,
  roomId: string,
  manifest: Archive["manifest"],
  by: string,
): Promise<"rescheduled" | "paused" | "at_rest"> {
  const room = await findWorkroom(tx.ex, workspaceId as WorkspaceId, roomId);
  if (!room) throw new Error(`restored room ${roomId} is missing`);
  record(tx, room, [
    {
      type: "workroom.restored",
      actor: by,
      data: { exported_at: manifest.exported_at, state: room.state },
    },
  ]);
  if (isRestingState(room.state) && room.state !== "paused") return "at_rest";
  for (const t of await listTaskStates(tx.ex, room, room.generation))
    if (t.status === "running" || t.status === "waiting")
      await updateTask(tx.ex, room, t.id, { status: "pending", started_at: null });
  if (room.state === "paused") return "paused";
  await scheduleQueued(tx, room, by);
  return "rescheduled";
}
