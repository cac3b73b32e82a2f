// The nouns of SPEC.md as plain data: what the store returns and the engine, agents and use cases read.
import { z } from "zod";
import type { AgentId, PlanId, TaskId, WorkroomId, WorkspaceId } from "./ids.js";
import type { InputKind } from "./inputs.js";
import type { TaskStatus, TaskType } from "./plan.js";
import type { StyleRules } from "./style.js";
import type { Lifecycle } from "./workroom.js";
import type { PlanName } from "./roles.js";
import type { Document } from "./document.js";

export interface Workspace {
  id: WorkspaceId;
  name: string;
  plan: PlanName;
  defaultModel: string;
  plannerModel: string | null;
  monthlyAllowance: number;
  allowanceCredits: number;
  topupCredits: number;
  allowancePeriod: string;
  /** What this month's grant gave: the plan's `monthlyAllowance` when the month began (a plan
   *  changed since takes effect with the next grant). Use of the allowance is measured against it. */
  allowanceGranted: number;
  /** Moves with every write of the workspace's agents (what the engine remembers of them is
   *  checked against it). */
  agentsVersion: number;
  /** It has secrets of its own (provider keys, base URLs): the engine reads them only then. */
  hasSecrets: boolean;
}

export const BOT_TYPES = ["planner", "composer", "custom"] as const;
export type BotType = (typeof BOT_TYPES)[number];

/** What an agent may read (SPEC 3). `dependencies`: outputs of its own dependencies only. */
export const ContextGrantsSchema = z.object({
  input_kinds: z.union([z.literal("all"), z.array(z.string())]).default("all"),
  task_outputs: z.enum(["dependencies", "all", "none"]).default("dependencies"),
});
export type ContextGrants = z.infer<typeof ContextGrantsSchema>;

export interface Agent {
  id: AgentId;
  workspaceId: WorkspaceId;
  name: string;
  botType: BotType;
  icon: string;
  color: string;
  roleDescription: string;
  systemPrompt: string;
  model: string | null;
  temperature: number;
  toolGrants: string[];
  contextGrants: ContextGrants;
  styleRules: StyleRules | null;
  archivedAt: number | null;
}

export const PasteFlagsSchema = z.object({
  redact_pii: z.boolean().default(false),
  local_models_only: z.boolean().default(false),
});
export type PasteFlags = z.infer<typeof PasteFlagsSchema>;

export interface Input {
  id: string;
  kind: InputKind;
  label: string | null;
  content: string;
}

export interface Workroom extends Lifecycle {
  id: WorkroomId;
  workspaceId: WorkspaceId;
  title: string;
  client: string | null;
  goal: string;
  deliverables: string[];
  deadline: string | null;
  maxCredits: number | null;
  pasteFlags: PasteFlags;
  styleOverride: string | null;
  reviewPlan: boolean;
  creditsSpent: number;
  baseCredits: number;
  hoursSaved: number | null;
  /** The sequence number of the room's last history event, when the room was read. */
  eventSeq: number;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
  completedAt: number | null;
}

/** Type-specific task fields, stored as one JSON column. */
export interface TaskSpec {
  tool?: string;
  args?: Record<string, unknown>;
  question?: string;
  waitSeconds?: number;
  waitUntil?: string;
  /** A reviewer's rejection comment, given to the agent when the task re-runs. */
  feedback?: string;
}

export interface Task {
  id: TaskId;
  workroomId: WorkroomId;
  planId: PlanId;
  generation: number;
  ordinal: number;
  title: string;
  description: string;
  type: TaskType;
  agentId: AgentId | null;
  dependsOn: number[];
  estimatedSeconds: number;
  spec: TaskSpec;
  status: TaskStatus;
  output: string | null;
  error: string | null;
  /** The reruns a rejection asked for so far: 0 on the first run (the API shows it 1-based). */
  run: number;
  credits: number;
  startedAt: number | null;
  finishedAt: number | null;
}

export interface Draft {
  round: number;
  document: Document;
  createdAt: number;
}

/** The highest seq a room's history can hold: the columns that store it are 32-bit integers on
 *  PostgreSQL. A resume position above it is refused (PostgreSQL failed comparing it). */
export const MAX_EVENT_SEQ = 2 ** 31 - 1;

export interface HistoryEvent {
  id: number;
  workroomId: WorkroomId;
  seq: number;
  type: string;
  actor: string;
  data: Record<string, unknown>;
  at: number;
}
