// A workspace restored from its export archive (SPEC 7, workspace backup/restore; the archive is
// the one workspace-data.ts writes): on the installation it came from after it was deleted, or on
// another one, on either database. Everything the archive holds comes back under the same ids, its
// content sealed again under this installation's master key, in one transaction: a restore that
// fails leaves nothing behind. The archive is checked before and as it is read: the zip whole,
// every table an export writes, each row's values (archive-reader.ts), and the rows together
// (restore-checks.ts).
//
// What an archive never holds does not come back, and the report says what to do about it:
// passwords (a person without an account here gets one without a password: set it with `atelya
// users password`), API keys (each comes back revoked, a record of who did what with it: issue
// new ones) and invite links (invite again), webhook signing secrets (webhooks come back switched
// off, with a new secret to rotate and share), provider keys and the secret values of MCP
// servers (servers that had any are left out, by name). The work queue is not in an
// archive either: a room that was running is put back on its way from its last finished task
// (tasks that were running then run again once a worker runs), and a paused room resumes so.
import { isRestingState } from "../domain/workroom.js";
import { scheduleQueued } from "../engine/lifecycle.js";
import { record } from "../engine/history.js";
import { withTx, type Tx } from "../engine/tx.js";
import { newId } from "../store/ids.js";
import { listTaskStates, updateTask } from "../store/tasks.js";
import { findUserByEmail } from "../store/users.js";
import { insertArchivedRows, type ArchivedRow } from "../store/workspace-data.js";
import { findWorkroom } from "../store/workrooms.js";
import { findWorkspace } from "../store/workspaces.js";
import { readArchive, RestoreRefusedError, rowSlices, type Archive } from "./archive-reader.js";
import { auditBy, type Actor, type AppDeps } from "./context.js";
import { historyCheck, ledgerCheck, membersCheck } from "./restore-checks.js";
import { WorkspaceSettingsSchema } from "./settings.js";
import { newWebhookSecret } from "./webhooks.js";
import type { WorkspaceId } from "../domain/ids.js";

export { MAX_ARCHIVE_BYTES, RestoreRefusedError } from "./archive-reader.js";

/** The password of an account restored without one: no password matches it (it is no scrypt
 *  hash), so the person signs in only once someone sets one. */
export const NO_PASSWORD = "!";

/** What a restored API key holds in place of its hash: no key's SHA-256 (hex) is this, so the
 *  record names the key in the audit log and history and never lets anyone in. */
export const restoredKeyHash = (keyId: string): string => `restored:${keyId}`;

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
  /** In the archive without their secret, so not restored: pending invites (to send again),
   *  API keys that were live (restored revoked: issue new ones), MCP servers by name. */
  leftOut: { invites: number; apiKeys: number; mcpServers: string[] };
  /** Webhooks restored switched off, each with a new signing secret to rotate and share. */
  webhooksOff: number;
}

/** The tables restored row by row as archived, in the order their references need. */
const PLAIN_TABLES = [
  "agents",
  "workroom_agents",
  "inputs",
  "plans",
  "tasks",
  "drafts",
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
    const exportedAt = Date.parse(read.manifest.exported_at);
    const invites = rows("invites").filter(
      (i) =>
        i["accepted_at"] === null &&
        i["revoked_at"] === null &&
        Number(i["expires_at"]) > exportedAt,
    );
    const report: RestoreReport = {
      workspace: { id: workspaceId, name },
      rooms: counted("workrooms"),
      rows: {},
      withoutPassword: [],
      existingAccounts: [],
      rescheduled: 0,
      paused: 0,
      leftOut: { invites: invites.length, apiKeys: 0, mcpServers: [] },
      webhooksOff: counted("webhooks"),
    };
    const put = async (table: string, list: readonly ArchivedRow[]) => {
      await insertArchivedRows(tx.ex, table, list);
      report.rows[table] = (report.rows[table] ?? 0) + list.length;
    };
    /** Restores the archive's table a slice at a time, each row as `as` makes it (none when it
     *  answers undefined). */
    const putEach = async (
      table: string,
      as: (row: ArchivedRow) => ArchivedRow | undefined = (r) => r,
    ) => {
      report.rows[table] = 0;
      for (const slice of rowSlices(read, table, rooms))
        await put(
          table,
          slice.map(as).filter((r) => r !== undefined),
        );
    };

    const workspaceRow = restoredWorkspace(read.workspace, report);
    await put("workspaces", [workspaceRow]);
    const people = await restorePeople(tx, rows("users"), report);
    const ids = whoIsWho(people);
    const memberships = membersCheck(people);
    await putEach("memberships", (m) => memberships.restore(m));
    memberships.check();
    const roomRows = rows("workrooms");
    await put(
      "workrooms",
      roomRows.map((r) => ({ ...r, created_by: ids.actor(r["created_by"]) })),
    );
    rooms = new Set(roomRows.map((r) => String(r["id"])));
    for (const table of PLAIN_TABLES) await putEach(table);
    await putEach("revisions", (r) => ({ ...r, requested_by: ids.actor(r["requested_by"]) }));
    const events = historyCheck(roomRows);
    await putEach("history", (e) => historyRow(workspaceId, events.count(e), ids));
    events.check();
    // Ledger and audit rows are numbered by the database: archived in order, restored in order.
    const balance = ledgerCheck(workspaceRow);
    await putEach("ledger", (l) => withoutId(balance.add(l)));
    balance.check();
    // An API key comes back revoked, under its issuer's account here, so what it did is still
    // said with its name and whose it was; a key of someone no longer a member has no account
    // to come back under, and is left out.
    await putEach("api_keys", (k) => {
      const issuer = people.get(String(k["user_id"]));
      if (k["revoked_at"] === null) report.leftOut.apiKeys++;
      return issuer === undefined
        ? undefined
        : {
            ...k,
            user_id: issuer,
            key_hash: restoredKeyHash(String(k["id"])),
            revoked_at: k["revoked_at"] ?? tx.now.getTime(),
          };
    });
    await putEach("audit_log", (a) =>
      withoutId({
        ...a,
        actor: ids.actor(a["actor"]),
        target: ids.actor(a["target"]),
        data: ids.within(a["data"]),
      }),
    );
    await putEach("webhooks", (w) => ({
      ...w,
      created_by: ids.actor(w["created_by"]),
      secret: newWebhookSecret(),
      active: 0,
    }));
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

/**
 * How the archive's user ids read here. A member may have an account here already (the same
 * e-mail) or get a new id (theirs was taken): every column and event that names them as the one
 * who acted (rooms' and webhooks' creators, revisions' requesters, history and audit actors, the
 * audit's targets and the ids in its data) is moved to their account here, or the history and the
 * audit log would name someone this installation does not know.
 */
function whoIsWho(people: ReadonlyMap<string, string>) {
  const moved = new Map([...people].filter(([from, to]) => from !== to));
  const within = (value: unknown): unknown => {
    if (typeof value === "string") return moved.get(value) ?? value;
    if (Array.isArray(value)) return value.map(within);
    if (typeof value === "object" && value !== null)
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, within(v)]));
    return value;
  };
  return {
    /** An actor's id (a person's, an API key's, `cli`, `engine`) as it reads here. */
    actor: (id: unknown): unknown => (typeof id === "string" ? (moved.get(id) ?? id) : id),
    /** An event's or audit entry's data, the user ids in it as they read here. */
    within,
  };
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
const historyRow = (
  workspaceId: string,
  e: ArchivedRow,
  ids: ReturnType<typeof whoIsWho>,
): ArchivedRow => ({
  workspace_id: workspaceId,
  workroom_id: e["workroom_id"],
  first_seq: e["seq"],
  last_seq: e["seq"],
  type: e["type"],
  actor: ids.actor(e["actor"]),
  data: JSON.stringify(ids.within(e["data"] ?? {})),
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
