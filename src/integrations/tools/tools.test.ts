import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluate } from "./builtins/calculate.js";
import { extractAll } from "./builtins/extract.js";
import {
  builtinTools,
  connectMcpServers,
  createToolRegistry,
  type Tool,
  type ToolContext,
} from "./index.js";

const ctx = (over: Partial<ToolContext> = {}): ToolContext => ({
  signal: new AbortController().signal,
  inputs: [
    {
      kind: "brief",
      label: "Client brief",
      content:
        "Aurora Coffee wants a loyalty app relaunch.\n\nBudget is €40,000 and the pilot starts 15 November 2026 in three stores.",
    },
    {
      kind: "meeting_notes",
      label: "Kick-off",
      content: "The app must work offline at the counter. Rollout takes 6 weeks after the pilot.",
    },
  ],
  now: () => new Date("2026-11-24T10:00:00Z"),
  ...over,
});

describe("the tool registry", () => {
  it("never runs a tool the agent was not granted, whatever it is asked", async () => {
    const calls: unknown[] = [];
    const spy: Tool = {
      name: "spy",
      description: "records calls",
      args: null,
      parameters: {},
      run: async (a) => (calls.push(a), { output: "ran" }),
    };
    const registry = createToolRegistry({ tools: [spy] });
    await expect(registry.runGranted(["calculate"], "spy", { x: 1 }, ctx())).rejects.toMatchObject({
      code: "not_granted",
    });
    expect(calls).toEqual([]);
    expect(await registry.runGranted(["spy"], "spy", { x: 1 }, ctx())).toEqual({ output: "ran" });
    expect(calls).toEqual([{ x: 1 }]);
  });

  it("validates arguments and stops a tool at its time limit", async () => {
    const sleeper: Tool = {
      name: "sleeper",
      description: "waits",
      args: null,
      parameters: {},
      run: (_a, c) =>
        new Promise((_, reject) =>
          c.signal.addEventListener("abort", () => reject(new Error("aborted"))),
        ),
    };
    const registry = createToolRegistry({ tools: [...builtinTools(), sleeper], timeoutMs: 100 });
    await expect(
      registry.runGranted(["calculate"], "calculate", { expression: 12 }, ctx()),
    ).rejects.toMatchObject({ code: "invalid_args" });
    await expect(registry.runGranted(["sleeper"], "sleeper", {}, ctx())).rejects.toMatchObject({
      code: "timeout",
    });
    expect(registry.list().map((t) => t.name)).toContain("search_inputs");
  });
});

describe("built-in tools", () => {
  const registry = createToolRegistry({ tools: builtinTools() });
  const all = ["search_inputs", "calculate", "extract_dates_amounts", "fetch_url"];

  it("search_inputs finds the passage about the budget, with its source", async () => {
    const r = await registry.runGranted(all, "search_inputs", { query: "budget pilot" }, ctx());
    expect(r.output.split("\n")[0]).toMatch(/^1\. \[Client brief\] Budget is €40,000/);
    expect(
      (await registry.runGranted(all, "search_inputs", { query: "blockchain" }, ctx())).output,
    ).toContain("Nothing in the material matches");
  });

  it("calculate evaluates expressions exactly and totals line items in cents", async () => {
    expect(evaluate("12 * 850 + 15%")).toBe(10200.15);
    expect(evaluate("(1,200 + 300) * 2 / 3")).toBe(1000);
    expect(() => evaluate("2 ** 3")).toThrow(/Cannot read the expression/);
    expect(() => evaluate("1/0")).toThrow(/Division by zero/);
    const r = await registry.runGranted(
      all,
      "calculate",
      {
        line_items: [
          { description: "Design sprint", quantity: 3, unit_price: 0.1 },
          { description: "Pilot", quantity: 1, unit_price: 12000 },
        ],
        discount_percent: 10,
        tax_percent: 23,
        currency: "EUR",
      },
      ctx(),
    );
    expect(r.data).toEqual({ subtotal: 12000.3, discount: 1200.03, tax: 2484.06, total: 13284.33 });
    expect(r.output).toContain("| **Total** | | | **EUR 13,284.33** |");
  });

  it("extract_dates_amounts reads dates, amounts and durations from the material", async () => {
    expect(
      extractAll(
        "Pilot on March 3, 2027 and 2026-12-01; budget 1.200,50 EUR or USD 3k; €40,000; 6 weeks.",
        new Date("2026-11-24T00:00:00Z"),
      ),
    ).toEqual([
      { kind: "date", text: "March 3, 2027", value: "2027-03-03" },
      { kind: "date", text: "2026-12-01", value: "2026-12-01" },
      { kind: "amount", text: "1.200,50 EUR", value: "1200.5 EUR" },
      { kind: "amount", text: "USD 3k", value: "3000 USD" },
      { kind: "amount", text: "€40,000", value: "40000 EUR" },
      { kind: "duration", text: "6 weeks", value: "6 weeks" },
    ]);
    const r = await registry.runGranted(all, "extract_dates_amounts", {}, ctx());
    expect(r.output).toContain("Date: 15 November 2026 → 2026-11-15 (Client brief)");
    expect(r.output).toContain("Duration: 6 weeks → 6 weeks (Kick-off)");
  });
});

describe("fetch_url", () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === "/page")
        return res
          .writeHead(200, { "content-type": "text/html" })
          .end("<html><script>x()</script><h1>Pricing</h1><p>Day rate &amp; terms</p></html>");
      if (req.url === "/big")
        return res.writeHead(200, { "content-type": "text/plain" }).end("x".repeat(5_000));
      if (req.url === "/away")
        return res.writeHead(302, { location: "http://elsewhere.example/" }).end();
      if (req.url === "/slow") return void setTimeout(() => res.end("late"), 2_000);
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const tool = (over = {}) =>
    createToolRegistry({
      tools: builtinTools({
        allowHosts: ["127.0.0.1"],
        allowPrivate: true,
        maxBytes: 1_000,
        timeoutMs: 300,
        ...over,
      }),
    });
  const run = (url: string, over = {}) =>
    tool(over).runGranted(["fetch_url"], "fetch_url", { url }, ctx());

  it("returns the visible text of an allowed page", async () => {
    expect((await run(`${base}/page`)).output).toBe("Pricing\nDay rate & terms");
  });
  it("refuses hosts off the allow-list and private addresses", async () => {
    await expect(run(`${base}/page`, { allowHosts: [] })).rejects.toMatchObject({
      code: "not_granted",
      message: expect.stringContaining("Fetching is off"),
    });
    await expect(run(`${base}/page`, { allowPrivate: false })).rejects.toMatchObject({
      code: "not_granted",
      message: expect.stringContaining("private address"),
    });
  });
  it("cuts large bodies, re-checks redirects and stops slow servers", async () => {
    const big = await run(`${base}/big`);
    expect(big.output).toContain("[cut at 1,000 bytes]");
    expect(big.output.startsWith("x".repeat(1_000))).toBe(true);
    await expect(run(`${base}/away`)).rejects.toMatchObject({
      code: "not_granted",
      message: expect.stringContaining("elsewhere.example"),
    });
    await expect(run(`${base}/slow`)).rejects.toMatchObject({ code: "timeout" });
  });
});

describe("MCP tools over stdio", () => {
  const serverScript = fileURLToPath(
    new URL("../../../test/fixtures/mcp-server.mjs", import.meta.url),
  );

  it("lists the server's tools, runs them when granted, reports their errors and aborts long calls", async () => {
    const mcp = await connectMcpServers([
      { name: "studio", transport: "stdio", command: process.execPath, args: [serverScript] },
    ]);
    try {
      const registry = createToolRegistry({ tools: mcp.tools, timeoutMs: 2_000 });
      expect(
        registry
          .list()
          .map((t) => t.name)
          .sort(),
      ).toEqual(["mcp:studio/lookup_rate", "mcp:studio/slow", "mcp:studio/word_count"]);
      const grants = ["mcp:studio/word_count", "mcp:studio/lookup_rate", "mcp:studio/slow"];
      expect(
        (
          await registry.runGranted(
            grants,
            "mcp:studio/word_count",
            { text: "one two three" },
            ctx(),
          )
        ).output,
      ).toBe("3 words");
      expect(
        (await registry.runGranted(grants, "mcp:studio/lookup_rate", { role: "Designer" }, ctx()))
          .data,
      ).toEqual({ role: "Designer", rate: 95 });
      await expect(
        registry.runGranted(grants, "mcp:studio/lookup_rate", { role: "Juggler" }, ctx()),
      ).rejects.toMatchObject({
        code: "failed",
        message: expect.stringContaining("No rate for Juggler"),
      });
      await expect(
        registry.runGranted(
          ["mcp:studio/word_count"],
          "mcp:studio/lookup_rate",
          { role: "x" },
          ctx(),
        ),
      ).rejects.toMatchObject({ code: "not_granted" });
      const abort = new AbortController();
      setTimeout(() => abort.abort(), 100);
      await expect(
        registry.runGranted(
          grants,
          "mcp:studio/slow",
          { ms: 10_000 },
          ctx({ signal: abort.signal }),
        ),
      ).rejects.toThrow();
    } finally {
      await mcp.close();
    }
  });

  it("names the server it cannot reach", async () => {
    await expect(
      connectMcpServers([{ name: "ghost", transport: "stdio", command: "/nonexistent/mcp" }], {
        timeoutMs: 2_000,
      }),
    ).rejects.toMatchObject({
      code: "unavailable",
      message: expect.stringContaining('"ghost"'),
    });
  });
});
