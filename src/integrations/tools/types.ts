// The tool port: what a `tool_call` task (or an agent) may run, and what it gets to run with.
import type { z } from "zod";

/** One paste block of the room. Data for the tool to read, never instructions to follow. */
export interface ToolInput {
  kind: string;
  label?: string;
  content: string;
}

export interface ToolLimits {
  /** Wall time of one call; the registry aborts the tool's signal and stops waiting then. */
  timeoutMs: number;
  /** Characters of `output` kept, so a task output stays readable; the rest is cut with a note. */
  maxOutputChars: number;
}

export const DEFAULT_TOOL_LIMITS: ToolLimits = { timeoutMs: 30_000, maxOutputChars: 20_000 };

/** What a caller (the engine) passes to `runGranted`; limits default to the registry's. */
export interface ToolCallContext {
  signal: AbortSignal;
  inputs: readonly ToolInput[];
  now: () => Date;
  limits?: Partial<ToolLimits>;
}

/** What a tool receives: the caller's context with the limits resolved and the signal that also
 *  fires at the time limit. */
export interface ToolContext extends ToolCallContext {
  limits: ToolLimits;
}

export interface ToolResult {
  /** Human-readable; becomes the task's output. */
  output: string;
  /** Structured result for callers that compute on it. */
  data?: unknown;
}

export interface Tool<Args = unknown> {
  /** Built-ins are plain (`search_inputs`); MCP tools are `mcp:<server>/<tool>`. */
  readonly name: string;
  readonly description: string;
  /** Validates the arguments before `run`; `run` receives its output. */
  readonly inputSchema: z.ZodType<Args>;
  /** JSON schema shown to the Planner when it is not derived from `inputSchema` (MCP tools). */
  readonly jsonSchema?: Record<string, unknown>;
  run(args: Args, ctx: ToolContext): Promise<ToolResult>;
}
