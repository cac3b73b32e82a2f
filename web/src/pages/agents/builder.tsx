// The agent builder (/agents/new and /agents/:id): Identity, Prompt, Model, Tools and Context edit
// one draft saved together (create, or a patch of the changed fields); the Style tab has its own
// Save. Unsaved edits survive tab switches and are guarded when leaving the page. Both saves are
// made on the version of the agent the draft started from (If-Match): a colleague's change saved
// meanwhile is not erased, the save is refused and Reload puts these edits on top of theirs.
// Without agent.write everything is shown read-only.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { ArrowLeft, Bot, Eye, Plus, Save, SearchX, Undo2 } from "lucide-react";
import { useState, type ReactNode } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { toast } from "sonner";
import { api, ApiError, call, callVersioned, ifMatch, type Versioned } from "../../api/client";
import { useVersionedDraft } from "../../api/versioned";
import { useWorkspace } from "../../app/session";
import { Badge } from "../../ui/badge";
import { Button, ButtonLink } from "../../ui/button";
import { date } from "../../ui/format";
import { Card, CardBody, EmptyState, ErrorNote, Page, Skeleton } from "../../ui/surface";
import { usePageTitle } from "../../ui/title";
import { Tab, TabList, TabPanel, Tabs } from "../../ui/tabs";
import {
  builderDraftOf,
  changedFields,
  draftOf,
  fieldErrors,
  NEW_AGENT,
  patchOf,
  toInput,
  type Agent,
  type AgentDraft,
  type DraftField,
} from "./agent-draft";
import { AgentIcon } from "./agent-icon";
import { ContextTab, ToolsTab } from "./grants-tab";
import { IdentityTab, PromptTab } from "./identity-tab";
import { useLeaveGuard } from "./leave-guard";
import { ModelTab } from "./model-tab";
import { agentKeys, useAgent } from "./queries";
import { StyleTab, useStyleDraft } from "./style-tab";

type TabName = "identity" | "prompt" | "model" | "tools" | "context" | "style";

/** Which tab each field of the draft is edited on. */
const TAB_OF: Record<DraftField, TabName> = {
  name: "identity",
  icon: "identity",
  color: "identity",
  role_description: "identity",
  system_prompt: "prompt",
  model: "model",
  temperature: "model",
  tool_grants: "tools",
  context_grants: "context",
};

const TABS: { value: TabName; label: string }[] = [
  { value: "identity", label: "Identity" },
  { value: "prompt", label: "Prompt" },
  { value: "model", label: "Model" },
  { value: "tools", label: "Tools" },
  { value: "context", label: "Context" },
  { value: "style", label: "Style" },
];

const backLink = (
  <Link
    to="/agents"
    className="mb-1 inline-flex items-center gap-1 text-sm text-muted hover:text-fg"
  >
    <ArrowLeft className="size-4" aria-hidden />
    Agents
  </Link>
);

export function AgentBuilderPage() {
  const { id } = useParams();
  const agent = useAgent(id);
  const missing = agent.error instanceof ApiError && agent.error.status === 404;
  usePageTitle(
    id === undefined
      ? "New agent"
      : missing
        ? "Agent not found"
        : (agent.data?.data.name ?? "Agent"),
    "Agents",
  );
  if (id === undefined) return <Builder key="new" latest={NEW} reread={async () => undefined} />;
  if (agent.isPending)
    return (
      <Page title={<Skeleton className="h-8 w-56" />} back={backLink}>
        <div role="status" aria-label="Loading the agent" className="flex flex-col gap-3">
          <Skeleton className="h-10 w-full" />
          <Skeleton className="h-72 w-full" />
        </div>
      </Page>
    );
  if (missing)
    return (
      <Page title="Agent not found" back={backLink}>
        <EmptyState
          icon={SearchX}
          title="There is no such agent here"
          action={<ButtonLink to="/agents">Back to agents</ButtonLink>}
        >
          The link may be wrong, the agent may belong to another workspace, or it was never created.
          Switch workspace if you expected it in another one.
        </EmptyState>
      </Page>
    );
  // A failed refresh keeps the agent (and any unsaved edits) on screen.
  if (agent.data === undefined)
    return (
      <Page title="Agent" back={backLink}>
        <ErrorNote
          error={agent.error}
          title="This agent could not be loaded"
          retry={() => void agent.refetch()}
        />
      </Page>
    );
  return (
    <Builder
      key={agent.data.data.id}
      latest={agent.data}
      reread={async () => (await agent.refetch()).data}
    />
  );
}

const NEW: Versioned<Agent | null> = { data: null, etag: null };

function Builder({
  latest,
  reread,
}: {
  latest: Versioned<Agent | null>;
  /** Reads the agent again (after a 412), resolving with the newest version. */
  reread: () => Promise<Versioned<Agent | null> | undefined>;
}) {
  const { can } = useWorkspace();
  const readOnly = !can("agent.write");
  const qc = useQueryClient();
  const navigate = useNavigate();
  const edit = useVersionedDraft(latest, builderDraftOf);
  const agent = latest.data;
  const base = edit.base.data ? draftOf(edit.base.data) : NEW_AGENT;
  // The Style tab saves the Style Memory on its own: the other tabs' draft is the rest.
  const { style_rules: _styleRules, ...draft } = edit.draft;
  const [tab, setTab] = useState<TabName>("identity");
  const style = useStyleDraft(edit);
  const set = (change: Partial<AgentDraft>) => edit.set(change);

  const changed = changedFields(base, draft);
  const dirtyTabs = new Set(changed.map((f) => TAB_OF[f]));
  if (style.dirty) dirtyTabs.add("style");
  const unsaved =
    readOnly || (dirtyTabs.size === 0 && !(agent === null && draft.name.trim()))
      ? null
      : style.dirty && changed.length === 0
        ? "the Style Memory"
        : "this agent";
  const guard = useLeaveGuard(unsaved);

  const save = useMutation({
    mutationFn: (): Promise<Versioned<Agent>> =>
      agent
        ? callVersioned(
            api.PATCH("/api/v1/agents/{id}", {
              params: { path: { id: agent.id } },
              headers: ifMatch(edit.base.etag),
              body: patchOf(base, draft),
            }),
          )
        : call(api.POST("/api/v1/agents", { body: toInput(draft) })).then((data) => ({
            data,
            etag: null,
          })),
    onSuccess: async (answer) => {
      const saved = answer.data;
      if (agent) {
        qc.setQueryData(agentKeys.one(saved.id), answer);
        // The fields sent take the saved values; unsaved Style Memory edits stay.
        edit.rebase(answer, changed);
        await qc.invalidateQueries({ queryKey: agentKeys.all });
        toast.success(`${saved.name} is saved.`);
      } else {
        await qc.invalidateQueries({ queryKey: agentKeys.all });
        toast.success(`${saved.name} is created. Give it a Style Memory next.`);
        guard.allowNext();
        void navigate(`/agents/${saved.id}`, { replace: true });
      }
    },
    onError: (e) => {
      const first = Object.keys(fieldErrors(e))[0] as DraftField | undefined;
      if (first && TAB_OF[first]) setTab(TAB_OF[first]);
    },
  });
  // Someone saved this agent since the builder read it: read theirs, and keep these edits on top
  // of it, field by field, for the person to check and save again.
  const reload = async () => {
    const newest = await reread();
    if (!newest) return;
    edit.rebase(newest);
    save.reset();
    toast.info(
      `This is ${newest.data?.name ?? "the agent"} as saved now, with your edits on top: check them, then save.`,
    );
  };
  const errors = fieldErrors(save.error);
  const errorTabs = new Set(Object.keys(errors).map((f) => TAB_OF[f as DraftField]));
  const props = { draft, set, errors };

  const title = agent ? agent.name : "New agent";
  return (
    <Page
      title={
        <span className="flex min-w-0 items-center gap-3">
          <AgentIcon icon={draft.icon} color={draft.color} />
          <span className="truncate">{title}</span>
        </span>
      }
      back={backLink}
      description={
        agent?.role_description ||
        (agent ? undefined : "Set it up tab by tab; only a name is required.")
      }
      actions={
        <div className="flex flex-wrap gap-2">
          {agent?.archived_at && <Badge>Archived {date(agent.archived_at)}</Badge>}
          {readOnly && (
            <Badge tone="info">
              <Eye className="size-3" aria-hidden />
              Read-only
            </Badge>
          )}
        </div>
      }
    >
      {readOnly && (
        <p className="text-sm text-muted">
          You can read this agent. Changing agents is for owners, admins and members.
        </p>
      )}
      {agent?.archived_at && (
        <p className="text-sm text-muted">
          Archived: it stays on the workrooms that used it but cannot be attached to new ones.
        </p>
      )}
      <Tabs value={tab} onValueChange={(v) => setTab(v as TabName)}>
        <TabList label="Agent settings">
          {TABS.map((t) => (
            <Tab key={t.value} value={t.value}>
              <TabLabel
                label={t.label}
                dirty={dirtyTabs.has(t.value)}
                error={errorTabs.has(t.value)}
              />
            </Tab>
          ))}
        </TabList>
        {tab !== "style" ? (
          <Card className="mt-4">
            <form
              noValidate
              onSubmit={(e) => {
                e.preventDefault();
                save.mutate();
              }}
            >
              <CardBody>
                <fieldset disabled={readOnly} className="contents">
                  <legend className="sr-only">{TABS.find((t) => t.value === tab)?.label}</legend>
                  <Panel value="identity">
                    <IdentityTab {...props} />
                  </Panel>
                  <Panel value="prompt">
                    <PromptTab {...props} />
                  </Panel>
                  <Panel value="model">
                    <ModelTab {...props} />
                  </Panel>
                  <Panel value="tools">
                    <ToolsTab {...props} />
                  </Panel>
                  <Panel value="context">
                    <ContextTab {...props} />
                  </Panel>
                </fieldset>
              </CardBody>
              {!readOnly && (
                <SaveBar
                  isNew={agent === null}
                  changed={changed.length}
                  busy={save.isPending}
                  error={save.error}
                  reload={() => void reload()}
                  onDiscard={() => {
                    edit.set(base);
                    save.reset();
                  }}
                />
              )}
            </form>
          </Card>
        ) : (
          <TabPanel value="style">
            {agent ? (
              <StyleTab
                agent={agent}
                style={style}
                readOnly={readOnly}
                reload={() => void reload()}
              />
            ) : (
              <EmptyState icon={Bot} title="Create the agent first">
                A Style Memory belongs to an agent. Give this one a name, create it, and its Style
                tab opens here.
              </EmptyState>
            )}
          </TabPanel>
        )}
      </Tabs>
      {guard.dialog}
    </Page>
  );
}

const Panel = ({ value, children }: { value: TabName; children: ReactNode }) => (
  <TabPanel value={value} className="pt-0">
    {children}
  </TabPanel>
);

function TabLabel({ label, dirty, error }: { label: string; dirty: boolean; error: boolean }) {
  return (
    <span className="inline-flex items-center gap-1.5">
      {label}
      {error ? (
        <>
          <span aria-hidden className="size-1.5 rounded-full bg-danger" />
          <span className="sr-only">(has an error)</span>
        </>
      ) : dirty ? (
        <>
          <span aria-hidden className="size-1.5 rounded-full bg-warning" />
          <span className="sr-only">(unsaved changes)</span>
        </>
      ) : null}
    </span>
  );
}

function SaveBar({
  isNew,
  changed,
  busy,
  error,
  reload,
  onDiscard,
}: {
  isNew: boolean;
  changed: number;
  busy: boolean;
  error: unknown;
  reload: () => void;
  onDiscard: () => void;
}) {
  return (
    <div className="flex flex-col gap-3 border-t border-border px-5 py-4">
      <ErrorNote
        error={error}
        title={isNew ? "The agent was not created" : "The changes were not saved"}
        reload={reload}
      />
      <div className="flex flex-wrap items-center justify-end gap-2">
        <p className="mr-auto text-sm text-muted" aria-live="polite">
          {isNew
            ? "Create the agent to attach it to workrooms and give it a Style Memory."
            : changed === 0
              ? "All changes saved."
              : changed === 1
                ? "1 unsaved change."
                : `${changed} unsaved changes.`}
        </p>
        {!isNew && (
          <Button
            variant="ghost"
            icon={<Undo2 className="size-4" aria-hidden />}
            disabled={changed === 0 || busy}
            onClick={onDiscard}
          >
            Discard
          </Button>
        )}
        <Button
          type="submit"
          variant="primary"
          busy={busy}
          disabled={!isNew && changed === 0}
          icon={
            isNew ? (
              <Plus className="size-4" aria-hidden />
            ) : (
              <Save className="size-4" aria-hidden />
            )
          }
        >
          {isNew ? "Create agent" : "Save changes"}
        </Button>
      </div>
    </div>
  );
}
