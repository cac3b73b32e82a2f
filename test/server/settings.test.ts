// Workspace settings over real HTTP: the export profile (letterhead with a logo), tools (MCP
// servers with masked secrets, the fetch allow-list) and models (keys masked, never in clear).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMcpServer, getSettings } from "../../src/app/settings.js";
import { createWorkspaceTools } from "../../src/app/workspace-tools.js";
import { startApi, type ApiWorld } from "../support/api.js";
import { noisePng, png } from "../support/images.js";
import { DIALECTS } from "../support/databases.js";

/** A 1×1 PNG and a 1×1 GIF, as base64. */
const PNG =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
const GIF = "R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7";

const PROFILE = {
  company_name: "Northwind Studio",
  tagline: "Plain words, on time",
  address: "12 Harbour Lane, Bristol",
  email: "hello@northwind.example",
  phone: "+44 117 000 0000",
  website: "https://northwind.example",
  accent_color: "#0f766e",
  logo: { mime: "image/png", base64: PNG },
  paper_size: "letter",
};

const SECRET = "Bearer mcp-secret-token-0123456789";
const ENV_SECRET = "ghp_abcdefghijklmnopqrstuvwxyz";

interface ErrorBody {
  error: { code: string; message: string };
}

function settingsFlow(dialect: "sqlite" | "postgres") {
  let w: ApiWorld;
  beforeAll(async () => {
    w = await startApi(dialect);
  });
  afterAll(async () => w?.close());

  it("round-trips the export profile with its logo", async () => {
    const empty = await w.call("GET", "/api/v1/settings/export-profile", {
      as: w.people.viewer,
    });
    expect(empty.body).toEqual({ export_profile: null });
    const saved = await w.call("PUT", "/api/v1/settings/export-profile", {
      key: w.people.admin.key,
      body: PROFILE,
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual({ export_profile: PROFILE });
    const read = await w.call("GET", "/api/v1/settings/export-profile", {
      key: w.people.member.key,
    });
    expect(read.body).toEqual({ export_profile: PROFILE });

    // Saved again from the web app: the audit log names the person, not a key.
    const bySession = await w.call("PUT", "/api/v1/settings/export-profile", {
      as: w.people.owner,
      body: { ...PROFILE, tagline: "New tagline" },
    });
    expect(bySession.status).toBe(200);
    const audit = await w.call<{ entries: { action: string; who: Record<string, unknown> }[] }>(
      "GET",
      "/api/v1/audit?limit=2",
      { key: w.people.admin.key },
    );
    expect(audit.body.entries.map((e) => [e.action, e.who])).toEqual([
      [
        "settings.export_profile_changed",
        {
          kind: "user",
          id: w.people.owner.userId,
          name: "Olive Owner",
          email: "owner@agency.test",
        },
      ],
      [
        "settings.export_profile_changed",
        expect.objectContaining({ kind: "api_key", name: "admin key" }),
      ],
    ]);
  });

  it("keeps MCP secrets masked on reading and keeps them when sent back masked", async () => {
    const git = {
      name: "git",
      transport: "stdio" as const,
      command: "git-mcp",
      args: [],
      env: { GITHUB_TOKEN: ENV_SECRET },
    };
    // The operator adds the stdio server (the CLI's path); the API keeps it.
    await addMcpServer(w.server.harness.runtime.deps, w.people.owner.actor, git);
    const tools = {
      mcp_servers: [
        {
          name: "crm",
          transport: "http",
          url: "https://mcp.crm.example/mcp",
          headers: { Authorization: SECRET },
        },
        git,
      ],
      fetch_allow_hosts: ["example.com", "*.Client.example"],
    };
    const put = await w.call<{ mcp_servers: Record<string, unknown>[] }>(
      "PUT",
      "/api/v1/settings/tools",
      { key: w.people.admin.key, body: tools },
    );
    expect(put.status).toBe(200);
    expect(put.text).not.toContain(SECRET);
    expect(put.text).not.toContain(ENV_SECRET);
    const read = await w.call<typeof tools>("GET", "/api/v1/settings/tools", {
      key: w.people.owner.key,
    });
    expect(read.text).not.toContain(SECRET);
    expect(read.body.fetch_allow_hosts).toEqual(["example.com", "*.client.example"]);
    expect(read.body.mcp_servers[0]).toMatchObject({ headers: { Authorization: "Bea…6789" } });
    expect(read.body.mcp_servers[1]).toMatchObject({ env: { GITHUB_TOKEN: "ghp…wxyz" } });

    // The form sends back what it read, with one host more: the secrets stay as they were.
    const again = await w.call("PUT", "/api/v1/settings/tools", {
      key: w.people.admin.key,
      body: { ...read.body, fetch_allow_hosts: [...read.body.fetch_allow_hosts, "10.0.0.5"] },
    });
    expect(again.status).toBe(200);
    const stored = await getSettings(w.server.harness.runtime.deps, w.people.owner.actor);
    expect(stored.mcp_servers).toMatchObject([
      { name: "crm", headers: { Authorization: SECRET } },
      { name: "git", env: { GITHUB_TOKEN: ENV_SECRET } },
    ]);
    expect(stored.fetch_allow_hosts).toEqual(["example.com", "*.client.example", "10.0.0.5"]);

    const audit = await w.call("GET", "/api/v1/audit", { key: w.people.owner.key });
    expect(audit.text).toContain("settings.tools_changed");
    expect(audit.text).not.toContain(SECRET);
  });

  it("keeps a masked header only while the server's address stays on the same host", async () => {
    const read = await w.call<{ mcp_servers: { name: string; url?: string }[] }>(
      "GET",
      "/api/v1/settings/tools",
      { key: w.people.owner.key },
    );
    const moved = (url: string, headers?: Record<string, string>) =>
      read.body.mcp_servers.map((m) =>
        m.name === "crm" ? { ...m, url, ...(headers ? { headers } : {}) } : m,
      );
    const stolen = await w.call<ErrorBody>("PUT", "/api/v1/settings/tools", {
      key: w.people.admin.key,
      body: { mcp_servers: moved("https://collector.attacker.example/mcp") },
    });
    expect([stolen.status, stolen.body.error.code]).toEqual([400, "invalid_input"]);
    expect(stolen.body.error.message).toContain(
      'MCP server "crm" moves to another host (collector.attacker.example): send its header Authorization again',
    );
    const stored = async () =>
      (await getSettings(w.server.harness.runtime.deps, w.people.owner.actor)).mcp_servers.find(
        (m) => m.name === "crm",
      );
    expect(await stored()).toMatchObject({ url: "https://mcp.crm.example/mcp" });

    // Another path on the same host keeps it; a new host with the secret given again is saved.
    const path = await w.call("PUT", "/api/v1/settings/tools", {
      key: w.people.admin.key,
      body: { mcp_servers: moved("https://mcp.crm.example/v2/mcp") },
    });
    expect(path.status).toBe(200);
    expect(await stored()).toMatchObject({ headers: { Authorization: SECRET } });
    const elsewhere = await w.call("PUT", "/api/v1/settings/tools", {
      key: w.people.admin.key,
      body: {
        mcp_servers: moved("https://mcp.newcrm.example/mcp", { Authorization: "Bearer new-one" }),
      },
    });
    expect(elsewhere.status).toBe(200);
    expect(await stored()).toMatchObject({
      url: "https://mcp.newcrm.example/mcp",
      headers: { Authorization: "Bearer new-one" },
    });
  });

  it("never lets the API add or change a stdio MCP server, which runs a program on the host", async () => {
    const read = await w.call<{ mcp_servers: { name: string; transport: string }[] }>(
      "GET",
      "/api/v1/settings/tools",
      { key: w.people.owner.key },
    );
    const servers = read.body.mcp_servers;
    const attempts = [
      [...servers, { name: "shell", transport: "stdio", command: "sh", args: ["-c", "id"] }],
      servers.map((m) => (m.name === "git" ? { ...m, command: "sh" } : m)),
    ];
    for (const mcp_servers of attempts) {
      const res = await w.call<ErrorBody>("PUT", "/api/v1/settings/tools", {
        key: w.people.owner.key,
        body: { mcp_servers },
      });
      expect([res.status, res.body.error.code]).toEqual([403, "forbidden"]);
      expect(res.body.error.message).toContain("atelya mcp add");
    }
    const removed = await w.call<{ mcp_servers: { name: string }[] }>(
      "PUT",
      "/api/v1/settings/tools",
      { key: w.people.owner.key, body: { mcp_servers: servers.filter((m) => m.name !== "git") } },
    );
    expect(removed.status).toBe(200);
    expect(removed.body.mcp_servers.map((m) => m.name)).toEqual(["crm"]);
  });

  it("shows provider keys masked and never in clear", async () => {
    const key = "sk-ant-api03-verysecretvalue-9876";
    const patched = await w.call<{ anthropic: { api_key: string } }>(
      "PATCH",
      "/api/v1/settings/models",
      { key: w.people.owner.key, body: { planner_model: "scripted", anthropic: { api_key: key } } },
    );
    expect(patched.status).toBe(200);
    expect(patched.body.anthropic.api_key).toBe("sk-…9876");
    const read = await w.call("GET", "/api/v1/settings/models", { key: w.people.admin.key });
    expect(read.body).toMatchObject({
      planner_model: "scripted",
      anthropic: { api_key: "sk-…9876" },
    });
    expect(read.text).not.toContain(key);
    const audit = await w.call("GET", "/api/v1/audit", { key: w.people.owner.key });
    expect(audit.text).not.toContain(key);
  });
}

describe.each(DIALECTS)("settings on %s", settingsFlow);

describe("settings: validation and roles", () => {
  let w: ApiWorld;
  beforeAll(async () => {
    w = await startApi("sqlite");
  });
  afterAll(async () => w?.close());

  it("refuses a logo whose bytes are not PNG or JPEG, and other malformed profiles, naming the field", async () => {
    const key = w.people.owner.key;
    const cases: [unknown, string][] = [
      [{ ...PROFILE, logo: { mime: "image/png", base64: GIF } }, "logo"],
      [{ ...PROFILE, logo: { mime: "image/jpeg", base64: PNG } }, "logo"],
      [{ ...PROFILE, logo: { mime: "image/png", base64: `data:image/png;base64,${PNG}` } }, "logo"],
      [{ ...PROFILE, logo: { mime: "image/gif", base64: GIF } }, "logo.mime"],
      [{ ...PROFILE, accent_color: "teal" }, "accent_color"],
      [{ ...PROFILE, company_name: "" }, "company_name"],
      [{ tagline: "No name" }, "company_name"],
    ];
    for (const [body, field] of cases) {
      const res = await w.call<ErrorBody>("PUT", "/api/v1/settings/export-profile", { key, body });
      expect([field, res.status, res.body.error.code]).toEqual([field, 400, "invalid_input"]);
      expect(res.body.error.message).toContain(field);
    }
    const unchanged = await w.call("GET", "/api/v1/settings/export-profile", { key });
    expect(unchanged.body).toEqual({ export_profile: null });
  });

  it("refuses a logo cut short after its first bytes, saying the file is damaged", async () => {
    const cut = png(300, 100).subarray(0, 200).toString("base64");
    const res = await w.call<ErrorBody>("PUT", "/api/v1/settings/export-profile", {
      key: w.people.owner.key,
      body: { ...PROFILE, logo: { mime: "image/png", base64: cut } },
    });
    expect([res.status, res.body.error.code]).toEqual([400, "invalid_input"]);
    expect(res.body.error.message).toContain("logo: the logo file is damaged");
    expect(res.body.error.message).toContain("export it again as PNG or JPEG");
  });

  it("refuses a logo of more than 4,096 pixels on a side, saying its size, and keeps the profile", async () => {
    const wide = png(5000, 2).toString("base64");
    const res = await w.call<ErrorBody>("PUT", "/api/v1/settings/export-profile", {
      key: w.people.owner.key,
      body: { ...PROFILE, company_name: "Too Wide Ltd", logo: { mime: "image/png", base64: wide } },
    });
    expect([res.status, res.body.error.code]).toEqual([400, "invalid_input"]);
    expect(res.body.error.message).toContain(
      "logo: the logo is 5000×2 pixels; a logo may have at most 4096 on a side",
    );
    const after = await w.call<{ export_profile: { company_name: string } | null }>(
      "GET",
      "/api/v1/settings/export-profile",
      { key: w.people.owner.key },
    );
    expect(after.body.export_profile?.company_name).not.toBe("Too Wide Ltd");
  });

  it("takes a logo near the profile's 1.5 MB limit, and answers a larger body with 413", async () => {
    // A real image (the whole file is decoded when it is saved), 1.4 MB of incompressible pixels.
    const near = noisePng(700, 660).toString("base64");
    expect(near.length).toBeGreaterThan(1_800_000);
    const saved = await w.call<ErrorBody>("PUT", "/api/v1/settings/export-profile", {
      key: w.people.owner.key,
      body: { ...PROFILE, logo: { mime: "image/png", base64: near } },
    });
    expect(saved.status).toBe(200);
    const big = `${PNG.slice(0, 12)}${"A".repeat(3_000_000)}`;
    const res = await w.call<ErrorBody>("PUT", "/api/v1/settings/export-profile", {
      key: w.people.owner.key,
      body: { ...PROFILE, logo: { mime: "image/png", base64: big } },
    });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe("payload_too_large");
  });

  it("refuses malformed tools, naming the field", async () => {
    const key = w.people.admin.key;
    const http = { name: "crm", transport: "http", url: "https://mcp.crm.example/mcp" };
    const cases: [unknown, string][] = [
      [{ fetch_allow_hosts: ["https://example.com/path"] }, "fetch_allow_hosts"],
      [{ mcp_servers: [{ ...http, url: "ftp://x.example" }] }, "url"],
      [{ mcp_servers: [{ ...http, name: "Bad Name" }] }, "name"],
      [{ mcp_servers: [{ name: "x", transport: "carrier-pigeon" }] }, "transport"],
      [{ mcp_servers: [http, http] }, "crm"],
      [
        { mcp_servers: [{ ...http, url: "https://user:pa55word@crm.example.com/mcp" }] },
        "may not contain a user name or password",
      ],
    ];
    for (const [body, field] of cases) {
      const res = await w.call<ErrorBody>("PUT", "/api/v1/settings/tools", { key, body });
      expect([field, res.status]).toEqual([field, 400]);
      expect(res.body.error.message).toContain(field);
      expect(res.text).not.toContain("pa55word");
    }
  });

  it("lists the tools an agent can be granted to every role, and names an MCP server that is down", async () => {
    const deps = w.server.harness.runtime.deps;
    const tools = createWorkspaceTools(deps);
    deps.tools = tools;
    try {
      const listed = await w.call<{ tools: { name: string; description: string }[] }>(
        "GET",
        "/api/v1/tools",
        { as: w.people.viewer },
      );
      expect(listed.status).toBe(200);
      expect(listed.body.tools.map((t) => t.name)).toContain("fetch_url");
      expect(listed.body.tools.every((t) => t.description.length > 0)).toBe(true);

      await w.call("PUT", "/api/v1/settings/tools", {
        key: w.people.admin.key,
        body: {
          mcp_servers: [
            { name: "gone", transport: "http", url: "http://127.0.0.1:1/mcp?api_key=SECRETQS123" },
          ],
        },
      });
      const down = await w.call<ErrorBody>("GET", "/api/v1/tools", { key: w.people.member.key });
      expect([down.status, down.body.error.code]).toEqual([409, "conflict"]);
      expect(down.body.error.message).toContain('MCP server "gone" (127.0.0.1:1)');
      // Everyone may read this message (and a room's history): a URL's query may hold a key.
      expect(down.text).not.toContain("SECRETQS123");
      // An admin's server on the host's loopback is refused before anything is sent, saying how
      // the operator would allow it.
      expect(down.body.error.message).toMatch(
        /127\.0\.0\.1 is an internal address.*ATELYA_MCP_ALLOW_ADDRESSES=127\.0\.0\.1/,
      );
    } finally {
      delete deps.tools;
      await tools.close();
      await w.call("PUT", "/api/v1/settings/tools", { key: w.people.admin.key, body: {} });
    }
  });

  it("leaves settings to owners and admins", async () => {
    const writes: [string, string, unknown][] = [
      ["PUT", "/api/v1/settings/export-profile", PROFILE],
      ["PUT", "/api/v1/settings/tools", { fetch_allow_hosts: [] }],
      ["GET", "/api/v1/settings/tools", undefined],
      ["GET", "/api/v1/settings/models", undefined],
      ["PATCH", "/api/v1/settings/models", { planner_model: null }],
    ];
    for (const role of ["member", "viewer"] as const)
      for (const [method, path, body] of writes) {
        const res = await w.call(method, path, { as: w.people[role], body });
        expect([role, method, path, res.status]).toEqual([role, method, path, 403]);
      }
  });
});
