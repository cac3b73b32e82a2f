// The database schema as one TypeScript interface: every Kysely query is checked against it.
// Times are epoch milliseconds; JSON columns hold text; booleans are 0/1 (the same on both dialects).
import type { Generated } from "kysely";

export interface WorkspaceTable {
  id: string;
  name: string;
  plan: string;
  default_model: string;
  /** A smaller model for the Planner; null uses default_model. */
  planner_model: string | null;
  monthly_allowance: number;
  /** What is left of this period's allowance. */
  allowance_credits: number;
  /** Top-up packs: never expire. */
  topup_credits: number;
  /** The allowance period the balance belongs to, e.g. "2026-11". */
  allowance_period: string;
  /** What the grant of `allowance_period` gave (migration 0010): the plan's monthly allowance when
   *  the month began. Null (written before 0010, restored from an older archive): `monthly_allowance`. */
  allowance_granted: Generated<number | null>;
  settings: string;
  /** Sealed JSON of the workspace's secrets (provider keys, MCP secrets); "" when none. */
  secrets: string;
  /** How many times the workspace's agents were written (migration 0006); starts at 0. */
  agents_version: Generated<number>;
  created_at: number;
}

export interface AgentTable {
  id: string;
  workspace_id: string;
  name: string;
  bot_type: "planner" | "composer" | "custom";
  icon: string;
  color: string;
  role_description: string;
  system_prompt: string;
  /** Null: the workspace default model. */
  model: string | null;
  temperature: number;
  tool_grants: string;
  context_grants: string;
  style_rules: string | null;
  archived_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface WorkroomTable {
  id: string;
  workspace_id: string;
  title: string;
  client: string | null;
  goal: string;
  deliverables: string;
  deadline: string | null;
  max_credits: number | null;
  paste_flags: string;
  style_override: string | null;
  review_plan: number;
  state: string;
  paused_from: string | null;
  pause_reason: string | null;
  /** When a room paused for a provider's rate limit resumes by itself (ms; migration 0011). */
  resume_at: number | null;
  failure_reason: string | null;
  generation: number;
  current_round: number;
  final_round: number;
  revision_in_flight: number;
  credits_spent: number;
  /** Credits of the original run (planning + tasks + composition); revisions cost a share of it. */
  base_credits: number;
  hours_saved: number | null;
  /** Last history sequence number written; bumped in the same transaction as the event rows. */
  event_seq: number;
  created_by: string;
  created_at: number;
  updated_at: number;
  completed_at: number | null;
}

export interface WorkroomAgentTable {
  workroom_id: string;
  agent_id: string;
  workspace_id: string;
}

export interface InputTable {
  id: string;
  workspace_id: string;
  workroom_id: string;
  position: number;
  kind: string;
  label: string | null;
  content: string;
  bytes: number;
}

export interface PlanTable {
  id: string;
  workspace_id: string;
  workroom_id: string;
  generation: number;
  summary: string;
  created_at: number;
}

export interface TaskTable {
  id: string;
  workspace_id: string;
  workroom_id: string;
  plan_id: string;
  /** The room's plan generation the task belongs to (a replan starts the next one). */
  generation: number;
  ordinal: number;
  title: string;
  description: string;
  type: string;
  agent_id: string | null;
  depends_on: string;
  estimated_seconds: number;
  /** Type-specific fields: tool and args, question, wait target. */
  spec: string;
  status: string;
  output: string | null;
  error: string | null;
  /** How many times the task was (re)queued; re-runs after a rejection add one. */
  run: number;
  credits: number;
  started_at: number | null;
  finished_at: number | null;
}

export interface StepTable {
  id: string;
  workspace_id: string;
  workroom_id: string;
  kind: string;
  task_id: string | null;
  generation: number;
  /** ready → claimed → done | dropped; claimed with an expired lease is claimable again. */
  status: string;
  /** Fencing token: incremented by every claim; a commit with an older attempt is refused. */
  attempt: number;
  /** Failed attempts so far (transient failures retried with backoff). */
  failures: number;
  lease_owner: string | null;
  lease_expires_at: number | null;
  available_at: number;
  reserved_credits: number;
  /** Makes scheduling idempotent: `plan:{room}:{gen}`, `task:{task}:{run}`, `revise:{room}:{round}`. */
  dedupe_key: string;
  created_at: number;
}

export interface DraftTable {
  id: string;
  workspace_id: string;
  workroom_id: string;
  round: number;
  document: string;
  created_at: number;
}

export interface RevisionTable {
  id: string;
  workspace_id: string;
  workroom_id: string;
  round: number;
  preset_slug: string;
  /** What the round does and the instruction given to the Composer, fixed when it was requested. */
  action: string;
  instruction: string;
  args: string;
  source: string;
  /** running → completed | failed */
  status: string;
  error: string | null;
  /** The flat charge of the round (covers its model calls). */
  credits: number;
  requested_by: string;
  created_at: number;
  finished_at: number | null;
}

/** What one transaction appended to one room's history (migration 0007, store/events.ts). */
export interface HistoryTable {
  id: Generated<number>;
  workspace_id: string;
  workroom_id: string;
  first_seq: number;
  last_seq: number;
  /** The event's type and actor when the row holds one event; null when it holds several. */
  type: string | null;
  actor: string | null;
  /** Sealed: the event's data, or the array of the row's `[type, actor, data]`. */
  data: string;
  at: number;
}

export interface ModelCallTable {
  id: string;
  workspace_id: string;
  workroom_id: string;
  step_id: string | null;
  task_id: string | null;
  agent_id: string | null;
  model: string;
  purpose: string;
  input_tokens: number;
  output_tokens: number;
  cached_tokens: number;
  credits: number;
  /** 0 when covered by a revision round's flat charge: recorded, not charged again. */
  charged: number;
  latency_ms: number;
  at: number;
}

export interface LedgerTable {
  id: Generated<number>;
  workspace_id: string;
  workroom_id: string | null;
  kind: string;
  allowance_delta: number;
  topup_delta: number;
  idempotency_key: string;
  note: string;
  at: number;
}

/** A Style Memory extraction's draft, by its ledger key, kept a day for a retried request. */
export interface WorkroomRequestTable {
  /** `<workspace>:<idempotency key>`. */
  id: string;
  workspace_id: string;
  /** SHA-256 of the parsed request: the same key with another request is refused. */
  fingerprint: string;
  /** The room the request made (set in the same transaction). */
  workroom_id: string | null;
  created_at: number;
}

export interface StyleDraftTable {
  id: string;
  workspace_id: string;
  agent_id: string;
  /** SHA-256 of the agent and the samples: the same key with other samples is another request. */
  fingerprint: string;
  /** Sealed JSON of the style rules. */
  draft: string;
  created_at: number;
}

/** Who changed what, outside the workroom histories: agents, credits, members, keys, settings. */
export interface AuditTable {
  id: Generated<number>;
  workspace_id: string;
  actor: string;
  action: string;
  target: string | null;
  data: string;
  at: number;
}

export interface UserTable {
  id: string;
  /** Lower case; unique across the installation. */
  email: string;
  name: string;
  /** scrypt, self-describing: `scrypt$N$r$p$salt$hash` (base64url). */
  password_hash: string;
  created_at: number;
  updated_at: number;
}

export interface MembershipTable {
  workspace_id: string;
  user_id: string;
  role: string;
  created_at: number;
}

export interface SessionTable {
  id: string;
  /** SHA-256 of the cookie token: the token itself is never stored. */
  token_hash: string;
  user_id: string;
  /** The workspace the session acts in (the workspace switcher changes it). */
  workspace_id: string | null;
  csrf_token: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
}

export interface InviteTable {
  id: string;
  workspace_id: string;
  email: string;
  role: string;
  token_hash: string;
  invited_by: string;
  created_at: number;
  expires_at: number;
  accepted_at: number | null;
  accepted_by: string | null;
  revoked_at: number | null;
}

export interface LoginThrottleTable {
  key: string;
  window_start: number;
  failures: number;
  locked_until: number | null;
}

export interface ApiKeyTable {
  id: string;
  workspace_id: string;
  /** The member who issued it: the key acts with that member's current role. */
  user_id: string;
  name: string;
  /** The visible start of the key, e.g. `atk_3f9q2x`. */
  prefix: string;
  /** SHA-256 of the whole key. */
  key_hash: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface WebhookTable {
  id: string;
  workspace_id: string;
  name: string;
  url: string;
  /** generic | slack | custom */
  format: string;
  /** The body template of a custom webhook. */
  template: string | null;
  /** JSON array of event types. */
  events: string;
  /** Sealed signing secret. */
  secret: string;
  active: number;
  created_by: string;
  created_at: number;
  updated_at: number;
}

export interface WebhookDeliveryTable {
  id: string;
  workspace_id: string;
  webhook_id: string;
  event_type: string;
  event_key: string;
  payload: string;
  /** pending → delivered | failed */
  status: string;
  attempts: number;
  next_attempt_at: number;
  lease_expires_at: number | null;
  last_status_code: number | null;
  last_response: string | null;
  last_error: string | null;
  created_at: number;
  delivered_at: number | null;
}

/** One row (`id = "main"`): installation-wide facts. */
export interface InstallationTable {
  id: string;
  /** A constant sealed under the master key the database was first opened with. */
  key_check: string;
}

export interface Database {
  workspaces: WorkspaceTable;
  agents: AgentTable;
  workrooms: WorkroomTable;
  workroom_agents: WorkroomAgentTable;
  inputs: InputTable;
  plans: PlanTable;
  tasks: TaskTable;
  steps: StepTable;
  drafts: DraftTable;
  revisions: RevisionTable;
  history: HistoryTable;
  model_calls: ModelCallTable;
  ledger: LedgerTable;
  audit_log: AuditTable;
  users: UserTable;
  memberships: MembershipTable;
  sessions: SessionTable;
  invites: InviteTable;
  login_throttle: LoginThrottleTable;
  api_keys: ApiKeyTable;
  webhooks: WebhookTable;
  webhook_deliveries: WebhookDeliveryTable;
  style_drafts: StyleDraftTable;
  workroom_requests: WorkroomRequestTable;
  installation: InstallationTable;
}
