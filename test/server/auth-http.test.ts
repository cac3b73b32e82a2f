// Who is calling, over real HTTP: first-run setup, the session cookie and its CSRF token, bearer
// API keys, the workspace header, invites accepted from a link.
import { afterEach, describe, expect, it } from "vitest";
import { setPlan } from "../../src/app/plan.js";
import { DIALECTS } from "../support/databases.js";
import { startTestServer, type TestServer } from "../support/server.js";

const PASSWORD = "correct horse battery";

interface Call {
  status: number;
  body: Record<string, unknown>;
  cookies: string[];
}

/** A tiny client that keeps the session cookie like a browser would. */
function client(server: TestServer) {
  let cookie: string | undefined;
  const call = async (
    method: string,
    path: string,
    o: { body?: unknown; csrf?: string; bearer?: string; workspace?: string } = {},
  ): Promise<Call> => {
    const headers: Record<string, string> = {};
    if (o.body !== undefined) headers["content-type"] = "application/json";
    if (cookie && !o.bearer) headers.cookie = cookie;
    if (o.csrf) headers["x-csrf-token"] = o.csrf;
    if (o.bearer) headers.authorization = `Bearer ${o.bearer}`;
    if (o.workspace) headers["x-atelya-workspace"] = o.workspace;
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers,
      ...(o.body !== undefined ? { body: JSON.stringify(o.body) } : {}),
    });
    const cookies = res.headers.getSetCookie();
    for (const c of cookies) {
      const [pair] = c.split(";");
      if (pair!.startsWith("atelya_session=")) cookie = pair!.endsWith("=") ? undefined : pair;
    }
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : {}, cookies };
  };
  return { call, hasCookie: () => cookie !== undefined };
}

const OWNER = {
  email: "owner@agency.test",
  name: "Olive Owner",
  password: PASSWORD,
  workspace_name: "Agency",
};

describe.each(DIALECTS)("auth over HTTP on %s", (dialect) => {
  let server: TestServer;
  afterEach(async () => server?.close());

  async function setUp(config = {}) {
    server = await startTestServer(dialect, { harness: { worker: false }, config });
    const browser = client(server);
    const setup = await browser.call("POST", "/api/v1/setup", { body: OWNER });
    expect(setup.status).toBe(201);
    return { browser, setup, csrf: setup.body.csrf_token as string };
  }

  it("runs first-run setup once and signs the owner in with an httpOnly SameSite cookie", async () => {
    server = await startTestServer(dialect, { harness: { worker: false } });
    const browser = client(server);
    expect((await browser.call("GET", "/api/v1/setup")).body).toEqual({ setup_needed: true });
    const setup = await browser.call("POST", "/api/v1/setup", { body: OWNER });
    expect(setup.status).toBe(201);
    const cookie = setup.cookies.find((c) => c.startsWith("atelya_session="))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/);
    expect(setup.body).toMatchObject({ via: "session", user: { email: OWNER.email } });
    expect((await browser.call("GET", "/api/v1/setup")).body).toEqual({ setup_needed: false });
    const again = await client(server).call("POST", "/api/v1/setup", {
      body: { ...OWNER, email: "other@agency.test" },
    });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: { code: "conflict" } });
  });

  it("marks the cookie Secure when the server says so", async () => {
    const { setup } = await setUp({ secureCookies: true });
    expect(setup.cookies.find((c) => c.startsWith("atelya_session="))).toMatch(/Secure/);
  });

  it("refuses a cookie-authenticated write without the CSRF token, and takes it with", async () => {
    const { browser, csrf } = await setUp();
    const me = await browser.call("GET", "/api/v1/session");
    expect(me.status).toBe(200);
    expect(me.body.csrf_token).toBe(csrf);
    // The session says when it ends (as signing in did), some days from now.
    expect(Date.parse(me.body.expires_at as string)).toBeGreaterThan(Date.now() + 86_400_000);
    const without = await browser.call("POST", "/api/v1/workspaces", { body: { name: "Side" } });
    expect(without.status).toBe(403);
    expect(without.body).toMatchObject({
      error: { code: "forbidden", message: expect.stringMatching(/CSRF token missing or wrong/) },
    });
    const wrong = await browser.call("POST", "/api/v1/workspaces", {
      body: { name: "Side" },
      csrf: "x".repeat(43),
    });
    expect(wrong.status).toBe(403);
    const ok = await browser.call("POST", "/api/v1/workspaces", { body: { name: "Side" }, csrf });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ name: "Side", role: "owner" });
  });

  it("lets a page that lost its CSRF token sign in again", async () => {
    const { browser } = await setUp();
    const again = await browser.call("POST", "/api/v1/session", {
      body: { email: OWNER.email, password: PASSWORD },
    });
    expect(again.status).toBe(200);
    const stillRefused = await browser.call("POST", "/api/v1/workspaces", { body: { name: "X" } });
    expect(stillRefused.status).toBe(403);
  });

  it("signs in and out; a wrong password gets one message and 401", async () => {
    await setUp();
    const browser = client(server);
    const wrong = await browser.call("POST", "/api/v1/session", {
      body: { email: OWNER.email, password: "not the password" },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ error: { message: "E-mail or password is wrong." } });
    const ok = await browser.call("POST", "/api/v1/session", {
      body: { email: OWNER.email, password: PASSWORD },
    });
    expect(ok.status).toBe(200);
    const csrf = ok.body.csrf_token as string;
    expect((await browser.call("GET", "/api/v1/workspace")).body).toMatchObject({
      name: "Agency",
      role: "owner",
    });
    expect((await browser.call("DELETE", "/api/v1/session", { csrf })).status).toBe(204);
    expect(browser.hasCookie()).toBe(false);
    expect((await browser.call("GET", "/api/v1/session")).status).toBe(401);
  });

  it("changes the password of the signed-in person", async () => {
    const { browser, csrf } = await setUp();
    const body = { current_password: PASSWORD, new_password: "another long passphrase" };
    expect((await browser.call("PUT", "/api/v1/session/password", { body, csrf })).status).toBe(
      204,
    );
    const wrong = await browser.call("PUT", "/api/v1/session/password", { body, csrf });
    expect(wrong.status).toBe(403);
    const again = await client(server).call("POST", "/api/v1/session", {
      body: { email: OWNER.email, password: "another long passphrase" },
    });
    expect(again.status).toBe(200);
  });

  it("answers another workspace in the header with 404", async () => {
    const { browser, csrf } = await setUp();
    const side = await browser.call("POST", "/api/v1/workspaces", { body: { name: "Side" }, csrf });
    const there = await browser.call("GET", "/api/v1/workspace", {
      workspace: side.body.id as string,
    });
    expect(there.body).toMatchObject({ name: "Side" });
    const foreign = await browser.call("GET", "/api/v1/workspace", {
      workspace: server.harness.workspace.id,
    });
    expect(foreign.status).toBe(404);
  });

  it("authenticates bearer keys without CSRF; a rotated or revoked key gets 401", async () => {
    const { browser, csrf } = await setUp();
    const created = await browser.call("POST", "/api/v1/api-keys", { body: { name: "CI" }, csrf });
    expect(created.status).toBe(201);
    const key = created.body.key as string;
    expect(key).toMatch(/^atk_/);
    expect(created.body.prefix).toBe(key.slice(0, 12));
    const listed = await browser.call("GET", "/api/v1/api-keys");
    expect(JSON.stringify(listed.body)).not.toContain(key);

    const viaKey = await browser.call("GET", "/api/v1/members", { bearer: key });
    expect(viaKey.status).toBe(200);
    expect(viaKey.body).toMatchObject({ members: [{ role: "owner" }] });
    const write = await browser.call("POST", "/api/v1/invites", {
      bearer: key,
      body: { email: "dana@agency.test", role: "member" },
    });
    expect(write.status).toBe(201);

    const rotated = await browser.call("POST", `/api/v1/api-keys/${created.body.id}/rotate`, {
      csrf,
    });
    const old = await browser.call("GET", "/api/v1/members", { bearer: key });
    expect(old.status).toBe(401);
    expect(old.body).toMatchObject({ error: { code: "unauthorized" } });
    const fresh = rotated.body.key as string;
    expect((await browser.call("GET", "/api/v1/members", { bearer: fresh })).status).toBe(200);
    await browser.call("DELETE", `/api/v1/api-keys/${created.body.id}`, { csrf });
    expect((await browser.call("GET", "/api/v1/members", { bearer: fresh })).status).toBe(401);
  });

  it("shows an API key its own workspace only, and lets it create none", async () => {
    const { browser, csrf, setup } = await setUp();
    await browser.call("POST", "/api/v1/workspaces", { body: { name: "Side" }, csrf });
    const created = await browser.call("POST", "/api/v1/api-keys", { body: { name: "CI" }, csrf });
    const bearer = created.body.key as string;
    const own = [
      { id: setup.body.current_workspace_id, name: "Agency", plan: "agency", role: "owner" },
    ];
    expect((await browser.call("GET", "/api/v1/workspaces", { bearer })).body).toEqual({
      workspaces: own,
    });
    expect((await browser.call("GET", "/api/v1/session", { bearer })).body).toMatchObject({
      via: "api_key",
      workspaces: own,
      csrf_token: null,
    });
    const make = await browser.call("POST", "/api/v1/workspaces", { bearer, body: { name: "X" } });
    expect(make.status).toBe(403);
    expect((await browser.call("GET", "/api/v1/workspaces")).body.workspaces).toHaveLength(2);
  });

  it("refuses API keys with 403 on a plan without API access", async () => {
    const { browser, csrf, setup } = await setUp();
    const created = await browser.call("POST", "/api/v1/api-keys", { body: { name: "CI" }, csrf });
    const workspaceId = setup.body.current_workspace_id as string;
    const deps = server.harness.runtime.deps;
    await setPlan(deps, { id: "cli", workspaceId: workspaceId as never, role: "owner" }, "pro");
    const res = await browser.call("GET", "/api/v1/members", {
      bearer: created.body.key as string,
    });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: { message: expect.stringMatching(/Pro plan/) } });
    const overview = await browser.call("GET", "/api/v1/workspace");
    expect(overview.body).toMatchObject({ plan: "pro", max_users: 5, api_access: false });
  });

  it("accepts an invite link once: a new account joins and is signed in", async () => {
    const { browser, csrf } = await setUp();
    const invite = await browser.call("POST", "/api/v1/invites", {
      body: { email: "dana@agency.test", role: "viewer" },
      csrf,
    });
    expect(invite.body.url).toBe(`/invite/${invite.body.token}`);
    const token = invite.body.token as string;
    const guest = client(server);
    const preview = await guest.call("GET", `/api/v1/invites/${token}`);
    expect(preview.body).toMatchObject({
      workspace: { name: "Agency" },
      role: "viewer",
      has_account: false,
    });
    const accepted = await guest.call("POST", `/api/v1/invites/${token}/accept`, {
      body: { name: "Dana", password: PASSWORD },
    });
    expect(accepted.status).toBe(200);
    expect(guest.hasCookie()).toBe(true);
    expect((await guest.call("GET", "/api/v1/workspace")).body).toMatchObject({ role: "viewer" });
    const reuse = await client(server).call("POST", `/api/v1/invites/${token}/accept`, {
      body: { name: "Eve", password: PASSWORD },
    });
    expect(reuse.status).toBe(409);
    expect(reuse.body).toMatchObject({
      error: { message: expect.stringMatching(/already been used/) },
    });
    // The used link's page says so (the web app opens it from an old e-mail).
    const used = await client(server).call("GET", `/api/v1/invites/${token}`);
    expect(used.status).toBe(409);
    expect(used.body).toMatchObject({
      error: { message: expect.stringMatching(/already been used/) },
    });
    const members = await browser.call("GET", "/api/v1/members");
    expect((members.body.members as unknown[]).length).toBe(2);
  });
});
