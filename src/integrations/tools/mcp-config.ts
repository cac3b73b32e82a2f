// Per-workspace MCP server configuration, validated where it is saved and again where it is used.
import { z } from "zod";
import { hasUserinfo } from "../../domain/model-names.js";

const ServerName = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_-]{0,40}$/,
    "use lower-case letters, digits, - and _ (it becomes part of tool names: mcp:<name>/<tool>)",
  );

export const McpStdioServerSchema = z.object({
  name: ServerName,
  transport: z.literal("stdio"),
  /** Program to start; it speaks MCP on its stdin/stdout. */
  command: z.string().min(1),
  args: z.array(z.string()).default([]),
  /** Added to a minimal environment (PATH, HOME…): the server does not inherit Atelya's secrets. */
  env: z.record(z.string(), z.string()).default({}),
});

export const McpHttpServerSchema = z.object({
  name: ServerName,
  transport: z.literal("http"),
  /** Streamable HTTP endpoint, e.g. https://mcp.example.com/mcp */
  url: z.url({
    protocol: /^https?$/,
    error: "must be an http(s) URL of the server's MCP endpoint",
  }),
  /** Sent with every request, e.g. Authorization. */
  headers: z.record(z.string(), z.string()).default({}),
});

export const McpServerConfigSchema = z.discriminatedUnion("transport", [
  McpStdioServerSchema,
  McpHttpServerSchema,
]);

/** A server as a person or the API saves it. Stricter than what is read back (a server saved
 *  before a rule was added still loads, and is refused only when saved again). */
export const McpServerInputSchema = McpServerConfigSchema.superRefine((m, ctx) => {
  // The URL is shown to the workspace's admins and named in errors; a credential goes in a header.
  if (m.transport === "http" && hasUserinfo(m.url))
    ctx.addIssue({
      code: "custom",
      path: ["url"],
      message:
        "may not contain a user name or password (user:password@host); put the credential in a header (e.g. Authorization) instead",
    });
});

/** A server as written by a person or the API (defaults may be left out). */
export type McpServerConfig = z.input<typeof McpServerConfigSchema>;
/** A server after validation (defaults filled in). */
export type McpServer = z.output<typeof McpServerConfigSchema>;
