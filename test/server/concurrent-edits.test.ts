// Two people editing the same settings or agent (SPEC: optimistic concurrency). Every read of the
// letterhead, the tools, the model settings, an agent and its Style Memory carries an ETag; a write
// that names an older one in If-Match is refused with 412 and changes nothing, so a page loaded an
// hour ago cannot erase a colleague's change unseen. Writes without If-Match go through as before.
// Two writes made on the same version at once: exactly one wins, on both databases (on
// PostgreSQL both are made to wait on the workspace's row first, so they truly overlap).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTx } from "../../src/engine/tx.js";
import type { WorkspaceId } from "../../src/domain/ids.js";
import { lockWorkspace } from "../../src/store/users.js";
import { sql } from "kysely";
import { startApi, type ApiResponse, type ApiWorld } from "../support/api.js";
import { DIALECTS } from "../support/databases.js";

interface ErrorBody {
  error: { code: string; message: string };
}

/** One resource two people may edit: where it is, the n-th distinct edit, and what reading shows
 *  of an edit. */
interface Resource {
  name: string;
  path: () => string;
  method: "PUT" | "PATCH";
  edit: (n: number) => unknown;
  shown: (body: never) => unknown;
  value: (n: number) => unknown;
  refusal: string;
}

const REFUSAL = ": reload to see their change, then make yours again.";

function concurrentEdits(dialect: "sqlite" | "postgres") {
  let w: ApiWorld;
  let agentId = "";
  beforeAll(async () => {
    w = await startApi(dialect);
    const made = await w.call<{ id: string }>("POST", "/api/v1/agents", {
      key: w.people.member.key,
      body: { name: "Proposal writer" },
    });
    agentId = made.body.id;
  });
  afterAll(async () => w?.close());

  const style = (n: number) => ({ tone_descriptors: [`tone ${n}`] });
  const resources: Resource[] = [
    {
      name: "the letterhead",
      path: () => "/api/v1/settings/export-profile",
      method: "PUT",
      edit: (n) => ({ company_name: `Studio ${n}` }),
      shown: (b: { export_profile: { company_name: string } | null }) =>
        b.export_profile?.company_name,
      value: (n) => `Studio ${n}`,
      refusal: `Someone changed the letterhead since you opened it${REFUSAL}`,
    },
    {
      name: "the tools",
      path: () => "/api/v1/settings/tools",
      method: "PUT",
      edit: (n) => ({ fetch_allow_hosts: [`host${n}.example.com`] }),
      shown: (b: { fetch_allow_hosts: string[] }) => b.fetch_allow_hosts,
      value: (n) => [`host${n}.example.com`],
      refusal: `Someone changed the tools since you opened them${REFUSAL}`,
    },
    {
      name: "the model settings",
      path: () => "/api/v1/settings/models",
      method: "PATCH",
      edit: (n) => ({ default_model: `scripted:v${n}` }),
      shown: (b: { default_model: string }) => b.default_model,
      value: (n) => `scripted:v${n}`,
      refusal: `Someone changed the model settings since you opened them${REFUSAL}`,
    },
    {
      name: "an agent",
      path: () => `/api/v1/agents/${agentId}`,
      method: "PATCH",
      edit: (n) => ({ role_description: `Writes proposals, take ${n}` }),
      shown: (b: { role_description: string }) => b.role_description,
      value: (n) => `Writes proposals, take ${n}`,
      refusal: `Someone changed agent "Proposal writer" since you opened it${REFUSAL}`,
    },
    {
      name: "an agent's Style Memory",
      path: () => `/api/v1/agents/${agentId}/style`,
      method: "PUT",
      edit: style,
      shown: (b: { style_rules: { tone_descriptors: string[] } | null }) =>
        b.style_rules?.tone_descriptors,
      value: (n) => style(n).tone_descriptors,
      refusal: `Someone changed agent "Proposal writer" since you opened it${REFUSAL}`,
    },
  ];

  // Owners and admins change settings; members change agents: the admin's key does both.
  const read = (r: Resource) => w.call("GET", r.path(), { key: w.people.admin.key });
  const write = (r: Resource, n: number, ifMatch?: string) =>
    w.call(r.method, r.path(), {
      key: w.people.admin.key,
      body: r.edit(n),
      ...(ifMatch !== undefined ? { headers: { "if-match": ifMatch } } : {}),
    });
  const etag = (res: ApiResponse) => res.headers.get("etag");
  const shown = (r: Resource, res: ApiResponse) => r.shown(res.body as never);

  describe.each(resources)("$name", (resource) => {
    const r = () => resource;

    it("refuses a write on a version someone has changed since, and changes nothing", async () => {
      const opened = await read(r());
      const tag = etag(opened);
      expect(tag, r().name).toMatch(/^"[A-Za-z0-9_-]{22}"$/);

      // A colleague saves first, on the version both opened: it goes through, with a new ETag.
      const first = await write(r(), 1, tag!);
      expect(first.status, r().name).toBe(200);
      expect(shown(r(), first)).toEqual(r().value(1));
      expect(etag(first)).not.toBe(tag);

      // The page opened before that saves too: refused, with words for people.
      const stale = await write(r(), 2, tag!);
      expect(stale.status, r().name).toBe(412);
      expect((stale.body as ErrorBody).error).toMatchObject({
        code: "precondition_failed",
        message: r().refusal,
      });

      // The colleague's change is still there, and reading says which version it is.
      const now = await read(r());
      expect(shown(r(), now)).toEqual(r().value(1));
      expect(etag(now)).toBe(etag(first));

      // Made again on the version now shown, the change goes through.
      const again = await write(r(), 3, etag(now)!);
      expect(again.status).toBe(200);
      expect(shown(r(), again)).toEqual(r().value(3));
      expect(etag(await read(r()))).toBe(etag(again));
    });

    it("lets a write without If-Match, or with *, through as before", async () => {
      const plain = await write(r(), 4);
      expect(plain.status, r().name).toBe(200);
      expect(etag(plain)).toMatch(/^"[A-Za-z0-9_-]{22}"$/);
      const any = await write(r(), 5, "*");
      expect(any.status).toBe(200);
      expect(shown(r(), await read(r()))).toEqual(r().value(5));
    });

    it("lets exactly one of two writes made on the same version at once win", async () => {
      const tag = etag(await read(r()))!;
      const both = await overlapping(() => [write(r(), 6, tag), write(r(), 7, tag)]);
      expect(both.map((b) => b.status).sort(), r().name).toEqual([200, 412]);
      const winner = both.find((b) => b.status === 200)!;
      const now = await read(r());
      expect(shown(r(), now)).toEqual(shown(r(), winner));
      expect(etag(now)).toBe(etag(winner));
    });
  });

  it("refuses a weak ETag (412) and an If-Match that is no ETag at all (400)", async () => {
    const path = "/api/v1/settings/export-profile";
    const tag = etag(await w.call("GET", path, { key: w.people.admin.key }))!;
    const weak = await w.call("PUT", path, {
      key: w.people.admin.key,
      body: { company_name: "Weak" },
      headers: { "if-match": `W/${tag}` },
    });
    expect(weak.status).toBe(412);
    const bare = await w.call<ErrorBody>("PUT", path, {
      key: w.people.admin.key,
      body: { company_name: "Bare" },
      headers: { "if-match": tag.slice(1, -1) },
    });
    expect(bare.status).toBe(400);
    expect(bare.body.error.message).toContain("If-Match takes the ETag exactly as a GET answered");
    // One of a list that matches is enough.
    const listed = await w.call("PUT", path, {
      key: w.people.admin.key,
      body: { company_name: "Listed" },
      headers: { "if-match": `"AAAAAAAAAAAAAAAAAAAAAA", ${tag}` },
    });
    expect(listed.status).toBe(200);
  });

  /**
   * Starts the writes so that they overlap. On PostgreSQL the workspace's row is held locked until
   * both wait on a lock, then let go; SQLite runs one write transaction at a time anyway.
   */
  async function overlapping(start: () => Promise<ApiResponse>[]): Promise<ApiResponse[]> {
    const deps = w.server.harness.runtime.deps;
    if (dialect === "sqlite") return Promise.all(start());
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let held!: () => void;
    const holding = new Promise<void>((r) => (held = r));
    const holder = withTx(deps, async (tx) => {
      await lockWorkspace(tx.ex, w.workspaceId as WorkspaceId);
      held();
      await gate;
    });
    await holding;
    const writes = start();
    let settled = 0;
    for (const p of writes) void p.finally(() => settled++);
    const waiting = async () =>
      Number(
        (
          await sql<{ n: string }>`select count(*) as n from pg_stat_activity
            where wait_event_type = 'Lock' and datname = current_database()`.execute(deps.store.db)
        ).rows[0]!.n,
      );
    while (settled === 0 && (await waiting()) < writes.length)
      await new Promise((r) => setTimeout(r, 10));
    release();
    await holder;
    return Promise.all(writes);
  }
}

describe.each(DIALECTS)("concurrent edits of settings and agents, on %s", (dialect) => {
  concurrentEdits(dialect);
});
