// The tool registry: built-ins and MCP tools by name, run only when the agent was granted them,
// with validated arguments, a time limit and the caller's abort signal.
import type { z } from "zod";
import {
  InvalidToolArgsError,
  ToolAbortedError,
  ToolError,
  ToolFailedError,
  ToolNotGrantedError,
  ToolTimeoutError,
  UnknownToolError,
  messageOf,
} from "./errors.js";
import { jsonSchemaOf } from "./json-schema.js";
import type { McpTools } from "./mcp.js";
import {
  DEFAULT_TOOL_LIMITS,
  type Tool,
  type ToolCallContext,
  type ToolLimits,
  type ToolResult,
} from "./types.js";

export interface ToolInfo {
  name: string;
  description: string;
  /** JSON schema of the arguments, for the Planner's prompt. */
  parameters: Record<string, unknown>;
  source: "builtin" | "mcp";
}

export interface ToolRegistry {
  /** Every tool with its description and parameters, sorted by name. */
  list(): ToolInfo[];
  /** The tool of that name, if configured (grants are not checked: use `runGranted` to run). */
  resolve(name: string): Tool | undefined;
  /** Runs `name` only if it is in `grants`; nothing runs when the grant, the name or the
   *  arguments are wrong. Throws a `ToolError` subclass. */
  runGranted(
    grants: readonly string[],
    name: string,
    args: unknown,
    ctx: ToolCallContext,
  ): Promise<ToolResult>;
  /** Closes the MCP connections the registry was given. Safe to call twice. */
  close(): Promise<void>;
}

export interface ToolRegistryOptions {
  builtins?: readonly Tool[];
  /** Connected MCP servers (`connectMcpServers`); the registry closes them on `close()`. */
  mcp?: McpTools;
  /** Any other tools (embedders, tests). */
  tools?: readonly Tool[];
  /** Defaults for every call; a call's `ctx.limits` overrides them. */
  limits?: Partial<ToolLimits>;
}

export function createToolRegistry(o: ToolRegistryOptions): ToolRegistry {
  const all = [...(o.builtins ?? []), ...(o.mcp?.tools ?? []), ...(o.tools ?? [])];
  const byName = new Map<string, Tool>();
  for (const t of all) {
    if (byName.has(t.name))
      throw new Error(`Two tools are named "${t.name}"; rename one of the MCP servers.`);
    byName.set(t.name, t);
  }
  const defaults = { ...DEFAULT_TOOL_LIMITS, ...o.limits };
  const infos = [...byName.values()]
    .map((t): ToolInfo => ({
      name: t.name,
      description: t.description,
      parameters: t.jsonSchema ?? jsonSchemaOf(t.inputSchema),
      source: t.name.startsWith("mcp:") ? "mcp" : "builtin",
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
  let closing: Promise<void> | undefined;

  return {
    list: () => infos.map((i) => ({ ...i })),
    resolve: (name) => byName.get(name),

    async runGranted(grants, name, args, ctx) {
      // The grant is checked first and alone: whatever a plan or a model says, nothing else runs.
      if (!grants.includes(name)) throw new ToolNotGrantedError(name);
      const tool = byName.get(name);
      if (!tool)
        throw new UnknownToolError(
          name,
          infos.map((i) => i.name),
        );
      const parsed = tool.inputSchema.safeParse(args ?? {});
      if (!parsed.success) throw new InvalidToolArgsError(name, parsed.error.issues.map(issueText));
      if (ctx.signal.aborted) throw new ToolAbortedError(name, ctx.signal.reason);

      const limits = { ...defaults, ...ctx.limits };
      const timeout = AbortSignal.timeout(limits.timeoutMs);
      const signal = AbortSignal.any([ctx.signal, timeout]);
      const stop = rejectOnAbort(signal);
      let result: ToolResult;
      try {
        // Raced against the signal, so a tool that ignores it still cannot hold the step.
        result = await Promise.race([
          tool.run(parsed.data, { ...ctx, signal, limits }),
          stop.promise,
        ]);
      } catch (e) {
        if (ctx.signal.aborted) throw new ToolAbortedError(name, ctx.signal.reason);
        if (timeout.aborted) throw new ToolTimeoutError(name, limits.timeoutMs);
        if (e instanceof ToolError) throw e;
        throw new ToolFailedError(`Tool ${name} failed: ${messageOf(e)}`, false, { cause: e });
      } finally {
        stop.dispose();
      }
      return { ...result, output: cut(result.output, limits.maxOutputChars) };
    },

    close: () => (closing ??= o.mcp?.close() ?? Promise.resolve()),
  };
}

function issueText(i: z.core.$ZodIssue): string {
  return i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message;
}

function rejectOnAbort(signal: AbortSignal): { promise: Promise<never>; dispose(): void } {
  let onAbort = () => {};
  const promise = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
  });
  return { promise, dispose: () => signal.removeEventListener("abort", onAbort) };
}

function cut(output: string, max: number): string {
  if (output.length <= max) return output;
  return `${output.slice(0, max)}\n\n[output cut at ${max.toLocaleString("en-US")} characters]`;
}
