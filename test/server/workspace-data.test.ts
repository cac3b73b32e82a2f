// SPEC 10 on both dialects: a workspace's data exported whole, as a portable archive (read back
// with an independent zip reader too), and the workspace deleted with everything in it.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { strFromU8, unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAgent } from "../../src/app/agents.js";
import { createInvite } from "../../src/app/invites.js";
import { createWebhook } from "../../src/app/webhooks.js";
import { createWorkroom, startWorkroom } from "../../src/app/workrooms.js";
import { poolExec } from "../../src/engine/deps.js";
import { SEALED_PREFIX } from "../../src/store/crypto/cipher.js";
import { listEvents } from "../../src/store/events.js";
import { findWorkroom } from "../../src/store/workrooms.js";
import type { WorkroomId } from "../../src/domain/ids.js";
import { DIALECTS } from "../support/databases.js";
import { startApi, type ApiWorld, type Person } from "../support/api.js";

const BRIEF = "Aurora Coffee: loyalty relaunch, budget €40k, pilot in Tallinn by mid-November.";
const NOTES = "Marta insists on offline mode; the POS vendor is Kassa OÜ.";

/** The zip's files by path (inside its one folder), as text. */
function unzipped(bytes: Uint8Array): Map<string, string> {
  const files = unzipSync(bytes);
  const folders = new Set(Object.keys(files).map((p) => p.split("/")[0]));
  expect(folders.size).toBe(1);
  return new Map(
    Object.entries(files).map(([p, data]) => [p.slice(p.indexOf("/") + 1), strFromU8(data)]),
  );
}

/** The server's spool folder (test/server/export-spool.test.ts: nothing in it keeps a name). */
const spoolDir = mkdtempSync(join(tmpdir(), "atelya-spool-test-"));
const spooled = () => readdirSync(spoolDir);
afterAll(() => rmSync(spoolDir, { recursive: true, force: true }));

const lines = (text: string | undefined): Record<string, unknown>[] =>
  (text ?? "")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/** Counts of the rows that carry `workspace_id`, by table. */
async function rowsByTable(api: ApiWorld, workspaceId: string): Promise<Record<string, number>> {
  const db = api.server.harness.runtime.deps.store.db;
  const tables = [
    "agents",
    "workrooms",
    "workroom_agents",
    "inputs",
    "plans",
    "tasks",
    "steps",
    "drafts",
    "revisions",
    "history",
    "model_calls",
    "ledger",
    "audit_log",
    "memberships",
    "invites",
    "api_keys",
    "webhooks",
    "webhook_deliveries",
  ] as const;
  const counts: Record<string, number> = {};
  for (const t of tables) {
    const r = await db
      .selectFrom(t)
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("workspace_id", "=", workspaceId)
      .executeTakeFirstOrThrow();
    counts[t] = Number(r.n);
  }
  return counts;
}

describe.each(DIALECTS)("workspace data on %s", (dialect) => {
  let api: ApiWorld;
  let roomId: string;
  let webhookSecret: string;
  let inviteToken: string;

  const download = (who: Person) =>
    fetch(`${api.url}/api/v1/workspace/export`, {
      headers: { authorization: `Bearer ${who.key}` },
    });

  beforeAll(async () => {
    api = await startApi(dialect, { config: { spoolDir } });
    const deps = api.server.harness.runtime.deps;
    const owner = api.people.owner.actor;
    await createAgent(deps, owner, { name: "Copywriter", role_description: "Writes copy." });
    const room = await createWorkroom(deps, owner, {
      title: "Aurora loyalty proposal",
      deliverables: ["Proposal"],
      inputs: [
        { kind: "brief", content: BRIEF },
        { kind: "meeting_notes", content: NOTES },
      ],
    });
    roomId = room.id;
    await startWorkroom(deps, owner, room.id);
    await api.server.harness.waitFor(room.id, ["completed"]);
    const hook = await createWebhook(deps, owner, {
      name: "Slack",
      url: "http://127.0.0.1:9/hook",
      events: ["workroom.completed"],
    });
    webhookSecret = hook.secret;
    inviteToken = (await createInvite(deps, owner, { email: "new@agency.test", role: "member" }))
      .token;
    // Workspace B has a room of its own, which A's archive must not hold.
    const b = await createWorkroom(deps, api.outsider.actor, {
      title: "Outsider's secret pitch",
      deliverables: ["Pitch"],
      inputs: [{ kind: "brief", content: "Only B may ever read this brief." }],
    });
    await startWorkroom(deps, api.outsider.actor, b.id);
    await api.server.harness.waitFor(b.id, ["completed"]);
  }, 120_000);
  afterAll(async () => api?.close());

  it("exports everything the workspace holds as a zip, opened, and nothing of another", async () => {
    const res = await download(api.people.admin);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/zip");
    const day = new Date().toISOString().slice(0, 10);
    expect(res.headers.get("content-disposition")).toContain(`atelya-agency-a-${day}.zip`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    // The archive was spooled to a file, which is gone once it has been sent.
    await expect.poll(spooled).toEqual([]);

    // An independent reader opens it and finds every member intact.
    const dir = mkdtempSync(join(tmpdir(), "atelya-export-"));
    try {
      writeFileSync(join(dir, "a.zip"), bytes);
      const tested = execFileSync("python3", [
        "-c",
        "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); print(z.testzip(), len(z.namelist()))",
        join(dir, "a.zip"),
      ]).toString();
      expect(tested).toMatch(/^None \d+/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    const files = unzipped(bytes);
    const manifest = JSON.parse(files.get("manifest.json")!) as {
      format: string;
      version: number;
      workspace: { id: string; name: string };
      files: { file: string; rows: number }[];
      left_out: Record<string, string>;
    };
    expect(manifest).toMatchObject({
      format: "atelya-workspace-export",
      version: 1,
      workspace: { id: api.workspaceId, name: "Agency A" },
    });
    for (const { file, rows } of manifest.files) expect(lines(files.get(file))).toHaveLength(rows);
    expect(Object.keys(manifest.left_out)).toContain("sessions");
    expect(JSON.parse(files.get("workspace.json")!)).toMatchObject({ name: "Agency A" });

    // The room, its inputs and outputs, as people wrote and read them (sealed at rest, opened here).
    const deps = api.server.harness.runtime.deps;
    const owner = api.people.owner.actor;
    const room = (await findWorkroom(poolExec(deps), owner.workspaceId, roomId as WorkroomId))!;
    expect(lines(files.get("workrooms.jsonl"))).toEqual([
      expect.objectContaining({ id: roomId, title: "Aurora loyalty proposal", state: "completed" }),
    ]);
    const inputs = lines(files.get("inputs.jsonl"));
    inputs.sort((a, b) => Number(a["position"]) - Number(b["position"]));
    expect(inputs.map((i) => i["content"])).toEqual([BRIEF, NOTES]);
    const tasks = lines(files.get("tasks.jsonl"));
    expect(tasks.length).toBeGreaterThan(1);
    for (const t of tasks) expect(String(t["output"]).length).toBeGreaterThan(0);
    // Every event of the room's history, in order, as the history API has them.
    const events = await listEvents(poolExec(deps), room);
    expect(lines(files.get("history.jsonl")).map((e) => [e["seq"], e["type"]])).toEqual(
      events.map((e) => [e.seq, e.type]),
    );
    expect(events.length).toBe(room.eventSeq);
    // The deliverable as Markdown, the same as its own export.
    const md = await fetch(`${api.url}/api/v1/workrooms/${roomId}/exports/md`, {
      headers: { authorization: `Bearer ${api.people.admin.key}` },
    });
    expect(files.get(`deliverables/${roomId}/aurora-loyalty-proposal-v1.md`)).toBe(await md.text());
    // Usage and money: every model call and every ledger line.
    const calls = lines(files.get("model_calls.jsonl"));
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.reduce((n, c) => n + Number(c["credits"]), 0)).toBe(room.creditsSpent);
    expect(lines(files.get("ledger.jsonl")).length).toBeGreaterThan(calls.length);
    expect(lines(files.get("agents.jsonl")).map((a) => a["name"])).toContain("Copywriter");
    expect(
      lines(files.get("users.jsonl"))
        .map((u) => u["email"])
        .sort(),
    ).toEqual([
      "admin@agency.test",
      "member@agency.test",
      "owner@agency.test",
      "viewer@agency.test",
    ]);

    // No credential, no sealed value, nothing of workspace B.
    const all = [...files.values()].join("\n");
    for (const person of Object.values(api.people))
      if (person.key) expect(all).not.toContain(person.key.slice(12));
    expect(all).not.toContain(webhookSecret);
    expect(all).not.toContain(inviteToken);
    expect(all).not.toContain("scrypt$");
    expect(all).not.toContain(SEALED_PREFIX);
    for (const u of lines(files.get("users.jsonl"))) expect(u).not.toHaveProperty("password_hash");
    expect(all).not.toContain(api.outsider.workspaceId);
    expect(all).not.toContain("Only B may ever read this brief.");
    expect(all).not.toContain(api.outsider.email);
  });

  it("records the export in the audit log", async () => {
    const res = await api.call<{ entries: { action: string; actor: string }[] }>(
      "GET",
      "/api/v1/audit",
      { key: api.people.owner.key },
    );
    expect(res.body.entries.map((e) => e.action)).toContain("workspace.exported");
  });

  it("lets owners and admins export and delete (SPEC 1: an admin may do all but hand it on), and members neither", async () => {
    expect((await download(api.people.member)).status).toBe(403);
    expect(spooled()).toEqual([]);
    expect((await download(api.people.owner)).status).toBe(200);
    const asMember = await api.call("DELETE", "/api/v1/workspace", {
      key: api.people.member.key,
      body: { confirm: "Agency A" },
    });
    expect(asMember.status).toBe(403);
    expect(asMember.body).toMatchObject({
      error: {
        message: "Your role (member) does not allow workspace: delete. Ask an owner or admin.",
      },
    });
    // The admin gets as far as the confirmation (the deletion itself is the owner's case below).
    const asAdmin = await api.call<{ error: { message: string } }>("DELETE", "/api/v1/workspace", {
      key: api.people.admin.key,
      body: { confirm: "agency a" },
    });
    expect(asAdmin.status).toBe(400);
    expect(asAdmin.body.error.message).toContain('confirm with its name exactly: "Agency A"');
    expect((await api.call("GET", "/api/v1/workspace", { key: api.people.admin.key })).status).toBe(
      200,
    );
  });

  it("refuses a deletion that does not name the workspace exactly, and keeps everything", async () => {
    const before = await rowsByTable(api, api.workspaceId);
    for (const confirm of ["agency a", "Agency A ", ""]) {
      const res = await api.call<{ error: { code: string; message: string } }>(
        "DELETE",
        "/api/v1/workspace",
        { key: api.people.owner.key, body: { confirm } },
      );
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('"Agency A"');
    }
    expect(await rowsByTable(api, api.workspaceId)).toEqual(before);
  });

  it("deletes the workspace and everything in it, and nothing of another", async () => {
    const deps = api.server.harness.runtime.deps;
    // A room still at work when the workspace goes: its steps go with it, and the engine goes on.
    await createWorkroom(deps, api.people.owner.actor, {
      title: "Half-done",
      deliverables: ["Memo"],
      inputs: [{ kind: "brief", content: "A brief." }],
    }).then((r) => startWorkroom(deps, api.people.owner.actor, r.id));
    const otherBefore = await rowsByTable(api, api.outsider.workspaceId);
    const res = await api.call("DELETE", "/api/v1/workspace", {
      as: api.people.owner,
      body: { confirm: "Agency A" },
    });
    expect(res.status).toBe(204);

    const left = await rowsByTable(api, api.workspaceId);
    expect(Object.entries(left).filter(([, n]) => n > 0)).toEqual([]);
    expect(
      await deps.store.db
        .selectFrom("workspaces")
        .select("id")
        .where("id", "=", api.workspaceId)
        .execute(),
    ).toEqual([]);
    expect(await rowsByTable(api, api.outsider.workspaceId)).toEqual(otherBefore);
    // People keep their accounts; their keys are gone, and a session finds no workspace.
    const users = await deps.store.db.selectFrom("users").select("email").execute();
    expect(users.map((u) => u.email)).toContain("member@agency.test");
    expect(
      (await api.call("GET", "/api/v1/workspace", { key: api.people.member.key })).status,
    ).toBe(401);
    expect((await api.call("GET", "/api/v1/workspace", { as: api.people.owner })).status).toBe(403);
    // Workspace B works on: a new room of it runs to the end on the same engine.
    const b = await createWorkroom(deps, api.outsider.actor, {
      title: "After the deletion",
      deliverables: ["Memo"],
      inputs: [{ kind: "brief", content: "Still here." }],
    });
    await startWorkroom(deps, api.outsider.actor, b.id);
    await api.server.harness.waitFor(b.id, ["completed"]);
  });
});
