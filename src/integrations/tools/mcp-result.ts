// An MCP tool result as a ToolResult: its content as readable text, its structured content as data.
import { ToolFailedError } from "./errors.js";
import type { ToolResult } from "./types.js";

interface ContentPart {
  type: string;
  text?: string;
  mimeType?: string;
  uri?: string;
  name?: string;
  resource?: { uri?: string; text?: string };
}

/** One line (or block) per content part; binary parts are named, not inlined. */
export function textOfContent(content: unknown): string {
  if (!Array.isArray(content)) return "";
  return (content as ContentPart[])
    .map((c) => {
      switch (c.type) {
        case "text":
          return c.text ?? "";
        case "image":
        case "audio":
          return `[${c.type}${c.mimeType ? ` ${c.mimeType}` : ""}]`;
        case "resource":
          return c.resource?.text ?? `[resource ${c.resource?.uri ?? ""}]`;
        case "resource_link":
          return `[${c.name ?? "link"}](${c.uri ?? ""})`;
        default:
          return `[${c.type} content]`;
      }
    })
    .join("\n")
    .trim();
}

export function resultOf(
  server: string,
  tool: string,
  result: {
    content?: unknown;
    structuredContent?: unknown;
    isError?: unknown;
    toolResult?: unknown;
  },
): ToolResult {
  // Servers of protocol versions before 2024-11-05 answer with `toolResult`.
  if (!("content" in result) && "toolResult" in result)
    return { output: JSON.stringify(result.toolResult, null, 2), data: result.toolResult };
  const text = textOfContent(result.content);
  if (result.isError)
    throw new ToolFailedError(
      `MCP tool ${tool} on server "${server}" reported an error: ${text || "no details"}.`,
    );
  const structured = result.structuredContent;
  return {
    output:
      text ||
      (structured !== undefined
        ? JSON.stringify(structured, null, 2)
        : "(the tool returned no content)"),
    data: structured ?? result.content,
  };
}
