// Model settings of a workspace: its default and Planner models, and its own provider keys and base
// URLs (Anthropic, OpenAI, an OpenAI-compatible server). Keys are kept in the sealed workspace
// secrets and are never shown again: reading returns them masked (`sk-…abcd`). Calls made for the
// workspace use them, field by field, before the environment's (models/credentials.ts).
import { z } from "zod";
import { DomainError } from "../domain/errors.js";
import { BaseUrlSchema, ModelNameSchema, sameOrigin } from "../domain/model-names.js";
import { describeIssues } from "../domain/requests.js";
import type { Workspace } from "../domain/types.js";
import type { ProviderCredentials } from "../models/config.js";
import { poolExec } from "../engine/deps.js";
import { withTx } from "../engine/tx.js";
import { audit } from "../store/audit.js";
import type { Exec } from "../store/exec.js";
import { findWorkspace, setWorkspaceModels } from "../store/workspaces.js";
import { readSecrets, writeSecrets, type WorkspaceSecrets } from "../store/workspace-secrets.js";
import { authorize, lockExistingWorkspace, type Actor, type AppDeps } from "./context.js";
import { checkVersion, versionOf } from "./versions.js";

const ApiKeySchema = z.string().trim().min(8, "that is too short to be an API key").max(1000);

/** For each field: a value sets it, null clears it, absent leaves it as it is. */
const ProviderChangeSchema = z.strictObject({
  api_key: ApiKeySchema.nullable().optional(),
  base_url: BaseUrlSchema.nullable().optional(),
});

/** A change to the workspace's model settings (PATCH semantics). */
export const ModelSettingsSchema = z.strictObject({
  default_model: ModelNameSchema.optional(),
  /** A smaller model for the Planner; null uses the default model. */
  planner_model: ModelNameSchema.nullable().optional(),
  anthropic: ProviderChangeSchema.optional(),
  openai: ProviderChangeSchema.optional(),
  openai_compatible: ProviderChangeSchema.optional(),
});
export type ModelSettingsChange = z.input<typeof ModelSettingsSchema>;

const ProviderViewSchema = z.object({
  /** Masked (`sk-…abcd`); null when the workspace has not set one (the environment's applies). */
  api_key: z.string().nullable(),
  base_url: z.string().nullable(),
});

/** What reading model settings returns: never a secret. */
export const ModelSettingsViewSchema = z.object({
  default_model: z.string(),
  planner_model: z.string().nullable(),
  anthropic: ProviderViewSchema,
  openai: ProviderViewSchema,
  openai_compatible: ProviderViewSchema,
});
export type ModelSettingsView = z.infer<typeof ModelSettingsViewSchema>;

const PROVIDERS = [
  ["anthropic", "anthropic"],
  ["openai", "openai"],
  ["openai_compatible", "openaiCompatible"],
] as const;

/** `sk-ant-api03-…wxyz` → `sk-…wxyz`; short values show nothing. */
export function maskSecret(secret: string): string {
  return secret.length >= 12 ? `${secret.slice(0, 3)}…${secret.slice(-4)}` : "…";
}

/** A base URL as shown: one saved before user names and passwords were refused keeps its host and
 *  path, the credential replaced by a readable `…` (not the URL-encoded `%E2%80%A6`). */
export function maskUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return "…";
  }
  if (!u.username && !u.password) return url;
  u.username = "";
  u.password = "";
  return u.toString().replace("://", "://…@");
}

/** A stored key is never shown, so it may follow a base URL only to the same host: otherwise an
 *  admin could have it sent to a host of their choosing. Clearing the base URL (the provider's
 *  own, or the environment's) is not a host anyone chose. */
function keepsHost(field: string, stored: string | undefined, next: string): void {
  if (stored !== undefined && sameOrigin(stored, next)) return;
  throw new DomainError(
    "invalid_input",
    `Model settings: ${field}.base_url moves to another host (${URL.parse(next)?.host ?? next}): send its api_key again with it. A stored key is kept only while the base URL stays on the same host.`,
  );
}

function viewOf(ws: Workspace, secrets: WorkspaceSecrets): ModelSettingsView {
  const p = secrets.providers ?? {};
  const view = (e: { apiKey?: string; baseURL?: string } | undefined) => ({
    api_key: e?.apiKey ? maskSecret(e.apiKey) : null,
    base_url: e?.baseURL ? maskUrl(e.baseURL) : null,
  });
  return {
    default_model: ws.defaultModel,
    planner_model: ws.plannerModel,
    anthropic: view(p.anthropic),
    openai: view(p.openai),
    openai_compatible: view(p.openaiCompatible),
  };
}

async function load(ex: Exec, actor: Actor): Promise<{ ws: Workspace; secrets: WorkspaceSecrets }> {
  const [ws, secrets] = await Promise.all([
    findWorkspace(ex, actor.workspaceId),
    readSecrets(ex, actor.workspaceId),
  ]);
  if (!ws || !secrets) throw new DomainError("not_found", "No such workspace.");
  return { ws, secrets };
}

/** The version of the model settings as shown (keys masked: it says nothing of a key). */
export const modelSettingsVersion = (shown: ModelSettingsView): string => versionOf(shown);

export async function getModelSettings(deps: AppDeps, actor: Actor): Promise<ModelSettingsView> {
  authorize(actor, "settings.manage");
  const { ws, secrets } = await load(poolExec(deps), actor);
  return viewOf(ws, secrets);
}

/**
 * Applies a change; the audit record names the fields changed, never their values. `expected`:
 * the versions (modelSettingsVersion) the change was made on; refused if the settings are at
 * another.
 */
export async function updateModelSettings(
  deps: AppDeps,
  actor: Actor,
  change: unknown,
  expected?: readonly string[],
): Promise<ModelSettingsView> {
  authorize(actor, "settings.manage");
  const parsed = ModelSettingsSchema.safeParse(change);
  if (!parsed.success)
    throw new DomainError("invalid_input", `Model settings: ${describeIssues(parsed.error)}`);
  const c = parsed.data;
  return withTx(deps, async (tx) => {
    // Locked, so two changes at once apply one after the other and each checks what it reads.
    await lockExistingWorkspace(tx, actor.workspaceId);
    const { ws, secrets } = await load(tx.ex, actor);
    checkVersion(
      modelSettingsVersion(viewOf(ws, secrets)),
      expected,
      "Someone changed the model settings since you opened them",
    );
    const changed: string[] = [];
    const models: { defaultModel?: string; plannerModel?: string | null } = {};
    if (c.default_model !== undefined) {
      models.defaultModel = c.default_model;
      changed.push("default_model");
    }
    if (c.planner_model !== undefined) {
      models.plannerModel = c.planner_model;
      changed.push("planner_model");
    }
    if (changed.length) await setWorkspaceModels(tx.ex, ws.id, models);
    const providers: ProviderCredentials = { ...secrets.providers };
    for (const [field, key] of PROVIDERS) {
      const p = c[field];
      if (!p) continue;
      const next: { apiKey?: string; baseURL?: string } = { ...providers[key] };
      if (p.base_url && p.api_key === undefined && next.apiKey)
        keepsHost(field, next.baseURL, p.base_url);
      if (p.api_key !== undefined) {
        next.apiKey = p.api_key ?? undefined;
        changed.push(`${field}.api_key`);
      }
      if (p.base_url !== undefined) {
        next.baseURL = p.base_url ?? undefined;
        changed.push(`${field}.base_url`);
      }
      providers[key] = next; // a cleared field is undefined, which the stored JSON leaves out
    }
    const nextSecrets = { ...secrets, providers };
    if (changed.some((f) => f.includes("."))) await writeSecrets(tx.ex, ws.id, nextSecrets);
    if (changed.length)
      await audit(
        tx.ex,
        ws.id,
        { actor: actor.id, action: "settings.models_changed", data: { changed } },
        tx.now,
      );
    return viewOf({ ...ws, ...models }, nextSecrets);
  });
}
