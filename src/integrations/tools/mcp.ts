// Tools of the MCP servers configured for a workspace, through the official SDK client over stdio
// or streamable HTTP. Each server tool becomes the tool `mcp:<server>/<tool>`.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import {
  StdioClientTransport,
  getDefaultEnvironment,
} from "@modelcontextprotocol/sdk/client/stdio.js";
import {
  StreamableHTTPClientTransport,
  StreamableHTTPError,
} from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ErrorCode, McpError, type Tool as McpToolSpec } from "@modelcontextprotocol/sdk/types.js";
import { McpConnectionError, ToolFailedError, formatMs, messageOf } from "./errors.js";
import { zodFromJsonSchema } from "./json-schema.js";
import { resultOf } from "./mcp-result.js";
import { McpServerConfigSchema, type McpServer, type McpServerConfig } from "./mcp-config.js";
import { internalAddressIn, mcpNetwork, type McpNetwork } from "./mcp-network.js";
import type { Tool } from "./types.js";

export { McpServerConfigSchema, type McpServerConfig } from "./mcp-config.js";

export interface McpTools {
  tools: Tool<Record<string, unknown>>[];
  /** Names of the connected servers. */
  servers: string[];
  /** Ends every session and stops stdio servers. Safe to call twice. */
  close(): Promise<void>;
}

export interface McpConnectOptions {
  /** Limit for connecting and listing the tools of one server. */
  timeoutMs?: number;
  /** Internal addresses or CIDR ranges HTTP servers may be reached at (the operator's
   *  `mcpAllowAddresses`); every other loopback, private or link-local address is refused. */
  allowAddresses?: readonly string[];
}

interface Connection {
  client: Client;
  close(): Promise<void>;
}

/** Connects every configured server (in parallel) and lists its tools. If any server cannot be
 *  reached, the others are closed again and the error names each server that failed. */
export async function connectMcpServers(
  configs: readonly McpServerConfig[],
  options: McpConnectOptions = {},
): Promise<McpTools> {
  const servers = configs.map(parseConfig);
  const seen = new Set<string>();
  for (const s of servers) {
    if (seen.has(s.name))
      throw new McpConnectionError(s.name, `Two MCP servers are named "${s.name}"; rename one.`);
    seen.add(s.name);
  }
  const timeoutMs = options.timeoutMs ?? 15_000;
  const network = mcpNetwork(options.allowAddresses ?? []);
  const settled = await Promise.allSettled(servers.map((s) => connect(s, timeoutMs, network)));
  const connected = settled.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
  const failed = settled.flatMap((r) => (r.status === "rejected" ? [r.reason as unknown] : []));
  const closeAll = () =>
    Promise.allSettled(connected.map((c) => c.connection.close())).then(() => network.close());
  if (failed.length) {
    await closeAll();
    if (failed.length === 1) throw failed[0];
    throw new McpConnectionError(
      failed.map((f) => (f instanceof McpConnectionError ? f.server : "?")).join(", "),
      failed.map(messageOf).join("\n"),
    );
  }
  let closing: Promise<void> | undefined;
  return {
    tools: connected.flatMap((c) => c.tools),
    servers: servers.map((s) => s.name),
    close: () => (closing ??= closeAll()),
  };
}

function parseConfig(config: McpServerConfig): McpServer {
  const r = McpServerConfigSchema.safeParse(config);
  if (r.success) return r.data;
  const name = typeof config.name === "string" ? config.name : "?";
  throw new McpConnectionError(
    name,
    `The configuration of MCP server "${name}" is invalid: ${r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}. Fix it with atelya mcp add.`,
  );
}

async function connect(
  server: McpServer,
  timeoutMs: number,
  network: McpNetwork,
): Promise<{ connection: Connection; tools: Tool<Record<string, unknown>>[] }> {
  const client = new Client({ name: "atelya", version: "0.1.0" });
  let stderrTail = "";
  const transport =
    server.transport === "stdio"
      ? new StdioClientTransport({
          command: server.command,
          args: server.args,
          env: { ...getDefaultEnvironment(), ...server.env },
          stderr: "pipe",
        })
      : new StreamableHTTPClientTransport(new URL(server.url), {
          requestInit: { headers: server.headers },
          fetch: network.fetch,
        });
  if (transport instanceof StdioClientTransport)
    // Read continuously (a full pipe would block the server); the tail explains a failed start.
    transport.stderr?.on("data", (chunk: Buffer) => {
      stderrTail = (stderrTail + chunk.toString("utf8")).slice(-1_000);
    });
  const connection: Connection = {
    client,
    async close() {
      if (transport instanceof StreamableHTTPClientTransport && transport.sessionId)
        // Ends the server-side session; a server that does not answer quickly is not waited for.
        await Promise.race([transport.terminateSession(), delay(1_000)]).catch(() => undefined);
      await client.close();
    },
  };
  try {
    await client.connect(transport, { timeout: timeoutMs });
    const specs = client.getServerCapabilities()?.tools ? await listAll(client, timeoutMs) : [];
    return { connection, tools: specs.map((t) => toolOf(server.name, client, t)) };
  } catch (e) {
    await client.close().catch(() => undefined); // the connection failed already; report that
    const where = server.transport === "stdio" ? `command ${server.command}` : server.url;
    const stderr = stderrTail.trim() ? ` Its error output ends with: ${stderrTail.trim()}` : "";
    throw new McpConnectionError(
      server.name,
      `Cannot connect to MCP server "${server.name}" (${where}): ${reasonOf(e, timeoutMs)}.${stderr} ` +
        `Check the server's ${server.transport === "stdio" ? "command and arguments" : "URL and headers"} (atelya mcp list).`,
      { cause: e },
    );
  }
}

async function listAll(client: Client, timeoutMs: number): Promise<McpToolSpec[]> {
  const all: McpToolSpec[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTools(cursor ? { cursor } : undefined, { timeout: timeoutMs });
    all.push(...page.tools);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

function toolOf(server: string, client: Client, spec: McpToolSpec): Tool<Record<string, unknown>> {
  const jsonSchema = spec.inputSchema as Record<string, unknown>;
  return {
    name: `mcp:${server}/${spec.name}`,
    description: spec.description ?? spec.title ?? `${spec.name} (MCP server ${server})`,
    inputSchema: zodFromJsonSchema(jsonSchema),
    jsonSchema,
    async run(args, ctx) {
      let result;
      try {
        result = await client.callTool({ name: spec.name, arguments: args }, undefined, {
          // Aborting sends the server a cancellation; the registry's own time limit comes first.
          signal: ctx.signal,
          timeout: ctx.limits.timeoutMs + 1_000,
        });
      } catch (e) {
        if (ctx.signal.aborted) throw e;
        throw new ToolFailedError(
          `MCP server "${server}" could not run ${spec.name}: ${messageOf(e)}. Check that the server is still running (atelya tools).`,
          false,
          { cause: e },
        );
      }
      return resultOf(server, spec.name, result);
    },
  };
}

/** Why a connection failed, in words: HTTP statuses and time limits named plainly. */
function reasonOf(e: unknown, timeoutMs: number): string {
  const refused = internalAddressIn(e);
  if (refused) return refused.message;
  if (e instanceof StreamableHTTPError && e.code !== undefined && e.code >= 400) {
    const hint =
      e.code === 401 || e.code === 403 ? " (the credentials in its headers were refused)" : "";
    return `it answered HTTP ${e.code}${hint}`;
  }
  if (e instanceof McpError && e.code === ErrorCode.RequestTimeout)
    return `no answer within ${formatMs(timeoutMs)}`;
  return messageOf(e);
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
