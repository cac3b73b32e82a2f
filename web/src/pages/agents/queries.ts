// The agents' queries, keyed under ["agents"] so any change to an agent refreshes every view of it.
import { useQuery } from "@tanstack/react-query";
import { api, call, callVersioned } from "../../api/client";
import { useWorkspace } from "../../app/session";

export const agentKeys = {
  all: ["agents"] as const,
  list: (archived: boolean) => ["agents", "list", { archived }] as const,
  one: (id: string) => ["agents", "one", id] as const,
};

export function useAgents(includeArchived = false) {
  return useQuery({
    queryKey: agentKeys.list(includeArchived),
    queryFn: () =>
      call(
        api.GET("/api/v1/agents", {
          params: { query: includeArchived ? { include_archived: "true" } : {} },
        }),
      ).then((r) => r.agents),
  });
}

/** One agent with its version (ETag), which the builder's saves send back as If-Match. */
export function useAgent(id: string | undefined) {
  return useQuery({
    queryKey: agentKeys.one(id ?? ""),
    queryFn: () => callVersioned(api.GET("/api/v1/agents/{id}", { params: { path: { id: id! } } })),
    enabled: id !== undefined,
  });
}

/** The tools an agent can be granted (409 when an MCP server is unreachable: shown, not hidden). */
export function useTools() {
  return useQuery({
    queryKey: ["tools"],
    queryFn: () => call(api.GET("/api/v1/tools")).then((r) => r.tools),
    retry: false,
  });
}

/** The workspace's configured models, for those who may read the model settings. */
export function useWorkspaceModels() {
  const { can } = useWorkspace();
  return useQuery({
    queryKey: ["settings", "models"],
    queryFn: () => call(api.GET("/api/v1/settings/models")),
    enabled: can("settings.manage"),
  });
}
