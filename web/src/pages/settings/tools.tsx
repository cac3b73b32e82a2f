// Tools (owners and admins): the workspace's MCP servers and the hosts the fetch_url tool may
// reach, saved as a whole. HTTP servers are added and changed here; header values come back
// masked and are sent back unchanged (the server keeps the stored ones). Stdio servers start a
// program on the host, so only the operator adds them (`atelya mcp add`); here they can be removed.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Globe, Plus, Save, Server, Trash2, X } from "lucide-react";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { api, callVersioned, ifMatch, type Schemas, type Versioned } from "../../api/client";
import { useVersionedDraft } from "../../api/versioned";
import { Badge } from "../../ui/badge";
import { Button } from "../../ui/button";
import { TextField } from "../../ui/field";
import { Card, CardBody, CardHeader, EmptyState, ErrorNote, Skeleton } from "../../ui/surface";
import { RequirePermission, SectionHeader } from "./common";

type Settings = Schemas["ToolSettings"];
type McpServer = Settings["mcp_servers"][number];
type Header = { name: string; value: string };

const useToolSettings = () =>
  useQuery({
    queryKey: ["tool-settings"],
    queryFn: () => callVersioned(api.GET("/api/v1/settings/tools")),
  });

function AddServer({ onAdd }: { onAdd: (s: McpServer) => void }) {
  const [name, setName] = useState("");
  const [url, setUrl] = useState("");
  const [headers, setHeaders] = useState<Header[]>([]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onAdd({
      name: name.trim(),
      transport: "http",
      url: url.trim(),
      headers: Object.fromEntries(
        headers.filter((h) => h.name.trim()).map((h) => [h.name.trim(), h.value]),
      ),
    });
    setName("");
    setUrl("");
    setHeaders([]);
  };
  return (
    <form
      onSubmit={submit}
      aria-label="Add an MCP server"
      className="flex flex-col gap-3 rounded-lg border border-dashed border-border p-4"
    >
      <div className="grid gap-3 sm:grid-cols-[12rem_minmax(0,1fr)]">
        <TextField
          label="Name"
          required
          pattern="[a-z0-9][a-z0-9_\-]{0,40}"
          spellCheck={false}
          placeholder="crm"
          value={name}
          onChange={(e) => setName(e.target.value)}
          hint="Tools are named mcp:<name>/<tool>."
        />
        <TextField
          label="MCP endpoint URL"
          type="url"
          required
          spellCheck={false}
          placeholder="https://mcp.example.com/mcp"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
        />
      </div>
      {headers.map((h, i) => (
        <div key={i} className="flex flex-col gap-2 sm:flex-row sm:items-end">
          <TextField
            label={`Header ${i + 1} name`}
            placeholder="Authorization"
            className="sm:w-48"
            value={h.name}
            onChange={(e) =>
              setHeaders((hs) => hs.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)))
            }
          />
          <TextField
            label={`Header ${i + 1} value`}
            type="password"
            autoComplete="off"
            className="flex-1"
            value={h.value}
            onChange={(e) =>
              setHeaders((hs) => hs.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)))
            }
          />
          <Button
            variant="ghost"
            aria-label={`Remove header ${i + 1}`}
            icon={<X className="size-4" aria-hidden />}
            onClick={() => setHeaders((hs) => hs.filter((_, j) => j !== i))}
          />
        </div>
      ))}
      <div className="flex flex-wrap justify-between gap-2">
        <Button
          size="sm"
          variant="ghost"
          icon={<Plus className="size-4" aria-hidden />}
          onClick={() => setHeaders((hs) => [...hs, { name: "", value: "" }])}
        >
          Add a header
        </Button>
        <Button type="submit" size="sm" icon={<Server className="size-4" aria-hidden />}>
          Add server
        </Button>
      </div>
    </form>
  );
}

const draftOf = (s: Settings) => ({ servers: s.mcp_servers, hosts: s.fetch_allow_hosts });

function Editor({
  latest,
  reread,
}: {
  latest: Versioned<Settings>;
  /** Reads the tools again (after a 412), resolving with the newest version. */
  reread: () => Promise<Versioned<Settings> | undefined>;
}) {
  const qc = useQueryClient();
  const edit = useVersionedDraft(latest, draftOf);
  const { servers, hosts } = edit.draft;
  const setServers = (next: McpServer[]) => edit.set({ servers: next });
  const setHosts = (next: string[]) => edit.set({ hosts: next });
  const [host, setHost] = useState("");
  const dirty = edit.dirty;
  const save = useMutation({
    mutationFn: () =>
      callVersioned(
        api.PUT("/api/v1/settings/tools", {
          headers: ifMatch(edit.base.etag),
          body: { mcp_servers: servers, fetch_allow_hosts: hosts },
        }),
      ),
    onSuccess: (next) => {
      qc.setQueryData(["tool-settings"], next);
      edit.rebase(next, "all");
      void qc.invalidateQueries({ queryKey: ["tools"] });
      toast.success("Tools saved");
    },
  });
  // Someone saved the tools since this page read them: read theirs, and keep this person's
  // edits (the servers, the hosts) on top of them, for them to check and save again.
  const reload = async () => {
    const newest = await reread();
    if (!newest) return;
    edit.rebase(newest);
    save.reset();
    toast.info("These are the tools as saved now, with your edits on top: check them, then save.");
  };
  const addHost = (e: FormEvent) => {
    e.preventDefault();
    const h = host.trim().toLowerCase();
    if (h && !hosts.includes(h)) setHosts([...hosts, h]);
    setHost("");
  };
  return (
    <>
      <Card>
        <CardHeader
          level={3}
          title="MCP servers"
          description="Their tools can be granted to agents in the agent builder."
        />
        <CardBody className="flex flex-col gap-4">
          {servers.length === 0 ? (
            <EmptyState icon={Server} title="No MCP servers">
              Add an HTTP MCP server below. Servers that run a program on this machine (stdio) are
              added by the operator with <code>atelya mcp add</code>.
            </EmptyState>
          ) : (
            <ul aria-label="MCP servers" className="divide-y divide-border">
              {servers.map((s) => (
                <li key={s.name} className="flex flex-col gap-2 py-3 sm:flex-row sm:items-center">
                  <div className="min-w-0 flex-1">
                    <p className="flex flex-wrap items-center gap-2 text-sm font-medium">
                      {s.name}
                      <Badge>{s.transport === "http" ? "HTTP" : "Program (stdio)"}</Badge>
                    </p>
                    <p className="font-mono text-xs break-all text-muted">
                      {s.transport === "http" ? s.url : [s.command, ...(s.args ?? [])].join(" ")}
                    </p>
                    {s.transport === "http" && Object.keys(s.headers ?? {}).length > 0 && (
                      <p className="text-xs text-muted">
                        Headers:{" "}
                        {Object.entries(s.headers ?? {})
                          .map(([k, v]) => `${k}: ${v}`)
                          .join(" · ")}
                      </p>
                    )}
                    {s.transport === "stdio" && (
                      <p className="text-xs text-muted">Added by the operator on the server.</p>
                    )}
                  </div>
                  <Button
                    size="sm"
                    variant="ghost"
                    icon={<Trash2 className="size-4" aria-hidden />}
                    onClick={() => setServers(servers.filter((x) => x.name !== s.name))}
                  >
                    Remove<span className="sr-only"> {s.name}</span>
                  </Button>
                </li>
              ))}
            </ul>
          )}
          <AddServer onAdd={(s) => setServers([...servers.filter((x) => x.name !== s.name), s])} />
        </CardBody>
      </Card>
      <Card>
        <CardHeader
          level={3}
          title="Hosts fetch_url may reach"
          description="An agent granted fetch_url can read pages on these hosts only."
        />
        <CardBody className="flex flex-col gap-3">
          {hosts.length === 0 ? (
            <p className="text-sm text-muted">No hosts yet: fetch_url can reach nothing.</p>
          ) : (
            <ul aria-label="Allowed hosts" className="flex flex-wrap gap-2">
              {hosts.map((h) => (
                <li
                  key={h}
                  className="flex items-center gap-1 rounded-full border border-border bg-surface-2 py-0.5 pr-1 pl-3 text-sm"
                >
                  <Globe className="size-3.5 text-muted" aria-hidden />
                  {h}
                  <Button
                    size="sm"
                    variant="ghost"
                    className="h-6 px-1.5"
                    aria-label={`Remove ${h}`}
                    onClick={() => setHosts(hosts.filter((x) => x !== h))}
                    icon={<X className="size-3.5" aria-hidden />}
                  />
                </li>
              ))}
            </ul>
          )}
          <form onSubmit={addHost} className="flex flex-col gap-2 sm:flex-row sm:items-start">
            <TextField
              label="Host"
              spellCheck={false}
              className="flex-1"
              placeholder="example.com or *.example.com"
              value={host}
              onChange={(e) => setHost(e.target.value)}
              hint="A name or an address, without scheme or path."
            />
            <Button
              type="submit"
              className="sm:mt-6"
              icon={<Plus className="size-4" aria-hidden />}
            >
              Add host
            </Button>
          </form>
        </CardBody>
      </Card>
      <ErrorNote error={save.error} title="The tools were not saved" reload={() => void reload()} />
      <div className="flex flex-wrap items-center justify-end gap-2">
        {dirty && <Badge tone="warning">Unsaved changes</Badge>}
        <Button
          disabled={!dirty || save.isPending}
          onClick={() => {
            edit.discard();
            save.reset();
          }}
        >
          Discard changes
        </Button>
        <Button
          variant="primary"
          disabled={!dirty}
          busy={save.isPending}
          icon={<Save className="size-4" aria-hidden />}
          onClick={() => save.mutate()}
        >
          Save tools
        </Button>
      </div>
    </>
  );
}

function ToolsBody() {
  const tools = useToolSettings();
  if (tools.isPending)
    return (
      <div role="status" aria-label="Loading tools" className="flex flex-col gap-4">
        <Skeleton className="h-40 w-full" />
        <Skeleton className="h-32 w-full" />
      </div>
    );
  if (tools.data === undefined)
    return (
      <ErrorNote
        error={tools.error}
        title="The tools could not be loaded"
        retry={() => void tools.refetch()}
      />
    );
  return <Editor latest={tools.data} reread={async () => (await tools.refetch()).data} />;
}

export function ToolSettings() {
  return (
    <>
      <SectionHeader
        title="Tools"
        description="What agents can reach beyond the workroom: MCP servers and web hosts."
      />
      <RequirePermission action="settings.manage" what="tool settings">
        <ToolsBody />
      </RequirePermission>
    </>
  );
}
