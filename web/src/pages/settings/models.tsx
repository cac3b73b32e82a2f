// Models: the workspace's default model and a smaller Planner model, and its own provider keys and
// base URLs (Anthropic, OpenAI, any OpenAI-compatible server). Keys are write-only: the page says
// whether one is set (the server's mask, never the key) and offers to replace or remove it.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Cpu, KeyRound, Save } from "lucide-react";
import { useId, useState, type FormEvent } from "react";
import { toast } from "sonner";
import { DEFAULT_PRICING } from "../../../../src/models/pricing";
import { api, callVersioned, ifMatch, type Schemas, type Versioned } from "../../api/client";
import { useVersionedDraft, type VersionedDraft } from "../../api/versioned";
import { Badge } from "../../ui/badge";
import { Button } from "../../ui/button";
import { ConfirmDialog } from "../../ui/dialog";
import { TextField } from "../../ui/field";
import { Card, CardBody, CardHeader, ErrorNote, Skeleton } from "../../ui/surface";
import { RequirePermission, SectionHeader } from "./common";
import type { Overview } from "./queries";

type Settings = Schemas["ModelSettings"];
type Change = Schemas["ModelSettingsChange"];
type ProviderField = "anthropic" | "openai" | "openai_compatible";

const PROVIDERS: {
  field: ProviderField;
  name: string;
  env: { key: string; url: string };
  urlHint: string;
  keyPlaceholder: string;
}[] = [
  {
    field: "anthropic",
    name: "Anthropic",
    env: { key: "ANTHROPIC_API_KEY", url: "ANTHROPIC_BASE_URL" },
    urlHint: "Only for a proxy; leave empty for api.anthropic.com.",
    keyPlaceholder: "sk-ant-…",
  },
  {
    field: "openai",
    name: "OpenAI",
    env: { key: "OPENAI_API_KEY", url: "OPENAI_BASE_URL" },
    urlHint: "Only for a proxy; leave empty for api.openai.com.",
    keyPlaceholder: "sk-…",
  },
  {
    field: "openai_compatible",
    name: "OpenAI-compatible server",
    env: { key: "ATELYA_OPENAI_COMPATIBLE_API_KEY", url: "ATELYA_OPENAI_COMPATIBLE_BASE_URL" },
    urlHint:
      "Ollama, vLLM, LM Studio or a llama.cpp server, e.g. http://gpu-box:11434/v1. Models: ollama:…, vllm:…, openai-compatible:…",
    keyPlaceholder: "Only if the server asks for one",
  },
];

/** Names to pick from; any provider:model name is accepted. */
const SUGGESTED_MODELS = [
  ...Object.keys(DEFAULT_PRICING),
  "ollama:qwen2.5:7b",
  "local:qwen2.5-3b-instruct",
  "local:qwen2.5-1.5b-instruct",
];

const useModelSettings = () =>
  useQuery({
    queryKey: ["model-settings"],
    queryFn: () => callVersioned(api.GET("/api/v1/settings/models")),
  });

/** What the page's forms edit; keys are not here: they are set, never shown. */
interface Draft {
  default_model: string;
  planner_model: string;
  anthropic: string;
  openai: string;
  openai_compatible: string;
}

const draftOf = (s: Settings): Draft => ({
  default_model: s.default_model,
  planner_model: s.planner_model ?? "",
  anthropic: s.anthropic.base_url ?? "",
  openai: s.openai.base_url ?? "",
  openai_compatible: s.openai_compatible.base_url ?? "",
});

/** The page's forms edit one version of the model settings, each saving its own fields. */
type Edit = VersionedDraft<Settings, Draft> & { reload: () => void };

/** The draft's fields a change saves (a key is not one of them). */
const savedBy = (change: Change): (keyof Draft)[] => [
  ...(change.default_model !== undefined ? (["default_model"] as const) : []),
  ...(change.planner_model !== undefined ? (["planner_model"] as const) : []),
  ...PROVIDERS.map((p) => p.field).filter((f) => change[f]?.base_url !== undefined),
];

/** A PATCH made on the page's version. */
function useSaveModels(edit: Edit) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (change: Change) =>
      callVersioned(
        api.PATCH("/api/v1/settings/models", {
          headers: ifMatch(edit.base.etag),
          body: change,
        }),
      ),
    onSuccess: (next, change) => {
      qc.setQueryData(["model-settings"], next);
      edit.rebase(next, savedBy(change));
      // The overview carries the default model (the scripted-model notice reads it): set it here,
      // so no page shows the old one while the overview is fetched again.
      qc.setQueryData<Overview>(
        ["workspace-overview"],
        (o) => o && { ...o, default_model: next.data.default_model },
      );
    },
  });
}

function ModelsCard({ edit }: { edit: Edit }) {
  const listId = useId();
  const settings = edit.base.data;
  const { default_model: defaultModel, planner_model: planner } = edit.draft;
  const setDefault = (v: string) => edit.set({ default_model: v });
  const setPlanner = (v: string) => edit.set({ planner_model: v });
  const save = useSaveModels(edit);
  const change: Change = {};
  if (defaultModel.trim() !== settings.default_model) change.default_model = defaultModel.trim();
  if ((planner.trim() || null) !== settings.planner_model)
    change.planner_model = planner.trim() || null;
  const dirty = Object.keys(change).length > 0;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(change, { onSuccess: () => toast.success("Models saved") });
  };
  return (
    <Card>
      <CardHeader
        level={3}
        title={
          <span className="flex items-center gap-2">
            <Cpu className="size-4 text-muted" aria-hidden />
            Default and Planner models
          </span>
        }
        description="Agents without a model of their own use the default; the Planner may use a smaller one."
      />
      <CardBody>
        <form onSubmit={submit} className="flex flex-col gap-4" aria-label="Models">
          <datalist id={listId}>
            {SUGGESTED_MODELS.map((m) => (
              <option key={m} value={m} />
            ))}
          </datalist>
          <div className="grid gap-4 md:grid-cols-2">
            <TextField
              label="Default model"
              required
              list={listId}
              spellCheck={false}
              value={defaultModel}
              onChange={(e) => setDefault(e.target.value)}
              hint="provider:model, e.g. anthropic:claude-sonnet-4-5. The Composer and agents use it."
            />
            <TextField
              label="Planner model"
              list={listId}
              spellCheck={false}
              placeholder={`Same as the default (${settings.default_model})`}
              value={planner}
              onChange={(e) => setPlanner(e.target.value)}
              hint="Writes the plan; a small, fast model is enough. Empty: the default model."
            />
          </div>
          <ErrorNote
            error={save.error}
            title="The models were not saved"
            reload={() => {
              save.reset();
              edit.reload();
            }}
          />
          <div className="flex justify-end">
            <Button
              type="submit"
              variant="primary"
              disabled={!dirty}
              busy={save.isPending}
              icon={<Save className="size-4" aria-hidden />}
            >
              Save models
            </Button>
          </div>
        </form>
      </CardBody>
    </Card>
  );
}

function ProviderCard({ provider, edit }: { provider: (typeof PROVIDERS)[number]; edit: Edit }) {
  const { field, name, env } = provider;
  const current = edit.base.data[field];
  const save = useSaveModels(edit);
  const [editingKey, setEditingKey] = useState(false);
  const [key, setKey] = useState("");
  const url = edit.draft[field];
  const setUrl = (v: string) => edit.set({ [field]: v });
  const [confirm, setConfirm] = useState(false);
  const isSet = current.api_key !== null;

  const submitKey = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(
      { [field]: { api_key: key.trim() } },
      {
        onSuccess: () => {
          toast.success(`${name} key saved`);
          setKey("");
          setEditingKey(false);
        },
      },
    );
  };
  const saveUrl = (value: string | null) =>
    save.mutate(
      { [field]: { base_url: value } },
      {
        onSuccess: () =>
          toast.success(value ? `${name} base URL saved` : `${name} base URL cleared`),
      },
    );
  const urlDirty = (url.trim() || null) !== current.base_url;

  return (
    <section aria-label={name} className="flex flex-col gap-4 py-5 first:pt-0 last:pb-0">
      <div className="flex items-center justify-between gap-2">
        <h4 className="text-sm font-semibold">{name}</h4>
        <Badge tone={isSet ? "success" : "neutral"}>{isSet ? "Key set" : "Key not set"}</Badge>
      </div>
      <div className="flex flex-col gap-2">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <p className="text-sm">
            <span className="font-medium">API key: </span>
            {isSet ? (
              <>
                set <span className="font-mono text-xs text-muted">({current.api_key})</span>
              </>
            ) : (
              <span className="text-muted">
                not set — the server&rsquo;s <code className="text-xs">{env.key}</code> applies, if
                it has one
              </span>
            )}
          </p>
          {!editingKey && (
            <div className="flex gap-2">
              <Button
                size="sm"
                icon={<KeyRound className="size-4" aria-hidden />}
                onClick={() => {
                  save.reset();
                  setEditingKey(true);
                }}
              >
                {isSet ? "Replace key" : "Set key"}
                <span className="sr-only"> for {name}</span>
              </Button>
              {isSet && (
                <Button size="sm" variant="ghost" onClick={() => setConfirm(true)}>
                  Remove<span className="sr-only"> the {name} key</span>
                </Button>
              )}
            </div>
          )}
        </div>
        {editingKey && (
          <form onSubmit={submitKey} className="flex flex-col gap-2 sm:flex-row sm:items-end">
            <TextField
              label={`${name} API key`}
              type="password"
              autoComplete="off"
              spellCheck={false}
              required
              autoFocus
              className="flex-1"
              placeholder={provider.keyPlaceholder}
              value={key}
              onChange={(e) => setKey(e.target.value)}
              hint="Stored encrypted. Atelya never shows it again."
            />
            <div className="flex gap-2 sm:mb-6">
              <Button type="submit" variant="primary" busy={save.isPending}>
                Save key
              </Button>
              <Button
                onClick={() => {
                  setEditingKey(false);
                  setKey("");
                  save.reset();
                }}
              >
                Cancel
              </Button>
            </div>
          </form>
        )}
      </div>
      <div className="flex flex-col gap-2 border-t border-border pt-4 sm:flex-row sm:items-start">
        <TextField
          label="Base URL"
          type="url"
          spellCheck={false}
          className="flex-1"
          placeholder={`The server's ${env.url}, or the provider's own`}
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          hint={provider.urlHint}
        />
        <div className="flex gap-2 sm:mt-6">
          <Button
            disabled={!urlDirty || !url.trim()}
            busy={save.isPending && urlDirty}
            onClick={() => saveUrl(url.trim())}
          >
            Save URL
          </Button>
          {current.base_url && (
            <Button variant="ghost" onClick={() => saveUrl(null)}>
              Clear<span className="sr-only"> the {name} base URL</span>
            </Button>
          )}
        </div>
      </div>
      <ErrorNote
        error={save.error}
        reload={() => {
          save.reset();
          edit.reload();
        }}
      />
      <ConfirmDialog
        open={confirm}
        onOpenChange={setConfirm}
        title={`Remove the ${name} key?`}
        confirmLabel="Remove key"
        danger
        onConfirm={async () => {
          await save.mutateAsync({ [field]: { api_key: null } });
          toast.success(`${name} key removed`);
        }}
      >
        <p>
          Calls for this workspace then use the server&rsquo;s <code>{env.key}</code>, if it has
          one; without it, rooms on {name} models fail with a message saying what to set.
        </p>
      </ConfirmDialog>
    </section>
  );
}

function ModelSettingsBody() {
  const settings = useModelSettings();
  return settings.isPending ? (
    <div role="status" aria-label="Loading model settings" className="flex flex-col gap-4">
      <Skeleton className="h-48 w-full" />
      <Skeleton className="h-40 w-full" />
    </div>
  ) : !settings.data ? (
    <ErrorNote
      error={settings.error}
      title="The model settings could not be loaded"
      retry={() => void settings.refetch()}
    />
  ) : (
    <Editor latest={settings.data} reread={async () => (await settings.refetch()).data} />
  );
}

function Editor({
  latest,
  reread,
}: {
  latest: Versioned<Settings>;
  /** Reads the settings again (after a 412), resolving with the newest version. */
  reread: () => Promise<Versioned<Settings> | undefined>;
}) {
  const versioned = useVersionedDraft(latest, draftOf);
  const qc = useQueryClient();
  // Someone saved model settings since this page read them: read theirs, and keep this person's
  // edits on top of them, for them to check and save again.
  const edit: Edit = {
    ...versioned,
    reload: () =>
      void reread().then((newest) => {
        if (!newest) return;
        versioned.rebase(newest);
        void qc.invalidateQueries({ queryKey: ["workspace-overview"] });
        toast.info(
          "These are the model settings as saved now, with your edits on top: check them, then save.",
        );
      }),
  };
  return (
    <>
      <ModelsCard edit={edit} />
      <Card>
        <CardHeader
          level={3}
          title={
            <span className="flex items-center gap-2">
              <KeyRound className="size-4 text-muted" aria-hidden />
              Provider keys
            </span>
          }
          description="This workspace's own keys, stored encrypted and never shown again. A field left unset falls back to the server's environment."
        />
        <CardBody className="divide-y divide-border">
          {PROVIDERS.map((p) => (
            <ProviderCard key={p.field} provider={p} edit={edit} />
          ))}
        </CardBody>
      </Card>
    </>
  );
}

export function ModelSettings() {
  return (
    <>
      <SectionHeader
        title="Models"
        description="Which models this workspace uses, and its own provider keys."
      />
      <RequirePermission action="settings.manage" what="model settings">
        <ModelSettingsBody />
      </RequirePermission>
    </>
  );
}
