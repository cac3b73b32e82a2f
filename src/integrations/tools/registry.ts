// The tool registry: built-ins and MCP tools by name, run only when the agent was granted them,
// with validated arguments, a timeout and the caller's abort signal.
import { z } from "zod";
import type { ToolRunner } from "../../engine/deps.js";
import { ToolError, type Tool, type ToolContext, type ToolResult } from "./types.js";

export interface ToolInfo {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

export interface ToolRegistry extends ToolRunner {
  list(): ToolInfo[];
  runGranted(
    grants: readonly string[],
    name: string,
    args: Record<string, unknown>,
    ctx: ToolContext,
  ): Promise<ToolResult>;
}

export interface RegistryOptions {
  tools: readonly Tool[];
  /** Per-call limit; a tool still running then is aborted. */
  timeoutMs?: number;
}

export function createToolRegistry(o: RegistryOptions): ToolRegistry {
  const byName = new Map(o.tools.map((t) => [t.name, t]));
  const timeoutMs = o.timeoutMs ?? 30_000;
  return {
    list: () =>
      o.tools.map((t) => ({ name: t.name, description: t.description, parameters: t.parameters })),

    async runGranted(grants, name, args, ctx) {
      // The grant is checked first and alone: whatever a plan or a model says, nothing else runs.
      if (!grants.includes(name))
        throw new ToolError(
          "not_granted",
          `Tool "${name}" is not granted to this agent; grant it in the agent's settings to let it run.`,
        );
      const tool = byName.get(name);
      if (!tool)
        throw new ToolError("unknown_tool", `No tool "${name}" is configured on this server.`);
      let parsed = args;
      if (tool.args) {
        const r = tool.args.safeParse(args);
        if (!r.success)
          throw new ToolError(
            "invalid_args",
            `Arguments of ${name} are invalid: ${r.error.issues.map((i) => `${i.path.join(".") || "args"}: ${i.message}`).join("; ")}`,
          );
        parsed = r.data;
      }
      const timeout = AbortSignal.timeout(timeoutMs);
      const signal = AbortSignal.any([ctx.signal, timeout]);
      try {
        return await tool.run(parsed, { ...ctx, signal });
      } catch (e) {
        if (timeout.aborted && !ctx.signal.aborted)
          throw new ToolError(
            "timeout",
            `Tool ${name} took longer than ${timeoutMs / 1000} s and was stopped.`,
          );
        throw e;
      }
    },
  };
}

/** The JSON schema of a built-in's zod arguments, for the Planner's prompt. */
export const parametersOf = (schema: z.ZodType): Record<string, unknown> =>
  z.toJSONSchema(schema) as Record<string, unknown>;
