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
import { withoutUserinfo } from "../../domain/model-names.js";
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
  /** Servers that could not be reached, each error naming its server and why: the others work. */
  unavailable: McpConnectionError[];
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

/** One connected server and its tools. */
export interface McpServerConnection {
  name: string;
  tools: Tool<Record<string, unknown>>[];
  /** False once the connection is gone (a stdio server that exited, an HTTP session the server
   *  forgot): its tools fail from then on, and the holder connects again. */
  readonly open: boolean;
  /** Ends the session and stops a stdio server. Safe to call twice. */
  close(): Promise<void>;
}

/** Connects every configured server (in parallel) and lists its tools. A server that cannot be
 *  reached is left out and named in `unavailable`: one broken server does not take the others. */
export async function connectMcpServers(
  configs: readonly McpServerConfig[],
  options: McpConnectOptions = {},
): Promise<McpTools> {
  const settled = await Promise.allSettled(
    configs.map((c, i) =>
      configs.findIndex((o) => o.name === c.name) < i
        ? Promise.reject(
            new McpConnectionError(c.name, `Two MCP servers are named "${c.name}"; rename one.`),
          )
        : connectMcpServer(c, options),
    ),
  );
  const connected = settled.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
  const unavailable = settled.flatMap((r, i) =>
    r.status === "rejected" ? [asConnectionError(configs[i]!, r.reason)] : [],
  );
  let closing: Promise<void> | undefined;
  return {
    tools: connected.flatMap((c) => c.tools),
    servers: connected.map((c) => c.name),
    unavailable,
    close: () =>
      (closing ??= Promise.allSettled(connected.map((c) => c.close())).then(() => undefined)),
  };
}

/** Connects one server and lists its tools; throws McpConnectionError (retryable) naming it. */
export async function connectMcpServer(
  config: McpServerConfig,
  options: McpConnectOptions = {},
): Promise<McpServerConnection> {
  const server = parseConfig(config);
  const network = mcpNetwork(options.allowAddresses ?? []);
  try {
    return await connect(server, options.timeoutMs ?? 15_000, network);
  } catch (e) {
    await network.close().catch(() => undefined);
    throw e;
  }
}

const asConnectionError = (config: McpServerConfig, e: unknown): McpConnectionError =>
  e instanceof McpConnectionError
    ? e
    : new McpConnectionError(
        typeof config.name === "string" ? config.name : "?",
        `Cannot connect to MCP server "${config.name}": ${messageOf(e)}.`,
        { cause: e },
      );

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
): Promise<McpServerConnection> {
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
  let open = true;
  // The transport ends when a stdio server exits (or the session is closed): the SDK then answers
  // every call "Not connected", so the connection says it is gone and its holder connects again.
  client.onclose = () => void (open = false);
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      open = false;
      if (transport instanceof StreamableHTTPClientTransport && transport.sessionId)
        // Ends the server-side session; a server that does not answer quickly is not waited for.
        await Promise.race([transport.terminateSession(), delay(1_000)]).catch(() => undefined);
      await client.close().catch(() => undefined);
      await network.close().catch(() => undefined);
    })());
  let specs: McpToolSpec[];
  try {
    await client.connect(transport, { timeout: timeoutMs });
    specs = client.getServerCapabilities()?.tools ? await listAll(client, timeoutMs) : [];
  } catch (e) {
    await client.close().catch(() => undefined); // the connection failed already; report that
    // Everyone in the workspace reads this (a room's history, webhooks): the host, never the URL,
    // whose query or user name may hold a key.
    const where =
      server.transport === "stdio" ? `command ${server.command}` : new URL(server.url).host;
    const stderr = stderrTail.trim() ? ` Its error output ends with: ${stderrTail.trim()}` : "";
    throw new McpConnectionError(
      server.name,
      `Cannot connect to MCP server "${server.name}" (${where}): ${withoutUrlSecrets(server, reasonOf(e, timeoutMs))}.${stderr} ` +
        `Check the server's ${server.transport === "stdio" ? "command and arguments" : "URL and headers"} (atelya mcp list).`,
      { cause: e },
    );
  }
  const connection: McpServerConnection = {
    name: server.name,
    tools: [],
    get open() {
      return open;
    },
    close,
  };
  const lost = () => {
    open = false;
    void client.close().catch(() => undefined);
  };
  connection.tools = specs.map((t) =>
    toolOf(server.name, client, t, lost, (text) => withoutUrlSecrets(server, text)),
  );
  return connection;
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

function toolOf(
  server: string,
  client: Client,
  spec: McpToolSpec,
  lost: () => void,
  scrub: (text: string) => string,
): Tool<Record<string, unknown>> {
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
        if (connectionLost(e)) {
          lost();
          throw new ToolFailedError(
            `MCP server "${server}" stopped while running ${spec.name} (${scrub(messageOf(e))}); it is started again for the next try.`,
            true,
            { cause: e },
          );
        }
        throw new ToolFailedError(
          `MCP server "${server}" could not run ${spec.name}: ${scrub(messageOf(e))}. Check that the server is still running (atelya tools).`,
          false,
          { cause: e },
        );
      }
      return resultOf(server, spec.name, result);
    },
  };
}

/** The connection itself is gone, not the call: the stdio server exited, or the HTTP server no
 *  longer knows the session (404, which the MCP specification answers with a new session). */
function connectionLost(e: unknown): boolean {
  if (e instanceof McpError && e.code === ErrorCode.ConnectionClosed) return true;
  if (e instanceof StreamableHTTPError && e.code === 404) return true;
  return e instanceof Error && e.message === "Not connected";
}

/** `text` without the server URL's query and user name or password, should a library quote the
 *  URL in an error. */
function withoutUrlSecrets(server: McpServer, text: string): string {
  if (server.transport !== "http") return text;
  const u = new URL(server.url);
  let out = withoutUserinfo(text);
  for (const part of [u.search, u.search && (safeDecode(u.search) ?? "")])
    if (part) out = out.split(part).join("?…");
  return out;
}

const safeDecode = (s: string): string | undefined => {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
};

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
