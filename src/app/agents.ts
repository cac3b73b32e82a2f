// Custom agents (create, edit, copy, archive) and their Style Memory (extract from samples, save,
// copy between agents). Every change is in the audit log.
import { createHash } from "node:crypto";
import { ACTION_CREDIT_COSTS, checkReservation } from "../domain/credits.js";
import { DomainError } from "../domain/errors.js";
import {
  AgentInputSchema,
  AgentPatchSchema,
  describeIssues,
  type AgentInput,
} from "../domain/requests.js";
import { StyleRulesSchema, type StyleRules } from "../domain/style.js";
import type { Agent } from "../domain/types.js";
import { styleExtractionRequest } from "../agents/style-extractor.js";
import { available, currentWorkspace, headroomOf } from "../engine/metering.js";
import { poolExec } from "../engine/deps.js";
import { withTx } from "../engine/tx.js";
import { audit } from "../store/audit.js";
import { debit, ledgerRowByKey } from "../store/ledger.js";
import type { Exec } from "../store/exec.js";
import { keepStyleDraft, keptStyleDraft } from "../store/style-drafts.js";
import {
  findAgents,
  insertCustomAgent,
  listAgents,
  updateAgent,
  type AgentPatch,
} from "../store/workspaces.js";
import { builtinTools } from "../integrations/tools/index.js";
import { authorize, lockExistingWorkspace, type Actor, type AppDeps } from "./context.js";
import { readSettings } from "./settings.js";
import { checkVersion, versionOf } from "./versions.js";

async function customAgent(deps: AppDeps, actor: Actor, id: string): Promise<Agent> {
  return customAgentIn(poolExec(deps), actor, id);
}

async function customAgentIn(ex: Exec, actor: Actor, id: string): Promise<Agent> {
  const [agent] = await findAgents(ex, actor.workspaceId, [id]);
  if (!agent || agent.botType !== "custom")
    throw new DomainError("not_found", `No custom agent ${id} in this workspace.`);
  return agent;
}

/**
 * The version of an agent: its settings and its Style Memory together, so the builder, which
 * edits both, holds one version, and its own saves never conflict with each other.
 */
export const agentVersion = (agent: Agent): string => versionOf(agent);

/**
 * Refuses a grant of a tool that does not exist: not a built-in, nor `mcp:<server>/<tool>` of an
 * MCP server the workspace has added (the grant was saved, and the Planner could never use it).
 * An MCP server's own tool names are not checked: the server may be down while the agent is made.
 * Grants the agent already has pass as they are: a server removed later leaves its grants, which
 * the web app shows as gone, and editing something else must not fail on them.
 */
async function checkToolGrants(
  ex: Exec,
  workspaceId: string,
  grants: readonly string[],
  had: readonly string[] = [],
): Promise<void> {
  const added = grants.filter((g) => !had.includes(g));
  if (added.length === 0) return;
  const builtins = builtinTools().map((t) => t.name);
  const servers = (await readSettings(ex, workspaceId)).mcp_servers.map((m) => m.name);
  const unknown = added.find(
    (n) => !builtins.includes(n) && !servers.includes(/^mcp:([^/]+)\/./.exec(n)?.[1] ?? ""),
  );
  if (unknown !== undefined)
    throw new DomainError(
      "invalid_input",
      `No tool "${unknown}": grant one of ${builtins.join(", ")}, or mcp:<server>/<tool> of an MCP server the workspace has added (the tools list shows them all).`,
    );
}

/** Custom agents of the workspace (the Planner and Composer are not listed). */
export async function listCustomAgents(
  deps: AppDeps,
  actor: Actor,
  opts: { includeArchived?: boolean } = {},
): Promise<Agent[]> {
  authorize(actor, "workroom.read");
  return (await listAgents(poolExec(deps), actor.workspaceId, opts)).filter(
    (a) => a.botType === "custom",
  );
}

export async function getAgent(deps: AppDeps, actor: Actor, id: string): Promise<Agent> {
  authorize(actor, "workroom.read");
  return customAgent(deps, actor, id);
}

export async function createAgent(deps: AppDeps, actor: Actor, input: AgentInput): Promise<Agent> {
  authorize(actor, "agent.write");
  const parsed = AgentInputSchema.safeParse(input);
  if (!parsed.success)
    throw new DomainError("invalid_input", `The agent is invalid: ${describeIssues(parsed.error)}`);
  const a = parsed.data;
  return withTx(deps, async (tx) => {
    await checkToolGrants(tx.ex, actor.workspaceId, a.tool_grants);
    const agent = await insertCustomAgent(
      tx.ex,
      actor.workspaceId,
      {
        name: a.name,
        icon: a.icon,
        color: a.color,
        roleDescription: a.role_description,
        systemPrompt: a.system_prompt,
        model: a.model,
        temperature: a.temperature,
        toolGrants: a.tool_grants,
        contextGrants: a.context_grants,
      },
      tx.now,
    );
    await audit(
      tx.ex,
      actor.workspaceId,
      { actor: actor.id, action: "agent.created", target: agent.id, data: { name: agent.name } },
      tx.now,
    );
    return agent;
  });
}

/** Changes the fields sent; `expected`: the versions (agentVersion) the change was made on,
 *  refused if the agent is at another. */
export async function editAgent(
  deps: AppDeps,
  actor: Actor,
  id: string,
  patch: Partial<AgentInput>,
  expected?: readonly string[],
): Promise<Agent> {
  authorize(actor, "agent.write");
  const parsed = AgentPatchSchema.safeParse(patch);
  if (!parsed.success)
    throw new DomainError(
      "invalid_input",
      `The agent change is invalid: ${describeIssues(parsed.error)}`,
    );
  const p = parsed.data;
  // Only the fields the caller sent: zod fills defaults of absent keys, which must not overwrite.
  const sent = (k: keyof AgentInput) => Object.prototype.hasOwnProperty.call(patch, k);
  if (sent("tool_grants")) {
    const current = await customAgent(deps, actor, id);
    await checkToolGrants(poolExec(deps), actor.workspaceId, p.tool_grants!, current.toolGrants);
  }
  return changeAgent(
    deps,
    actor,
    id,
    {
      ...(sent("name") ? { name: p.name! } : {}),
      ...(sent("icon") ? { icon: p.icon! } : {}),
      ...(sent("color") ? { color: p.color! } : {}),
      ...(sent("role_description") ? { roleDescription: p.role_description! } : {}),
      ...(sent("system_prompt") ? { systemPrompt: p.system_prompt! } : {}),
      ...(sent("model") ? { model: p.model ?? null } : {}),
      ...(sent("temperature") ? { temperature: p.temperature! } : {}),
      ...(sent("tool_grants") ? { toolGrants: p.tool_grants! } : {}),
      ...(sent("context_grants") ? { contextGrants: p.context_grants! } : {}),
    },
    "agent.edited",
    { fields: Object.keys(patch) },
    expected,
  );
}

/** A new agent with the same settings and Style Memory. */
export async function copyAgent(
  deps: AppDeps,
  actor: Actor,
  id: string,
  name?: string,
): Promise<Agent> {
  authorize(actor, "agent.write");
  const src = await customAgent(deps, actor, id);
  return withTx(deps, async (tx) => {
    const agent = await insertCustomAgent(
      tx.ex,
      actor.workspaceId,
      { ...src, name: name ?? `${src.name} (copy)`, styleRules: src.styleRules },
      tx.now,
    );
    await audit(
      tx.ex,
      actor.workspaceId,
      { actor: actor.id, action: "agent.copied", target: agent.id, data: { from: id } },
      tx.now,
    );
    return agent;
  });
}

/**
 * Applies a change to a custom agent of the workspace and records it in the audit log. Under the
 * workspace lock, so two changes at once apply one after the other and each checks the version it
 * reads; returns the agent as this change left it.
 */
async function changeAgent(
  deps: AppDeps,
  actor: Actor,
  id: string,
  patch: AgentPatch,
  action: string,
  data?: Record<string, unknown>,
  expected?: readonly string[],
): Promise<Agent> {
  await customAgent(deps, actor, id);
  return withTx(deps, async (tx) => {
    await lockExistingWorkspace(tx, actor.workspaceId);
    const current = await customAgentIn(tx.ex, actor, id);
    checkVersion(
      agentVersion(current),
      expected,
      `Someone changed agent "${current.name}" since you opened it`,
    );
    await updateAgent(tx.ex, actor.workspaceId, id, patch, tx.now);
    await audit(
      tx.ex,
      actor.workspaceId,
      { actor: actor.id, action, target: id, ...(data ? { data } : {}) },
      tx.now,
    );
    return customAgentIn(tx.ex, actor, id);
  });
}

/** Archived agents are kept for the rooms that used them but can no longer be attached. */
export async function archiveAgent(deps: AppDeps, actor: Actor, id: string): Promise<Agent> {
  authorize(actor, "agent.write");
  return changeAgent(deps, actor, id, { archived: true }, "agent.archived");
}

/** Saves (edited) Style Memory on an agent; `expected`: the versions (agentVersion) it was
 *  edited on, refused if the agent is at another. */
export async function saveStyle(
  deps: AppDeps,
  actor: Actor,
  id: string,
  rules: unknown,
  expected?: readonly string[],
): Promise<Agent> {
  authorize(actor, "agent.write");
  const parsed = StyleRulesSchema.safeParse(rules);
  if (!parsed.success)
    throw new DomainError(
      "invalid_input",
      `The Style Memory is invalid: ${describeIssues(parsed.error)}`,
    );
  return changeAgent(
    deps,
    actor,
    id,
    { styleRules: parsed.data },
    "agent.style_saved",
    undefined,
    expected,
  );
}

export async function copyStyle(
  deps: AppDeps,
  actor: Actor,
  fromId: string,
  toId: string,
): Promise<Agent> {
  const from = await customAgent(deps, actor, fromId);
  if (!from.styleRules)
    throw new DomainError(
      "invalid_input",
      `Agent "${from.name}" has no Style Memory to copy yet; extract or edit it first.`,
    );
  return saveStyle(deps, actor, toId, from.styleRules);
}

export const MAX_STYLE_SAMPLES = 5;

/** A drafted Style Memory profile; `replayed` when it is the draft an earlier request with the
 *  same idempotency key paid for. */
export interface ExtractedStyle {
  rules: StyleRules;
  replayed: boolean;
}

/**
 * Drafts a Style Memory profile from 1–5 samples with one model call, charged as a platform action
 * (`ACTION_CREDIT_COSTS.style_extraction`, once per `requestKey`). The draft is returned, not saved
 * to the agent; it is kept a day, so the same request again (same key, agent and samples) gets it
 * back uncharged.
 */
export async function extractStyle(
  deps: AppDeps,
  actor: Actor,
  id: string,
  samples: string[],
  requestKey: string,
): Promise<ExtractedStyle> {
  authorize(actor, "agent.write");
  const agent = await customAgent(deps, actor, id);
  const clean = samples.map((s) => s.trim()).filter(Boolean);
  if (clean.length < 1 || clean.length > MAX_STYLE_SAMPLES)
    throw new DomainError(
      "invalid_input",
      `Style extraction takes 1 to ${MAX_STYLE_SAMPLES} samples; got ${clean.length}.`,
    );
  const cost = ACTION_CREDIT_COSTS.style_extraction;
  const ledgerKey = `style:${actor.workspaceId}:${requestKey}`;
  const fingerprint = createHash("sha256")
    .update(JSON.stringify([id, clean]))
    .digest("hex");
  const replay = async (ex: Exec, now: Date): Promise<ExtractedStyle | undefined> => {
    const kept = await keptStyleDraft(ex, actor.workspaceId, ledgerKey, now);
    if (kept && kept.fingerprint !== fingerprint)
      throw new DomainError(
        "conflict",
        "This idempotency key was used for a style extraction of other samples or another agent; send a new key.",
      );
    return kept && { rules: StyleRulesSchema.parse(kept.draft), replayed: true };
  };
  const spent = () =>
    new DomainError(
      "conflict",
      "This idempotency key was used for a style extraction over a day ago, and its draft is no longer kept; send a new key to extract again (it is charged again).",
    );
  const ex = poolExec(deps);
  const earlier = await replay(ex, deps.clock.now());
  if (earlier) return earlier;
  if (await ledgerRowByKey(ex, ledgerKey)) throw spent();
  // Checked as a call's reservation is: credits reserved by rooms' calls in flight are theirs.
  const ws = await withTx(deps, async (tx) => {
    const current = await currentWorkspace(tx, actor.workspaceId);
    const headroom = await headroomOf(tx, current);
    if (!checkReservation(headroom, cost).ok)
      throw new DomainError(
        "insufficient_credits",
        `Style extraction costs ${cost} credits; the workspace has ${available(headroom)}. Top up first.`,
      );
    return current;
  });
  const model = agent.model ?? ws.defaultModel;
  const { object } = await deps.models.generateObject(
    // The workspace's own provider keys apply to this call too.
    { ...styleExtractionRequest(clean, model), workspaceId: actor.workspaceId },
    StyleRulesSchema,
    "style profile",
  );
  return withTx(deps, async (tx) => {
    // The call has been made, so it is charged even if rooms' calls reserved the headroom in the
    // meantime (the debit then overdraws the allowance by at most this flat cost).
    const fresh = await currentWorkspace(tx, actor.workspaceId);
    const note = `Style Memory extraction for ${agent.name}`;
    // The same request, sent again while this one was at the model, was charged first: its
    // draft is the answer to both.
    if (!(await debit(tx.ex, fresh, cost, ledgerKey, note, null, tx.now))) {
      const first = await replay(tx.ex, tx.now);
      if (!first) throw spent();
      return first;
    }
    await keepStyleDraft(
      tx.ex,
      { key: ledgerKey, workspaceId: actor.workspaceId, agentId: id, fingerprint, draft: object },
      tx.now,
    );
    await audit(
      tx.ex,
      actor.workspaceId,
      {
        actor: actor.id,
        action: "agent.style_extracted",
        target: id,
        data: { samples: clean.length, credits: cost },
      },
      tx.now,
    );
    return { rules: object, replayed: false };
  });
}
