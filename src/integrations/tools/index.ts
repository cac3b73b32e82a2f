// Tools for tool_call tasks and agents: the registry (the only way to run one), the built-ins and
// the tools of MCP servers.
export { builtinTools } from "./builtins/index.js";
export { type FetchUrlOptions } from "./builtins/fetch-url.js";
export {
  ToolError,
  ToolNotGrantedError,
  UnknownToolError,
  InvalidToolArgsError,
  ToolRefusedError,
  ToolTimeoutError,
  ToolAbortedError,
  ToolFailedError,
  McpConnectionError,
  isToolError,
  type ToolErrorCode,
} from "./errors.js";
export {
  connectMcpServer,
  connectMcpServers,
  type McpConnectOptions,
  type McpServerConnection,
  type McpTools,
} from "./mcp.js";
export { McpServerConfigSchema, type McpServer, type McpServerConfig } from "./mcp-config.js";
export {
  createToolRegistry,
  type ToolInfo,
  type ToolRegistry,
  type ToolRegistryOptions,
} from "./registry.js";
export {
  DEFAULT_TOOL_LIMITS,
  type Tool,
  type ToolCallContext,
  type ToolContext,
  type ToolInput,
  type ToolLimits,
  type ToolResult,
} from "./types.js";
