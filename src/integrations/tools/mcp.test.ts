import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFixtureServer } from "../../../test/fixtures/mcp-server.mjs";
import { connectMcpServer, connectMcpServers, type McpTools } from "./mcp.js";
import { createToolRegistry, type ToolRegistry } from "./registry.js";
import type { ToolCallContext } from "./types.js";

const SERVER = fileURLToPath(new URL("../../../test/fixtures/mcp-server.mjs", import.meta.url));
const ALL = ["mcp:studio/word_count", "mcp:studio/lookup_rate", "mcp:studio/slow"];
const ctx = (over: Partial<ToolCallContext> = {}): ToolCallContext => ({
  signal: new AbortController().signal,
  inputs: [],
  now: () => new Date("2026-11-24T10:00:00Z"),
  ...over,
});

describe("MCP tools over stdio", () => {
  let mcp: McpTools;
  let registry: ToolRegistry;
  beforeAll(async () => {
    mcp = await connectMcpServers([
      { name: "studio", transport: "stdio", command: process.execPath, args: [SERVER] },
    ]);
    registry = createToolRegistry({ mcp, limits: { timeoutMs: 2_000 } });
  });
  afterAll(() => registry.close());

  it("lists the server's tools under mcp:<server>/ with their JSON schemas", () => {
    expect(registry.list().map((t) => t.name)).toEqual([
      "mcp:studio/lookup_rate",
      "mcp:studio/slow",
      "mcp:studio/word_count",
    ]);
    expect(registry.list()[0]).toMatchObject({
      source: "mcp",
      description: "The agency's hourly rate for a role, in EUR.",
      parameters: { type: "object", properties: { role: { type: "string" } }, required: ["role"] },
    });
  });

  it("runs a granted tool: its text is the output, its structured content the data", async () => {
    const count = await registry.runGranted(
      ALL,
      "mcp:studio/word_count",
      { text: "one two three" },
      ctx(),
    );
    expect(count).toEqual({ output: "3 words", data: [{ type: "text", text: "3 words" }] });
    const rate = await registry.runGranted(
      ALL,
      "mcp:studio/lookup_rate",
      { role: "Designer" },
      ctx(),
    );
    expect(rate).toEqual({ output: "Designer: €95/hour", data: { role: "Designer", rate: 95 } });
  });

  it("reports the server's error, checks arguments against the tool's schema and honours grants", async () => {
    await expect(
      registry.runGranted(ALL, "mcp:studio/lookup_rate", { role: "Juggler" }, ctx()),
    ).rejects.toMatchObject({
      code: "failed",
      message: 'MCP tool lookup_rate on server "studio" reported an error: No rate for Juggler.',
    });
    await expect(
      registry.runGranted(ALL, "mcp:studio/lookup_rate", { role: 7 }, ctx()),
    ).rejects.toMatchObject({ code: "invalid_args", issues: ["role must be string"] });
    await expect(
      registry.runGranted(
        ["mcp:studio/word_count"],
        "mcp:studio/lookup_rate",
        { role: "x" },
        ctx(),
      ),
    ).rejects.toMatchObject({ code: "not_granted" });
  });

  it("stops a call at its time limit and when the caller aborts, and keeps working after", async () => {
    await expect(
      registry.runGranted(
        ALL,
        "mcp:studio/slow",
        { ms: 5_000 },
        ctx({ limits: { timeoutMs: 100 } }),
      ),
    ).rejects.toMatchObject({ code: "timeout" });
    const abort = new AbortController();
    const call = registry.runGranted(
      ALL,
      "mcp:studio/slow",
      { ms: 5_000 },
      ctx({ signal: abort.signal }),
    );
    setTimeout(() => abort.abort(new Error("the room was cancelled")), 50);
    await expect(call).rejects.toMatchObject({
      code: "aborted",
      message: expect.stringContaining("the room was cancelled"),
    });
    expect(
      (await registry.runGranted(ALL, "mcp:studio/word_count", { text: "still here" }, ctx()))
        .output,
    ).toBe("2 words");
  });
});

describe("connecting to MCP servers", () => {
  it("names each server it cannot start, with the end of its error output, and keeps the others", async () => {
    const mcp = await connectMcpServers(
      [
        { name: "ghost", transport: "stdio", command: "/nonexistent/mcp-server" },
        {
          name: "broken",
          transport: "stdio",
          command: process.execPath,
          args: [SERVER, "--fail"],
        },
        { name: "studio", transport: "stdio", command: process.execPath, args: [SERVER] },
      ],
      { timeoutMs: 5_000 },
    );
    try {
      expect(mcp.servers).toEqual(["studio"]);
      expect(mcp.tools.map((t) => t.name)).toContain("mcp:studio/word_count");
      expect(mcp.unavailable).toMatchObject([
        {
          code: "unavailable",
          retryable: true,
          server: "ghost",
          message: expect.stringMatching(
            /^Cannot connect to MCP server "ghost" \(command \/nonexistent\/mcp-server\)/,
          ),
        },
        {
          server: "broken",
          message: expect.stringMatching(
            /^Cannot connect to MCP server "broken"[\s\S]*fixture: refusing to start \(--fail\)/,
          ),
        },
      ]);
    } finally {
      await mcp.close();
    }
  });

  it("refuses an invalid configuration before starting anything", async () => {
    const mcp = await connectMcpServers([{ name: "Bad Name", transport: "http", url: "ftp://x" }]);
    expect(mcp.unavailable).toMatchObject([
      {
        code: "unavailable",
        message: expect.stringContaining(
          'The configuration of MCP server "Bad Name" is invalid: name: use lower-case letters',
        ),
      },
    ]);
  });
});

describe("MCP tools over streamable HTTP", () => {
  let http: Server;
  let url: string;
  let cancelled = 0;
  let requests = 0;
  const sessions = new Map<string, StreamableHTTPServerTransport>();

  beforeAll(async () => {
    // One MCP session per client, as a real server keeps them.
    http = createServer(async (req, res) => {
      requests++;
      const id = req.headers["mcp-session-id"];
      let transport = typeof id === "string" ? sessions.get(id) : undefined;
      if (!transport) {
        transport = new StreamableHTTPServerTransport({
          sessionIdGenerator: randomUUID,
          onsessioninitialized: (sid) => void sessions.set(sid, transport!),
        });
        transport.onclose = () => transport?.sessionId && sessions.delete(transport.sessionId);
        await createFixtureServer(() => cancelled++).connect(transport);
      }
      if (req.headers.authorization !== "Bearer s3cret") return void res.writeHead(401).end();
      await transport.handleRequest(req, res);
    });
    await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`;
  });
  afterAll(async () => {
    http.closeAllConnections();
    await new Promise((r) => http.close(r));
  });

  it("lists and calls tools with the configured headers, aborts a call on the server, and ends the session on close", async () => {
    const registry = createToolRegistry({
      mcp: await connectMcpServers(
        [{ name: "studio", transport: "http", url, headers: { authorization: "Bearer s3cret" } }],
        { allowAddresses: ["127.0.0.1"] },
      ),
    });
    expect(registry.list()).toHaveLength(3);
    expect(sessions.size).toBe(1);
    const r = await registry.runGranted(
      ALL,
      "mcp:studio/lookup_rate",
      { role: "strategist" },
      ctx(),
    );
    expect(r.output).toBe("strategist: €140/hour");

    const abort = new AbortController();
    const call = registry.runGranted(
      ALL,
      "mcp:studio/slow",
      { ms: 5_000 },
      ctx({ signal: abort.signal }),
    );
    setTimeout(() => abort.abort(), 50);
    await expect(call).rejects.toMatchObject({ code: "aborted" });
    await expect.poll(() => cancelled).toBe(1); // the server heard the cancellation

    await registry.close();
    expect(sessions.size).toBe(0);
  });

  it("does not reach a server on an internal address unless the operator allows it", async () => {
    const before = requests;
    const studio = {
      name: "studio",
      transport: "http" as const,
      headers: { authorization: "Bearer s3cret" },
    };
    // An IP literal, and a name that resolves to loopback (checked when the socket connects).
    for (const at of [url, url.replace("127.0.0.1", "localhost")])
      await expect(
        connectMcpServer(
          { ...studio, url: at },
          {
            timeoutMs: 2_000,
            allowAddresses: ["10.0.0.0/8"],
          },
        ),
      ).rejects.toMatchObject({
        code: "unavailable",
        message: expect.stringMatching(
          /^Cannot connect to MCP server "studio" \((127\.0\.0\.1|localhost):\d+\): (localhost \()?(127\.0\.0\.1|::1)\)? is an internal address, .* allows the address \(the setting mcpAllowAddresses, or ATELYA_MCP_ALLOW_ADDRESSES=(127\.0\.0\.1|::1)\)/,
        ),
      });
    expect(requests).toBe(before); // nothing was sent

    const mcp = await connectMcpServers(
      [{ ...studio, url: url.replace("127.0.0.1", "localhost") }],
      {
        allowAddresses: ["127.0.0.1", "::1"],
      },
    );
    expect(mcp.tools.map((t) => t.name)).toContain("mcp:studio/lookup_rate");
    await mcp.close();
  });

  it("names the server and its host when it refuses the connection, never the URL's query", async () => {
    const failure = await connectMcpServer(
      {
        name: "crm",
        transport: "http",
        url: `${url}?api_key=SECRETQS123`,
        headers: { authorization: "wrong" },
      },
      { timeoutMs: 2_000, allowAddresses: ["127.0.0.0/8"] },
    ).catch((e: unknown) => e);
    expect(failure).toMatchObject({
      code: "unavailable",
      message: expect.stringMatching(
        /^Cannot connect to MCP server "crm" \(127\.0\.0\.1:\d+\): it answered HTTP 401 \(the credentials in its headers were refused\)\. Check the server's URL and headers/,
      ),
    });
    expect(String(failure)).not.toContain("SECRETQS123");
  });
});
