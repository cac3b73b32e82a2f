// Workspaces and their system agents (Planner, Composer).
import type { AgentId, WorkspaceId } from "../domain/ids.js";
import { PLANS, type PlanName } from "../domain/roles.js";
import type { Agent, Workspace } from "../domain/types.js";
import { allowancePeriod } from "../domain/credits.js";
import { ContextGrantsSchema } from "../domain/types.js";
import type { AgentTable, WorkspaceTable } from "./schema.js";
import { sql, type Selectable } from "kysely";
import { json, parseJson, type Exec } from "./exec.js";
import { newId } from "./ids.js";
import { precompiled } from "./prepared.js";

/** The columns a `Workspace` is made of: not `settings` or `secrets`, sealed JSON that can be
 *  megabytes (a letterhead's logo) and that the engine's steps, which read the workspace every
 *  time, never need. */
/** `secrets` is sealed text, "" when none: whether it is empty is read without opening it. */
const HAS_SECRETS = sql<number | boolean>`secrets <> ''`.as("has_secrets");

const WORKSPACE_COLUMNS = [
  HAS_SECRETS,
  "id",
  "name",
  "plan",
  "default_model",
  "planner_model",
  "monthly_allowance",
  "allowance_credits",
  "topup_credits",
  "allowance_period",
  "allowance_granted",
  "agents_version",
] as const;

export function toWorkspace(
  r: Pick<
    Selectable<WorkspaceTable>,
    Exclude<(typeof WORKSPACE_COLUMNS)[number], typeof HAS_SECRETS>
  > & {
    has_secrets: number | boolean;
  },
): Workspace {
  return {
    id: r.id as WorkspaceId,
    name: r.name,
    plan: r.plan as PlanName,
    defaultModel: r.default_model,
    plannerModel: r.planner_model,
    monthlyAllowance: r.monthly_allowance,
    allowanceCredits: r.allowance_credits,
    topupCredits: r.topup_credits,
    allowancePeriod: r.allowance_period,
    allowanceGranted: r.allowance_granted ?? r.monthly_allowance,
    agentsVersion: r.agents_version,
    hasSecrets: Boolean(r.has_secrets),
  };
}

export function toAgent(r: AgentTable): Agent {
  return {
    id: r.id as AgentId,
    workspaceId: r.workspace_id as WorkspaceId,
    name: r.name,
    botType: r.bot_type,
    icon: r.icon,
    color: r.color,
    roleDescription: r.role_description,
    systemPrompt: r.system_prompt,
    model: r.model,
    temperature: r.temperature,
    toolGrants: parseJson(r.tool_grants),
    contextGrants: ContextGrantsSchema.parse(parseJson(r.context_grants)),
    styleRules: r.style_rules === null ? null : parseJson(r.style_rules),
    archivedAt: r.archived_at,
  };
}

export interface NewWorkspace {
  name: string;
  plan: PlanName;
  defaultModel: string;
  plannerModel?: string | null;
  now: Date;
}

/** Creates a workspace with its Planner and Composer; the monthly allowance of its plan is granted by the caller through the ledger. */
export async function insertWorkspace(ex: Exec, w: NewWorkspace): Promise<Workspace> {
  const id = newId<WorkspaceId>("workspace");
  const at = w.now.getTime();
  // `agents_version` starts at its column's default, 0; `allowance_granted` is set by the grant.
  const row: Omit<Selectable<WorkspaceTable>, "agents_version" | "allowance_granted"> = {
    id,
    name: w.name,
    plan: w.plan,
    default_model: w.defaultModel,
    planner_model: w.plannerModel ?? null,
    monthly_allowance: PLANS[w.plan].monthlyCredits,
    allowance_credits: 0,
    topup_credits: 0,
    allowance_period: allowancePeriod(w.now),
    settings: "{}",
    secrets: "",
    created_at: at,
  };
  await ex.db.insertInto("workspaces").values(row).execute();
  const system = (name: string, botType: "planner" | "composer", role: string): AgentTable => ({
    id: newId("agent"),
    workspace_id: id,
    name,
    bot_type: botType,
    icon: botType === "planner" ? "map" : "pen",
    color: botType === "planner" ? "#64748b" : "#0f766e",
    role_description: role,
    system_prompt: "",
    model: null,
    temperature: botType === "planner" ? 0.2 : 0.5,
    tool_grants: "[]",
    context_grants: json(ContextGrantsSchema.parse({ task_outputs: "all" })),
    style_rules: null,
    archived_at: null,
    created_at: at,
    updated_at: at,
  });
  await ex.db
    .insertInto("agents")
    .values([
      system("Planner", "planner", "Reads the material and writes the task plan."),
      system("Composer", "composer", "Writes the finished deliverable from the task outputs."),
    ])
    .execute();
  return toWorkspace({ ...row, agents_version: 0, allowance_granted: null, has_secrets: false });
}

const findWorkspaceRow = (lock: boolean) =>
  precompiled((db, s, dialect) => {
    const q = db.selectFrom("workspaces").select(WORKSPACE_COLUMNS).where("id", "=", s.text("id"));
    return lock && dialect === "postgres" ? q.forUpdate() : q;
  });
const FIND_WORKSPACE = findWorkspaceRow(false);
const FIND_WORKSPACE_LOCKED = findWorkspaceRow(true);

/**
 * `lock`: on PostgreSQL the row stays locked to the end of the transaction (SQLite runs one write
 * transaction at a time anyway), so what is read is what the next writer of the balance sees.
 */
export async function findWorkspace(
  ex: Exec,
  id: string,
  opts: { lock?: boolean } = {},
): Promise<Workspace | undefined> {
  const q = opts.lock ? FIND_WORKSPACE_LOCKED : FIND_WORKSPACE;
  const r = (await q.execute(ex, { id })).rows[0];
  return r && toWorkspace(r);
}

export async function listWorkspaces(ex: Exec): Promise<Workspace[]> {
  const rows = await ex.db
    .selectFrom("workspaces")
    .select(WORKSPACE_COLUMNS)
    .orderBy("created_at")
    .execute();
  return rows.map(toWorkspace);
}

export async function listAgents(
  ex: Exec,
  workspaceId: WorkspaceId,
  opts: { includeArchived?: boolean } = {},
): Promise<Agent[]> {
  const q = opts.includeArchived ? ALL_AGENTS : ACTIVE_AGENTS;
  const { rows } = await q.execute(ex, { workspaceId });
  return rows.map(toAgent);
}

const listAgentsOf = (includeArchived: boolean) =>
  precompiled((db, s) => {
    const q = db.selectFrom("agents").selectAll().where("workspace_id", "=", s.text("workspaceId"));
    return (includeArchived ? q : q.where("archived_at", "is", null))
      .orderBy("created_at")
      .orderBy("name");
  });
const ALL_AGENTS = listAgentsOf(true);
const ACTIVE_AGENTS = listAgentsOf(false);

export async function findAgents(
  ex: Exec,
  workspaceId: WorkspaceId,
  ids: readonly string[],
): Promise<Agent[]> {
  if (ids.length === 0) return [];
  const rows = await ex.db
    .selectFrom("agents")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("id", "in", ids)
    .execute();
  return rows.map(toAgent);
}

export interface NewAgent {
  name: string;
  roleDescription: string;
  systemPrompt: string;
  model: string | null;
  temperature: number;
  toolGrants: string[];
  contextGrants?: Agent["contextGrants"];
  styleRules?: Agent["styleRules"];
  icon?: string;
  color?: string;
}

export async function insertCustomAgent(
  ex: Exec,
  workspaceId: WorkspaceId,
  a: NewAgent,
  now: Date,
): Promise<Agent> {
  const at = now.getTime();
  const row: AgentTable = {
    id: newId("agent"),
    workspace_id: workspaceId,
    name: a.name,
    bot_type: "custom",
    icon: a.icon ?? "sparkles",
    color: a.color ?? "#6366f1",
    role_description: a.roleDescription,
    system_prompt: a.systemPrompt,
    model: a.model,
    temperature: a.temperature,
    tool_grants: json(a.toolGrants),
    context_grants: json(a.contextGrants ?? ContextGrantsSchema.parse({})),
    style_rules: a.styleRules ? json(a.styleRules) : null,
    archived_at: null,
    created_at: at,
    updated_at: at,
  };
  // Style Memory quotes the voice samples: sealed; the returned agent keeps the plain rules.
  await ex.db
    .insertInto("agents")
    .values({ ...row, style_rules: ex.seal(workspaceId, row.style_rules) })
    .execute();
  await agentsWritten(ex, workspaceId);
  return toAgent(row);
}

/** Every write of a workspace's agents moves its `agents_version`, in the same transaction. */
async function agentsWritten(ex: Exec, workspaceId: WorkspaceId): Promise<void> {
  await ex.db
    .updateTable("workspaces")
    .set((eb) => ({ agents_version: eb("agents_version", "+", 1) }))
    .where("id", "=", workspaceId)
    .execute();
}

export async function setDefaultModel(
  ex: Exec,
  workspaceId: WorkspaceId,
  model: string,
): Promise<void> {
  await ex.db
    .updateTable("workspaces")
    .set({ default_model: model })
    .where("id", "=", workspaceId)
    .execute();
}

/** Sets the workspace's default and/or Planner model (model settings). */
export async function setWorkspaceModels(
  ex: Exec,
  workspaceId: WorkspaceId,
  m: { defaultModel?: string; plannerModel?: string | null },
): Promise<void> {
  await ex.db
    .updateTable("workspaces")
    .set({
      ...(m.defaultModel !== undefined ? { default_model: m.defaultModel } : {}),
      ...(m.plannerModel !== undefined ? { planner_model: m.plannerModel } : {}),
    })
    .where("id", "=", workspaceId)
    .execute();
}

/**
 * The agents attached to a room, in one query. In an engine unit, given the workspace's
 * `agentsVersion` as the unit read it, they are remembered between units and read again only once
 * an agent of the workspace was written (store/room-memory.ts).
 */
export async function roomAgents(
  ex: Exec,
  workspaceId: WorkspaceId,
  roomId: string,
  agentsVersion?: number,
): Promise<Agent[]> {
  const memory = agentsVersion !== undefined && ex.unitCache ? ex.memory : undefined;
  const known = memory?.agentsOf(workspaceId, roomId, agentsVersion!);
  if (known) return known.map(copyAgent);
  const { rows } = await ROOM_AGENTS.execute(ex, { roomId, workspaceId });
  const agents = rows.map(toAgent);
  // Remembered under the version read before them: if an agent changed in between, the next
  // unit sees a newer version and reads them again.
  memory?.rememberAgents(workspaceId, roomId, agentsVersion!, agents.map(copyAgent));
  return agents;
}

/** A copy whose fields a caller may set without changing what is remembered (as for tasks, its
 *  grants and rules are shared: nothing changes those in place). */
const copyAgent = (a: Agent): Agent => ({ ...a });

const ROOM_AGENTS = precompiled((db, s) =>
  db
    .selectFrom("agents")
    .innerJoin("workroom_agents", "workroom_agents.agent_id", "agents.id")
    .selectAll("agents")
    .where("workroom_agents.workroom_id", "=", s.text("roomId"))
    .where("agents.workspace_id", "=", s.text("workspaceId"))
    .orderBy("agents.created_at"),
);

export interface AgentPatch {
  name?: string;
  icon?: string;
  color?: string;
  roleDescription?: string;
  systemPrompt?: string;
  model?: string | null;
  temperature?: number;
  toolGrants?: string[];
  contextGrants?: Agent["contextGrants"];
  styleRules?: Agent["styleRules"];
  archived?: boolean;
}

export async function updateAgent(
  ex: Exec,
  workspaceId: WorkspaceId,
  id: string,
  p: AgentPatch,
  now: Date,
): Promise<void> {
  await ex.db
    .updateTable("agents")
    .set({
      ...(p.name !== undefined ? { name: p.name } : {}),
      ...(p.icon !== undefined ? { icon: p.icon } : {}),
      ...(p.color !== undefined ? { color: p.color } : {}),
      ...(p.roleDescription !== undefined ? { role_description: p.roleDescription } : {}),
      ...(p.systemPrompt !== undefined ? { system_prompt: p.systemPrompt } : {}),
      ...(p.model !== undefined ? { model: p.model } : {}),
      ...(p.temperature !== undefined ? { temperature: p.temperature } : {}),
      ...(p.toolGrants !== undefined ? { tool_grants: json(p.toolGrants) } : {}),
      ...(p.contextGrants !== undefined ? { context_grants: json(p.contextGrants) } : {}),
      ...(p.styleRules !== undefined
        ? { style_rules: p.styleRules === null ? null : ex.seal(workspaceId, json(p.styleRules)) }
        : {}),
      ...(p.archived !== undefined ? { archived_at: p.archived ? now.getTime() : null } : {}),
      updated_at: now.getTime(),
    })
    .where("id", "=", id)
    .where("workspace_id", "=", workspaceId)
    .execute();
  await agentsWritten(ex, workspaceId);
}
