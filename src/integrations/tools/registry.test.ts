import { describe, expect, it } from "vitest";
import { z } from "zod";
import { builtinTools } from "./builtins/index.js";
import { createToolRegistry } from "./registry.js";
import type { Tool, ToolCallContext } from "./types.js";

const ctx = (over: Partial<ToolCallContext> = {}): ToolCallContext => ({
  signal: new AbortController().signal,
  inputs: [{ kind: "brief", label: "Brief", content: "Budget is €40,000." }],
  now: () => new Date("2026-11-24T10:00:00Z"),
  ...over,
});

/** A tool that records every call it receives. */
function spyTool(name = "spy") {
  const calls: unknown[] = [];
  const tool: Tool<{ n: number }> = {
    name,
    description: "records calls",
    inputSchema: z.object({ n: z.number().int() }),
    run: async (args) => (calls.push(args), { output: `ran with ${args.n}` }),
  };
  return { tool: tool as Tool, calls };
}

describe("runGranted", () => {
  it("refuses a tool the agent was not granted and runs nothing, whatever it is asked", async () => {
    const { tool, calls } = spyTool();
    const registry = createToolRegistry({ tools: [tool] });
    await expect(registry.runGranted(["calculate"], "spy", { n: 1 }, ctx())).rejects.toMatchObject({
      name: "ToolNotGrantedError",
      code: "not_granted",
      message: expect.stringContaining('Tool "spy" is not granted to this agent'),
    });
    await expect(registry.runGranted([], "spy", { n: 1 }, ctx())).rejects.toMatchObject({
      code: "not_granted",
    });
    expect(calls).toEqual([]);
    expect(await registry.runGranted(["spy"], "spy", { n: 1 }, ctx())).toEqual({
      output: "ran with 1",
    });
    expect(calls).toEqual([{ n: 1 }]);
  });

  it("says which tools exist when a granted name is not configured", async () => {
    const registry = createToolRegistry({ builtins: builtinTools() });
    await expect(
      registry.runGranted(["mcp:crm/find"], "mcp:crm/find", {}, ctx()),
    ).rejects.toMatchObject({
      code: "unknown_tool",
      message: expect.stringMatching(/available: calculate, .*atelya mcp list/),
    });
  });

  it("validates arguments against the tool's schema, lists every issue and runs nothing", async () => {
    const { tool, calls } = spyTool();
    const registry = createToolRegistry({ tools: [tool] });
    await expect(registry.runGranted(["spy"], "spy", { n: 1.5 }, ctx())).rejects.toMatchObject({
      code: "invalid_args",
      issues: ["n: Invalid input: expected int, received number"],
    });
    await expect(registry.runGranted(["spy"], "spy", undefined, ctx())).rejects.toMatchObject({
      code: "invalid_args",
      message: expect.stringContaining("n: Invalid input: expected number, received undefined"),
    });
    expect(calls).toEqual([]);
  });

  it("stops a tool at its time limit even when the tool ignores its signal", async () => {
    let sawAbort = false;
    const stuck: Tool = {
      name: "stuck",
      description: "never answers",
      inputSchema: z.object({}),
      run: (_a, c) => {
        c.signal.addEventListener("abort", () => (sawAbort = true));
        return new Promise(() => {});
      },
    };
    const registry = createToolRegistry({ tools: [stuck], limits: { timeoutMs: 100 } });
    const started = Date.now();
    await expect(registry.runGranted(["stuck"], "stuck", {}, ctx())).rejects.toMatchObject({
      code: "timeout",
      retryable: true,
      message: expect.stringContaining("took longer than 100 ms"),
    });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(sawAbort).toBe(true);
  });

  it("stops when the caller aborts (pause, replan, cancel), and does not start when already aborted", async () => {
    const { tool, calls } = spyTool();
    const waiting: Tool = {
      name: "waiting",
      description: "waits",
      inputSchema: z.object({}),
      run: () => new Promise(() => {}),
    };
    const registry = createToolRegistry({ tools: [tool, waiting] });
    const controller = new AbortController();
    const call = registry.runGranted(
      ["waiting"],
      "waiting",
      {},
      ctx({ signal: controller.signal }),
    );
    controller.abort(new Error("the room was paused"));
    await expect(call).rejects.toMatchObject({
      code: "aborted",
      message: "Tool waiting was stopped before it finished (the room was paused).",
    });
    await expect(
      registry.runGranted(["spy"], "spy", { n: 1 }, ctx({ signal: controller.signal })),
    ).rejects.toMatchObject({ code: "aborted" });
    expect(calls).toEqual([]);
  });

  it("cuts an output longer than the limit and says so", async () => {
    const chatty: Tool = {
      name: "chatty",
      description: "talks",
      inputSchema: z.object({}),
      run: async () => ({ output: "word ".repeat(100) }),
    };
    const registry = createToolRegistry({ tools: [chatty], limits: { maxOutputChars: 50 } });
    const r = await registry.runGranted(["chatty"], "chatty", {}, ctx());
    expect(r.output).toBe(`${"word ".repeat(10)}\n\n[output cut at 50 characters]`);
  });

  it("reports an unexpected crash of a tool as a failure naming the tool", async () => {
    const broken: Tool = {
      name: "broken",
      description: "throws",
      inputSchema: z.object({}),
      run: async () => {
        throw new TypeError("x is undefined");
      },
    };
    const registry = createToolRegistry({ tools: [broken] });
    await expect(registry.runGranted(["broken"], "broken", {}, ctx())).rejects.toMatchObject({
      code: "failed",
      message: "Tool broken failed: x is undefined",
    });
  });
});

describe("the registry", () => {
  it("lists every tool with the JSON schema of its arguments, for the Planner", () => {
    const registry = createToolRegistry({ builtins: builtinTools() });
    const list = registry.list();
    expect(list.map((t) => t.name)).toEqual([
      "calculate",
      "extract_dates_amounts",
      "fetch_url",
      "search_inputs",
    ]);
    expect(list.find((t) => t.name === "search_inputs")).toMatchObject({
      source: "builtin",
      parameters: { type: "object", required: ["query"] },
    });
    expect(registry.resolve("calculate")?.name).toBe("calculate");
    expect(registry.resolve("nope")).toBeUndefined();
  });

  it("refuses two tools of the same name", () => {
    const { tool } = spyTool("calculate");
    expect(() => createToolRegistry({ builtins: builtinTools(), tools: [tool] })).toThrow(
      'Two tools are named "calculate"',
    );
  });

  it("closes its MCP connections once", async () => {
    let closed = 0;
    const registry = createToolRegistry({
      mcp: { tools: [], servers: ["x"], unavailable: [], close: async () => void closed++ },
    });
    await Promise.all([registry.close(), registry.close()]);
    expect(closed).toBe(1);
  });
});
