// A workspace restored from its export archive on another installation, across the two databases
// both ways: rooms, history, drafts and credits read as they did, content is sealed again at rest,
// a room that was running goes on and completes, people get their accounts back (an existing one
// by e-mail, a new one without a password), and what an archive never holds (API keys, invites,
// provider keys, masked MCP secrets, webhook secrets) is reported, not faked. An archive that is
// not whole, not this workspace's, or already here restores nothing.
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { setupOwner, signIn } from "../../src/app/accounts.js";
import { createAgent } from "../../src/app/agents.js";
import { createApiKey } from "../../src/app/api-keys.js";
import type { Actor } from "../../src/app/context.js";
import { balance, ledger } from "../../src/app/credits.js";
import { createInvite } from "../../src/app/invites.js";
import { addMember } from "../../src/app/members.js";
import { resetPassword } from "../../src/app/passwords.js";
import { requestRevision } from "../../src/app/revisions.js";
import { addMcpServer, getSettings } from "../../src/app/settings.js";
import { createWebhook, listWebhooks } from "../../src/app/webhooks.js";
import { restoreWorkspace, RestoreRefusedError } from "../../src/app/workspace-restore.js";
import {
  control,
  createWorkroom,
  getWorkroom,
  startWorkroom,
  workroomHistory,
} from "../../src/app/workrooms.js";
import type { Runtime } from "../../src/runtime.js";
import { isSealed } from "../../src/store/crypto/cipher.js";
import { ArchivedRowsError, EXPORT_TABLES } from "../../src/store/workspace-data.js";
import { actorOf, PASSWORD, setupAgency } from "../support/accounts.js";
import { proposalRoom } from "../support/fixtures.js";
import { exportedArchive, roomState, useInstallations } from "../support/installations.js";

const { installation } = useInstallations();

/** By `table.column`, how many of its text values are sealed and how many are plain text. */
async function textValues(rt: Runtime): Promise<Map<string, { sealed: number; plain: number }>> {
  const raw = rt.deps.store.db.withoutPlugins();
  const found = new Map<string, { sealed: number; plain: number }>();
  for (const table of await rt.deps.store.db.introspection.getTables())
    for (const column of table.columns) {
      const { rows } = await sql<{ v: unknown }>`select ${sql.ref(column.name)} as v
        from ${sql.table(table.name)}`.execute(raw);
      const texts = rows
        .map((r) => r.v)
        // Empty values are stored as they are: "" and the settings' column default "{}".
        .filter((v): v is string => typeof v === "string" && v !== "" && v !== "{}");
      const sealed = texts.filter(isSealed).length;
      if (texts.length > 0)
        found.set(`${table.name}.${column.name}`, { sealed, plain: texts.length - sealed });
    }
  return found;
}

/** A file of the zip (inside its folder), as text. */
const archived = (archive: Uint8Array, file: string): string =>
  strFromU8(Object.entries(unzipSync(archive)).find(([p]) => p.endsWith(`/${file}`))![1]);

/** The same zip with `file` (inside its folder) changed by `edit`. */
function edited(archive: Uint8Array, file: string, edit: (text: string) => string): Uint8Array {
  const files = unzipSync(archive);
  const path = Object.keys(files).find((p) => p.endsWith(`/${file}`))!;
  files[path] = strToU8(edit(strFromU8(files[path]!)));
  return zipSync(files);
}

interface Source {
  rt: Runtime;
  owner: Actor;
  archive: Uint8Array;
  done: string;
  inFlight: string;
  paused: string;
  memberEmail: string;
}

/** A workspace with a finished room (revised once), a room caught mid-run, one paused, people, an agent,
 *  an API key, an invite, a webhook and two MCP servers, exported while the room runs. */
async function sourceWorkspace(dialect: "sqlite" | "postgres"): Promise<Source> {
  const rt = await installation(dialect, 150);
  const { owner } = await setupAgency(rt.deps);
  const memberEmail = "maria@agency.test";
  await addMember(rt.deps, owner, {
    email: memberEmail,
    name: "Maria",
    password: PASSWORD,
    role: "member",
  });
  await createAgent(rt.deps, owner, { name: "Copywriter", role_description: "Writes copy." });
  await createApiKey(rt.deps, owner, { name: "Zapier" });
  await createInvite(rt.deps, owner, { email: "new@agency.test", role: "member" });
  await createWebhook(rt.deps, owner, {
    name: "Slack",
    url: "http://127.0.0.1:9/hook",
    events: ["workroom.completed"],
  });
  await addMcpServer(rt.deps, owner, {
    name: "notion",
    transport: "stdio",
    command: "notion-mcp",
    env: { NOTION_TOKEN: "secret_notion_token_123456" },
  });
  await addMcpServer(rt.deps, owner, { name: "clock", transport: "stdio", command: "clock-mcp" });
  const worker = rt.startWorker();
  const done = await createWorkroom(rt.deps, owner, proposalRoom());
  let settled = roomState(rt, done.id, ["completed"]);
  await startWorkroom(rt.deps, owner, done.id);
  await settled;
  settled = roomState(rt, done.id, ["completed"]);
  await requestRevision(rt.deps, owner, done.id, {
    preset_slug: "tighten",
    preset_args: { instruction: "Shorter", target_section: "1" },
  });
  await settled;
  const inFlight = await createWorkroom(rt.deps, owner, proposalRoom({ title: "Second" }));
  const executing = roomState(rt, inFlight.id, ["executing"]);
  await startWorkroom(rt.deps, owner, inFlight.id);
  await executing;
  // A third room paused by a person mid-run.
  const held = await createWorkroom(rt.deps, owner, proposalRoom({ title: "Third" }));
  const heldRunning = roomState(rt, held.id, ["executing"]);
  await startWorkroom(rt.deps, owner, held.id);
  await heldRunning;
  await control(rt.deps, owner, held.id, { type: "pause" });
  // Exported while the second room runs, as from the web app: a task of it is being worked.
  const archive = await exportedArchive(rt, owner);
  await worker.stop();
  return {
    rt,
    owner,
    archive,
    done: done.id,
    inFlight: inFlight.id,
    paused: held.id,
    memberEmail,
  };
}

describe.each([
  ["sqlite", "postgres"],
  ["postgres", "sqlite"],
] as const)("a workspace exported on %s and restored on %s", (fromDialect, toDialect) => {
  it("reads as it did, is sealed again, and its running room completes", async () => {
    const a = await sourceWorkspace(fromDialect);
    const b = await installation(toDialect);
    // Maria has an account on the new installation already; the owner has none.
    const other = await setupOwner(
      b.deps,
      { email: "boss@other.test", name: "Boss", password: PASSWORD, workspaceName: "Other" },
      { plan: "agency", defaultModel: "scripted" },
    );
    const maria = await addMember(b.deps, actorOf(other.user.id, other.workspace.id, "owner"), {
      email: a.memberEmail,
      name: "Maria B",
      password: "maria's own password",
      role: "member",
    });

    expect(archived(a.archive, "tasks.jsonl")).toContain('"status":"running"');
    const report = await restoreWorkspace(b.deps, a.archive);
    expect(report).toMatchObject({
      workspace: { id: a.owner.workspaceId, name: "Agency" },
      rooms: 3,
      rescheduled: 1,
      paused: 1,
      withoutPassword: ["owner@agency.test"],
      existingAccounts: [a.memberEmail],
      leftOut: { invites: 1, apiKeys: 1, mcpServers: ["notion"] },
      webhooksOff: 1,
    });

    // The finished room as it was, its restore added to its history.
    const before = await getWorkroom(a.rt.deps, a.owner, a.done);
    const after = await getWorkroom(b.deps, a.owner, a.done);
    for (const field of ["tasks", "drafts", "rounds", "inputs", "agents"] as const)
      expect(after[field], field).toEqual(before[field]);
    const { eventSeq: _s, updatedAt: _u, ...roomAfter } = after.room;
    const { eventSeq: _s2, updatedAt: _u2, ...roomBefore } = before.room;
    expect(roomAfter).toEqual(roomBefore);
    expect(after.drafts.map((d) => d.round)).toEqual([1, 2]);
    const history = await workroomHistory(b.deps, a.owner, a.done);
    // The same events; their ids (positions in the workspace's feed) are this database's own.
    const events = (list: { id: unknown }[]) => list.map(({ id: _, ...e }) => e);
    expect(events(history.slice(0, -1))).toEqual(
      events(await workroomHistory(a.rt.deps, a.owner, a.done)),
    );
    expect(history.at(-1)).toMatchObject({ type: "workroom.restored", seq: history.length });
    // Credits as archived (the source's room went on after the export, so its balance moved on).
    const workspace = JSON.parse(archived(a.archive, "workspace.json")) as Record<string, number>;
    expect(await balance(b.deps, a.owner)).toMatchObject({
      allowance: workspace["allowance_credits"],
      topup: workspace["topup_credits"],
    });
    const restoredLedger = await ledger(b.deps, a.owner);
    expect(restoredLedger).toHaveLength(
      archived(a.archive, "ledger.jsonl").trim().split("\n").length,
    );
    const keys = new Set(restoredLedger.map((e) => e.idempotencyKey));
    expect(events(restoredLedger)).toEqual(
      events((await ledger(a.rt.deps, a.owner)).filter((e) => keys.has(e.idempotencyKey))),
    );
    expect((await getSettings(b.deps, a.owner)).mcp_servers.map((m) => m.name)).toEqual(["clock"]);
    expect((await listWebhooks(b.deps, a.owner)).map((w) => [w.name, w.active])).toEqual([
      ["Slack", false],
    ]);

    // Sealed at rest again, under this installation's key, in the columns the export map
    // names, which are the columns the source's own write paths sealed.
    const declared = new Set(
      Object.entries(EXPORT_TABLES).flatMap(([table, spec]) =>
        ("sealed" in spec ? (spec.sealed ?? []) : []).map((c) => `${table}.${c}`),
      ),
    );
    declared.add("installation.key_check");
    for (const rt of [a.rt, b]) {
      const values = await textValues(rt);
      const sealedHere = [...values].filter(([, n]) => n.sealed > 0).map(([c]) => c);
      expect(sealedHere.filter((c) => !declared.has(c))).toEqual([]);
      expect([...declared].filter((c) => (values.get(c)?.plain ?? 0) > 0)).toEqual([]);
    }
    const restored = await textValues(b);
    for (const column of ["tasks.output", "history.data", "inputs.content", "drafts.document"])
      expect(restored.get(column)?.sealed, column).toBeGreaterThan(0);
    for (const column of ["revisions.instruction", "webhooks.secret", "workspaces.settings"])
      expect(restored.get(column)?.sealed, column).toBeGreaterThan(0);

    // People: the owner sets a password before signing in; Maria keeps hers and sees both.
    await expect(
      signIn(b.deps, { email: "owner@agency.test", password: PASSWORD, ip: "127.0.0.1" }),
    ).rejects.toThrow();
    await resetPassword(b.deps, { email: "owner@agency.test", password: "a new long password" });
    const owner = await signIn(b.deps, {
      email: "owner@agency.test",
      password: "a new long password",
      ip: "127.0.0.1",
    });
    expect(owner.workspaces.map((w) => w.id)).toEqual([a.owner.workspaceId]);
    const mariaIn = await signIn(b.deps, {
      email: a.memberEmail,
      password: "maria's own password",
      ip: "127.0.0.2",
    });
    expect(mariaIn.workspaces.map((w) => w.id)).toContain(a.owner.workspaceId);
    expect(mariaIn.user.id).toBe(maria.id);

    // The room that was running goes on from its last finished task and completes.
    const completed = roomState(b, a.inFlight, ["completed"]);
    b.startWorker();
    await completed;
    // The paused room stays paused until someone resumes it, and then completes too.
    expect((await getWorkroom(b.deps, a.owner, a.paused)).room.state).toBe("paused");
    const resumed = roomState(b, a.paused, ["completed"]);
    await control(b.deps, a.owner, a.paused, { type: "resume" });
    await resumed;
    const second = await workroomHistory(b.deps, a.owner, a.inFlight);
    expect(second.map((e) => e.seq)).toEqual(second.map((_, i) => i + 1));
    const room = await getWorkroom(
      b.deps,
      actorOf(owner.user.id, a.owner.workspaceId, "owner"),
      a.inFlight,
    );
    expect(room.drafts).toHaveLength(1);
  });
});

describe("a table longer than the slices a restore reads it in", () => {
  it("comes back whole, in order; one line short, nothing of it stays", async () => {
    const a = await sourceWorkspace("sqlite");
    // The workspace's audit trail, repeated to 2,500 entries: the restore parses and inserts a
    // table a thousand rows at a time, and checks its count against the manifest after the last.
    const lines = archived(a.archive, "audit_log.jsonl").trim().split("\n");
    const long = Array.from({ length: 2500 }, (_, i) => {
      const row = JSON.parse(lines[i % lines.length]!) as Record<string, unknown>;
      return JSON.stringify({ ...row, target: `entry ${i + 1}` });
    });
    const withAudit = (rows: number) =>
      edited(
        edited(a.archive, "audit_log.jsonl", () => long.join("\n") + "\n"),
        "manifest.json",
        (t) => t.replace(/("file": "audit_log\.jsonl",\s*"rows": )\d+/, `$1${rows}`),
      );

    const b = await installation("sqlite");
    await expect(restoreWorkspace(b.deps, withAudit(2501))).rejects.toThrow(
      /^The archive's audit_log\.jsonl has 2500 lines where its manifest says 2501: it is incomplete\.$/,
    );
    expect(await b.deps.store.db.selectFrom("audit_log").select("id").execute()).toEqual([]);
    expect(await b.deps.store.db.selectFrom("workspaces").select("id").execute()).toEqual([]);

    const report = await restoreWorkspace(b.deps, withAudit(2500));
    expect(report.rows["audit_log"]).toBe(2500);
    const restored = await b.deps.store.db
      .selectFrom("audit_log")
      .select("target")
      .where("workspace_id", "=", a.owner.workspaceId)
      .where("action", "!=", "workspace.restored")
      .orderBy("id")
      .execute();
    expect(restored.map((r) => r.target)).toEqual(long.map((_, i) => `entry ${i + 1}`));
  });
});

describe("an archive that cannot be restored", () => {
  it("restores nothing: already here, not a zip, not whole, another workspace's row, a broken row", async () => {
    const a = await sourceWorkspace("sqlite");
    const workspaces = async (rt: Runtime) =>
      (await rt.deps.store.db.selectFrom("workspaces").select("id").execute()).length;
    await expect(restoreWorkspace(a.rt.deps, a.archive)).rejects.toThrow(
      /^This installation has the workspace already \("Agency", ws_\w+\)\./,
    );

    const b = await installation("sqlite");
    const refused = async (archive: Uint8Array, message: RegExp) => {
      await expect(restoreWorkspace(b.deps, archive)).rejects.toThrow(message);
      expect(await workspaces(b)).toBe(0);
    };
    await refused(a.archive.subarray(0, a.archive.length / 2), /^The file is not a zip archive/);
    await refused(
      edited(a.archive, "tasks.jsonl", (t) => t.split("\n").slice(1).join("\n")),
      /^The archive's tasks\.jsonl has \d+ lines where its manifest says \d+: it is incomplete\.$/,
    );
    await refused(
      edited(a.archive, "inputs.jsonl", (t) =>
        t.replace(/"workspace_id":"ws_\w+"/, '"workspace_id":"ws_other"'),
      ),
      /^Line 1 of the archive's inputs\.jsonl is not a row of this workspace\.$/,
    );
    // An event slipped into a room that is not the archive's (another workspace's, say).
    await refused(
      edited(a.archive, "history.jsonl", (t) =>
        t.replace(/"workroom_id":"room_\w+"/, '"workroom_id":"room_of_someone_else"'),
      ),
      /^Line 1 of the archive's history\.jsonl is not a row of this workspace\.$/,
    );
    await refused(
      edited(a.archive, "manifest.json", (t) => t.replace('"version": 1', '"version": 2')),
      /^The archive is of format version 2; this version of Atelya restores version 1\.$/,
    );
    // A row the database refuses (a task of a plan that is not there) rolls everything back.
    await expect(
      restoreWorkspace(
        b.deps,
        edited(a.archive, "tasks.jsonl", (t) =>
          t.replace(/"plan_id":"plan_\w+"/, '"plan_id":"plan_gone"'),
        ),
      ),
    ).rejects.toBeInstanceOf(ArchivedRowsError);
    expect(await workspaces(b)).toBe(0);
    expect(await b.deps.store.db.selectFrom("users").select("id").execute()).toEqual([]);
    await expect(restoreWorkspace(b.deps, strToU8("not a zip"))).rejects.toBeInstanceOf(
      RestoreRefusedError,
    );
  });
});
