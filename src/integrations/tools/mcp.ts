// Tools from MCP servers configured per workspace, through the official SDK client over stdio or
// streamable HTTP. Each server tool is exposed as `mcp:<server>/<tool>`.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import {
  StdioClientTransport,
  getDefaultEnvironment,
} from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { z } from "zod";
import { ToolError, type Tool } from "./types.js";

const NAME = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,40}$/, "lower-case letters, digits, - and _");

export const McpServerConfigSchema = z.discriminatedUnion("transport", [
  z.object({
    name: NAME,
    transport: z.literal("stdio"),
    command: z.string().min(1),
    args: z.array(z.string()).default([]),
    env: z.record(z.string(), z.string()).default({}),
  }),
  z.object({
    name: NAME,
    transport: z.literal("http"),
    url: z.string().url(),
    headers: z.record(z.string(), z.string()).default({}),
  }),
]);
export type McpServerConfig = z.input<typeof McpServerConfigSchema>;

export interface McpTools {
  tools: Tool[];
  close(): Promise<void>;
}

interface ContentPart {
  type: string;
  text?: string;
}

function textOf(content: unknown): string {
  if (!Array.isArray(content)) return "";
  return (content as ContentPart[])
    .map((c) => (c.type === "text" ? (c.text ?? "") : `[${c.type} content]`))
    .join("\n")
    .trim();
}

async function connect(
  config: z.output<typeof McpServerConfigSchema>,
  timeoutMs: number,
): Promise<{ client: Client; tools: Tool[] }> {
  const client = new Client({ name: "atelya", version: "0.1.0" });
  const transport =
    config.transport === "stdio"
      ? new StdioClientTransport({
          command: config.command,
          args: config.args,
          env: { ...getDefaultEnvironment(), ...config.env },
          stderr: "ignore",
        })
      : new StreamableHTTPClientTransport(new URL(config.url), {
          requestInit: { headers: config.headers },
        });
  try {
    await client.connect(transport, { timeout: timeoutMs });
    const { tools } = await client.listTools(undefined, { timeout: timeoutMs });
    return {
      client,
      tools: tools.map((t): Tool => ({
        name: `mcp:${config.name}/${t.name}`,
        description: t.description ?? `${t.name} (MCP server ${config.name})`,
        args: null, // the server validates against its own schema and answers with the problems
        parameters: t.inputSchema as Record<string, unknown>,
        async run(args, ctx) {
          let result;
          try {
            result = await client.callTool({ name: t.name, arguments: args }, undefined, {
              signal: ctx.signal,
              timeout: timeoutMs,
            });
          } catch (e) {
            if (ctx.signal.aborted) throw e;
            throw new ToolError(
              "failed",
              `MCP server ${config.name} could not run ${t.name}: ${e instanceof Error ? e.message : String(e)}`,
            );
          }
          const text = textOf(result.content);
          if (result.isError)
            throw new ToolError(
              "failed",
              `MCP tool ${t.name} on ${config.name} failed: ${text || "no details"}`,
            );
          return { output: text, data: result.structuredContent ?? result.content };
        },
      })),
    };
  } catch (e) {
    await client.close().catch(() => {});
    throw new ToolError(
      "unavailable",
      `Cannot reach MCP server "${config.name}": ${e instanceof Error ? e.message : String(e)}. Check its ${config.transport === "stdio" ? "command" : "URL"}.`,
    );
  }
}

/** Connects every configured server and lists its tools. A server that cannot be reached fails with its name. */
export async function connectMcpServers(
  configs: readonly McpServerConfig[],
  options: { timeoutMs?: number } = {},
): Promise<McpTools> {
  const parsed = configs.map((c) => McpServerConfigSchema.parse(c));
  const connected: Client[] = [];
  const tools: Tool[] = [];
  try {
    for (const config of parsed) {
      const { client, tools: found } = await connect(config, options.timeoutMs ?? 15_000);
      connected.push(client);
      tools.push(...found);
    }
  } catch (e) {
    await Promise.allSettled(connected.map((c) => c.close()));
    throw e;
  }
  return {
    tools,
    close: async () => void (await Promise.allSettled(connected.map((c) => c.close()))),
  };
}
