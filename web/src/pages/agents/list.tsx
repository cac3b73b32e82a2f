// The workspace's custom agents (/agents): who they are, which model they use and whether they
// carry a Style Memory; copy and archive for those who may change agents, archived ones behind a
// toggle. The Planner and Composer are system agents and are not listed (SPEC 3).
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Archive, Bot, Copy, Palette, Plus, Wrench } from "lucide-react";
import { useState } from "react";
import { Link, useNavigate } from "react-router";
import { toast } from "sonner";
import { api, call } from "../../api/client";
import { useWorkspace } from "../../app/session";
import { Badge } from "../../ui/badge";
import { Button, ButtonLink } from "../../ui/button";
import { ConfirmDialog, Dialog } from "../../ui/dialog";
import { Checkbox, TextField } from "../../ui/field";
import { date } from "../../ui/format";
import { Card, EmptyState, ErrorNote, LoadingRows, Page } from "../../ui/surface";
import { usePageTitle } from "../../ui/title";
import type { Agent } from "./agent-draft";
import { AgentIcon } from "./agent-icon";
import { agentKeys, useAgents } from "./queries";

export function AgentsPage() {
  const { can } = useWorkspace();
  const writable = can("agent.write");
  usePageTitle("Agents");
  const [showArchived, setShowArchived] = useState(false);
  const agents = useAgents(showArchived);
  const [copying, setCopying] = useState<Agent | null>(null);
  const [archiving, setArchiving] = useState<Agent | null>(null);
  const archive = useArchive();

  const list = agents.data ?? [];
  return (
    <Page
      title="Agents"
      description="Custom agents the Planner can assign tasks to, each with its own prompt, model, tools and Style Memory."
      actions={
        writable && (
          <ButtonLink
            to="/agents/new"
            variant="primary"
            icon={<Plus className="size-4" aria-hidden />}
          >
            New agent
          </ButtonLink>
        )
      }
    >
      <div className="flex flex-wrap items-center justify-between gap-3">
        <Checkbox
          label="Show archived agents"
          checked={showArchived}
          onChange={(e) => setShowArchived(e.target.checked)}
        />
        {agents.data && (
          <p className="text-sm text-muted" aria-live="polite">
            {list.length === 1 ? "1 agent" : `${list.length} agents`}
          </p>
        )}
      </div>
      {agents.isPending ? (
        <LoadingRows rows={4} label="Loading agents" />
      ) : !agents.data ? (
        <ErrorNote
          error={agents.error}
          title="The agents could not be loaded"
          retry={() => void agents.refetch()}
        />
      ) : list.length === 0 ? (
        <EmptyState
          icon={Bot}
          title={showArchived ? "No agents, archived or not" : "No agents yet"}
          action={
            writable && (
              <ButtonLink
                to="/agents/new"
                variant="primary"
                icon={<Plus className="size-4" aria-hidden />}
              >
                New agent
              </ButtonLink>
            )
          }
        >
          {writable
            ? "Give an agent a role, a prompt and a Style Memory drawn from your own writing, then attach it to workrooms."
            : "An owner, admin or member of the workspace can create agents; you will see them here."}
        </EmptyState>
      ) : (
        <Card>
          <ul className="divide-y divide-border" aria-label="Agents">
            {list.map((a) => (
              <AgentRow
                key={a.id}
                agent={a}
                writable={writable}
                onCopy={() => setCopying(a)}
                onArchive={() => setArchiving(a)}
              />
            ))}
          </ul>
        </Card>
      )}
      <CopyAgentDialog
        key={copying?.id ?? "none"}
        agent={copying}
        onClose={() => setCopying(null)}
      />
      <ConfirmDialog
        open={archiving !== null}
        onOpenChange={(open) => !open && setArchiving(null)}
        title={`Archive ${archiving?.name ?? "this agent"}?`}
        confirmLabel="Archive agent"
        danger
        onConfirm={() => archive.mutateAsync(archiving!)}
      >
        <p>
          It stays on the workrooms that already use it, but it can no longer be attached to new
          ones. Archived agents are listed under “Show archived agents”.
        </p>
      </ConfirmDialog>
    </Page>
  );
}

function AgentRow({
  agent: a,
  writable,
  onCopy,
  onArchive,
}: {
  agent: Agent;
  writable: boolean;
  onCopy: () => void;
  onArchive: () => void;
}) {
  const archived = a.archived_at !== null;
  return (
    <li className="flex flex-col gap-3 px-5 py-4 sm:flex-row sm:items-center">
      <div className="flex min-w-0 flex-1 items-start gap-3">
        <AgentIcon icon={a.icon} color={a.color} />
        <div className="min-w-0 flex-1">
          <div className="flex flex-wrap items-center gap-2">
            <Link
              to={`/agents/${a.id}`}
              className="truncate font-medium hover:underline focus-visible:underline"
            >
              {a.name}
            </Link>
            {archived && <Badge>Archived {date(a.archived_at!)}</Badge>}
          </div>
          <p className="mt-0.5 line-clamp-2 text-sm text-muted">
            {a.role_description || "No role description yet."}
          </p>
          <div className="mt-2 flex flex-wrap gap-1.5">
            <Badge tone="info">{a.model ?? "Workspace default model"}</Badge>
            {a.style_rules ? (
              <Badge tone="success">
                <Palette className="size-3" aria-hidden />
                Style Memory
              </Badge>
            ) : (
              <Badge>No Style Memory</Badge>
            )}
            {a.tool_grants.length > 0 && (
              <Badge>
                <Wrench className="size-3" aria-hidden />
                {a.tool_grants.length === 1 ? "1 tool" : `${a.tool_grants.length} tools`}
              </Badge>
            )}
          </div>
        </div>
      </div>
      {writable && (
        <div className="flex shrink-0 gap-2 sm:justify-end">
          <Button
            size="sm"
            icon={<Copy className="size-4" aria-hidden />}
            onClick={onCopy}
            aria-label={`Copy ${a.name}`}
          >
            Copy
          </Button>
          {!archived && (
            <Button
              size="sm"
              variant="ghost"
              icon={<Archive className="size-4" aria-hidden />}
              onClick={onArchive}
              aria-label={`Archive ${a.name}`}
            >
              Archive
            </Button>
          )}
        </div>
      )}
    </li>
  );
}

function useArchive() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (a: Agent) =>
      call(api.POST("/api/v1/agents/{id}/archive", { params: { path: { id: a.id } } })),
    onSuccess: async (a) => {
      toast.success(`${a.name} is archived.`);
      await qc.invalidateQueries({ queryKey: agentKeys.all });
    },
  });
}

/** A copy with the same settings and Style Memory, under a name of the person's choosing (keyed
 * by the agent, so each opening starts fresh). */
function CopyAgentDialog({ agent, onClose }: { agent: Agent | null; onClose: () => void }) {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [name, setName] = useState(agent ? `${agent.name} (copy)` : "");
  const copy = useMutation({
    mutationFn: (a: Agent) =>
      call(
        api.POST("/api/v1/agents/{id}/copy", {
          params: { path: { id: a.id } },
          body: name.trim() ? { name: name.trim() } : {},
        }),
      ),
    onSuccess: async (created) => {
      toast.success(`${created.name} is ready.`, {
        action: { label: "Open", onClick: () => void navigate(`/agents/${created.id}`) },
      });
      await qc.invalidateQueries({ queryKey: agentKeys.all });
      onClose();
    },
  });
  return (
    <Dialog
      open={agent !== null}
      onOpenChange={(open) => !open && onClose()}
      title={`Copy ${agent?.name ?? "agent"}`}
      description="The copy has the same prompt, model, tools, context and Style Memory."
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button
            variant="primary"
            type="submit"
            form="copy-agent"
            busy={copy.isPending}
            icon={<Copy className="size-4" aria-hidden />}
          >
            Copy agent
          </Button>
        </>
      }
    >
      <form
        id="copy-agent"
        className="flex flex-col gap-3"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (agent) copy.mutate(agent);
        }}
      >
        <TextField
          label="Name of the copy"
          value={name}
          onChange={(e) => setName(e.target.value)}
          maxLength={80}
          autoFocus
        />
        <ErrorNote error={copy.error} />
      </form>
    </Dialog>
  );
}
