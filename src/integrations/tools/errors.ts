// Tool failures: one base class with a stable `code` (the API and the engine switch on it) and small
// subclasses; every message says what happened and what to do next, because it becomes the task's
// failure reason that a person reads.

export type ToolErrorCode =
  | "not_granted" // the agent may not run this tool; nothing ran
  | "unknown_tool" // no tool by that name is configured; nothing ran
  | "invalid_args" // the arguments do not match the tool's schema; nothing ran
  | "refused" // the tool ran its policy checks and declined (e.g. a host off the allow-list)
  | "timeout" // the tool was stopped at its time limit
  | "aborted" // the caller (pause, replan, cancel) stopped the call
  | "failed" // the tool ran and failed
  | "unavailable"; // an MCP server cannot be reached

export class ToolError extends Error {
  override name = "ToolError";
  constructor(
    readonly code: ToolErrorCode,
    message: string,
    /** Whether the same call may succeed if tried again later (network, time limits). */
    readonly retryable = false,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class ToolNotGrantedError extends ToolError {
  override name = "ToolNotGrantedError";
  constructor(readonly tool: string) {
    super(
      "not_granted",
      `Tool "${tool}" is not granted to this agent, so it did not run. ` +
        `An owner or admin can grant it in the agent's settings (atelya agents edit <agent> --tool ${tool}).`,
    );
  }
}

export class UnknownToolError extends ToolError {
  override name = "UnknownToolError";
  constructor(
    readonly tool: string,
    known: readonly string[],
  ) {
    super(
      "unknown_tool",
      `No tool "${tool}" is available on this server (available: ${known.join(", ") || "none"}). ` +
        (tool.startsWith("mcp:")
          ? "Check that its MCP server is configured (atelya mcp list) and offers that tool (atelya tools)."
          : "Check the tool's name in the plan."),
    );
  }
}

export class InvalidToolArgsError extends ToolError {
  override name = "InvalidToolArgsError";
  constructor(
    readonly tool: string,
    readonly issues: readonly string[],
  ) {
    super(
      "invalid_args",
      `The arguments of ${tool} are invalid: ${issues.join("; ")}. Fix them to match the tool's parameters (atelya tools).`,
    );
  }
}

/** A tool declined the call for a policy reason; `message` says which setting would allow it. */
export class ToolRefusedError extends ToolError {
  override name = "ToolRefusedError";
  constructor(message: string) {
    super("refused", message);
  }
}

export class ToolTimeoutError extends ToolError {
  override name = "ToolTimeoutError";
  constructor(
    readonly tool: string,
    readonly timeoutMs: number,
    what = `Tool ${tool} took longer than ${formatMs(timeoutMs)}`,
  ) {
    super("timeout", `${what} and was stopped; try again, or ask for less at once.`, true);
  }
}

export class ToolAbortedError extends ToolError {
  override name = "ToolAbortedError";
  constructor(tool: string, reason: unknown) {
    super(
      "aborted",
      `Tool ${tool} was stopped before it finished${reason instanceof Error ? ` (${reason.message})` : ""}.`,
      false,
      { cause: reason },
    );
  }
}

export class ToolFailedError extends ToolError {
  override name = "ToolFailedError";
  constructor(message: string, retryable = false, options?: { cause?: unknown }) {
    super("failed", message, retryable, options);
  }
}

export class McpConnectionError extends ToolError {
  override name = "McpConnectionError";
  constructor(
    readonly server: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super("unavailable", message, true, options);
  }
}

export const isToolError = (e: unknown): e is ToolError => e instanceof ToolError;

export const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export const formatMs = (ms: number): string =>
  ms < 1_000 ? `${ms} ms` : `${Number((ms / 1_000).toFixed(1))} s`;
