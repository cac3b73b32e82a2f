// Tools: the registry, the built-ins and MCP servers.
import { calculate } from "./builtins/calculate.js";
import { extractDatesAmounts } from "./builtins/extract.js";
import { fetchUrlTool, type FetchOptions } from "./builtins/fetch-url.js";
import { searchInputs } from "./builtins/search-inputs.js";
import type { Tool } from "./types.js";

export { createToolRegistry, type ToolInfo, type ToolRegistry } from "./registry.js";
export {
  connectMcpServers,
  McpServerConfigSchema,
  type McpServerConfig,
  type McpTools,
} from "./mcp.js";
export { ToolError, isToolError, type Tool, type ToolContext, type ToolResult } from "./types.js";

/** The built-in tools; `fetch_url` fetches only from the allow-listed hosts. */
export function builtinTools(fetch: FetchOptions = { allowHosts: [] }): Tool[] {
  return [searchInputs, extractDatesAmounts, calculate, fetchUrlTool(fetch)];
}
