// The tool port: what a `tool_call` task (or an agent) may run. Errors are typed with a stable code.
import type { z } from "zod";

export interface ToolInput {
  kind: string;
  label?: string;
  content: string;
}

export interface ToolContext {
  signal: AbortSignal;
  /** The room's paste blocks: data for the tool, never instructions. */
  inputs: ToolInput[];
  now: () => Date;
}

export interface ToolResult {
  /** Human-readable: becomes the task's output. */
  output: string;
  data?: unknown;
}

export interface Tool {
  name: string;
  description: string;
  /** zod schema of the arguments (built-ins), or null when the server validates (MCP). */
  args: z.ZodType<Record<string, unknown>> | null;
  /** JSON schema shown to the Planner. */
  parameters: Record<string, unknown>;
  run(args: Record<string, unknown>, ctx: ToolContext): Promise<ToolResult>;
}

export type ToolErrorCode =
  "not_granted" | "unknown_tool" | "invalid_args" | "timeout" | "failed" | "unavailable";

/** Base of every tool failure; `code` is stable, the message says what to do next. */
export class ToolError extends Error {
  override name = "ToolError";
  constructor(
    readonly code: ToolErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const isToolError = (e: unknown): e is ToolError => e instanceof ToolError;
