// The tools an agent of the workspace may be granted (SPEC 3 `tool_grants`): the built-ins and the
// tools of its MCP servers, by the names a grant uses. Every role may read it (the agent builder).
import { DomainError } from "../domain/errors.js";
import type { ToolSummary } from "../engine/deps.js";
import { McpConnectionError } from "../integrations/tools/errors.js";
import { authorize, type Actor, type AppDeps } from "./context.js";

export async function listGrantableTools(deps: AppDeps, actor: Actor): Promise<ToolSummary[]> {
  authorize(actor, "workroom.read");
  if (!deps.tools) return [];
  try {
    const tools = await deps.tools.list(actor.workspaceId);
    // Rooms plan without a server that cannot be reached; the list of what may be granted names it,
    // so the workspace's admins learn of it where they set up agents.
    const [down] = (await deps.tools.unreachable?.(actor.workspaceId)) ?? [];
    if (down) throw new McpConnectionError(down.server, down.reason);
    return [...tools].sort((a, b) => a.name.localeCompare(b.name));
  } catch (e) {
    // The workspace's own configuration is what is wrong, so the caller is told which server.
    if (e instanceof McpConnectionError)
      throw new DomainError(
        "conflict",
        `The tools cannot be listed: ${e.message} Fix or remove the server in Settings → Tools.`,
      );
    throw e;
  }
}
