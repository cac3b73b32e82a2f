// What a row of a workspace archive must be for the restore to take it: by table, the values the
// domain allows (states, roles, kinds, documents, with the domain's own lists and zod schemas).
// The database takes any text in these columns, and the code that reads them back trusts what
// its writers wrote: a room in a state no writer knows made the room list answer 500 for
// everyone. Columns a reader does not interpret (names, texts, times) are only typed.
import { z } from "zod";
import { DocumentSchema } from "../domain/document.js";
import { INPUT_KINDS } from "../domain/inputs.js";
import { TASK_STATUSES, TASK_TYPES } from "../domain/plan.js";
import { PRESET_ACTIONS, REVISION_SOURCES } from "../domain/revisions.js";
import { PLAN_NAMES, ROLES } from "../domain/roles.js";
import { StyleRulesSchema } from "../domain/style.js";
import { BOT_TYPES, ContextGrantsSchema, PasteFlagsSchema } from "../domain/types.js";
import { WEBHOOK_EVENTS, WEBHOOK_FORMATS } from "../domain/webhooks.js";
import { PAUSE_REASONS, RUNNING_STATES, WORKROOM_STATES } from "../domain/workroom.js";
import { LEDGER_KINDS } from "../store/ledger.js";
import { REVISION_STATUSES } from "../store/revisions.js";
import { DELIVERY_STATUSES } from "../store/webhook-deliveries.js";

const id = z.string().min(1);
const text = z.string();
const int = z.number().int();
const count = int.min(0);
const time = int;
const flag = z.union([z.literal(0), z.literal(1)]);
const object = z.record(z.string(), z.unknown());
/** Columns every row of the table has; others are the database's to check. */
const row = z.looseObject;

const workspace = row({
  id,
  name: z.string().min(1),
  plan: z.enum(PLAN_NAMES),
  default_model: text,
  planner_model: text.nullable(),
  monthly_allowance: count,
  allowance_credits: int,
  topup_credits: int,
  allowance_period: z.string().regex(/^\d{4}-\d{2}$/, "not a month such as 2026-11"),
});

const workroom = row({
  id,
  title: text,
  deliverables: z.array(text).min(1),
  max_credits: count.nullable(),
  paste_flags: PasteFlagsSchema,
  review_plan: flag,
  state: z.enum(WORKROOM_STATES),
  paused_from: z.enum(RUNNING_STATES).nullable(),
  pause_reason: z.enum(PAUSE_REASONS).nullable(),
  generation: count,
  current_round: count,
  final_round: count,
  revision_in_flight: flag,
  credits_spent: count,
  base_credits: count,
  event_seq: count,
  created_by: id,
  created_at: time,
}).refine((r) => r.state !== "paused" || r.paused_from !== null, {
  message: "a paused room says which state it was paused from (resume goes back to it)",
  path: ["paused_from"],
});

/** The columns each table's rows must have, as the domain allows them. */
export const ARCHIVED_ROWS: Readonly<Record<string, z.ZodType>> = {
  workspaces: workspace,
  agents: row({
    id,
    name: text,
    bot_type: z.enum(BOT_TYPES),
    temperature: z.number(),
    tool_grants: z.array(text),
    context_grants: ContextGrantsSchema,
    style_rules: StyleRulesSchema.nullable(),
  }),
  workrooms: workroom,
  workroom_agents: row({ workroom_id: id, agent_id: id }),
  inputs: row({ id, position: count, kind: z.enum(INPUT_KINDS), content: text }),
  plans: row({ id, generation: count, summary: text }),
  tasks: row({
    id,
    plan_id: id,
    generation: count,
    ordinal: int.min(1),
    title: text,
    type: z.enum(TASK_TYPES),
    depends_on: z.array(int.min(1)),
    spec: object,
    status: z.enum(TASK_STATUSES),
    output: text.nullable(),
    run: count,
    credits: count,
  }),
  drafts: row({ id, round: int.min(1), document: DocumentSchema }),
  revisions: row({
    id,
    round: int.min(1),
    preset_slug: id,
    action: z.enum(PRESET_ACTIONS),
    instruction: text,
    args: z.record(z.string(), text),
    source: z.enum(REVISION_SOURCES),
    status: z.enum(REVISION_STATUSES),
    credits: count,
    requested_by: id,
  }),
  history: row({ seq: int.min(1), type: id, actor: id, data: object, at: time }),
  model_calls: row({
    id,
    model: text,
    purpose: text,
    input_tokens: count,
    output_tokens: count,
    cached_tokens: count,
    credits: count,
    charged: flag,
  }),
  ledger: row({
    kind: z.enum(LEDGER_KINDS),
    allowance_delta: int,
    topup_delta: int,
    idempotency_key: id,
    note: text,
    at: time,
  }),
  audit_log: row({ actor: id, action: id, target: text.nullable(), data: object, at: time }),
  users: row({
    id,
    email: z.string().regex(/^[^@\s]+@[^@\s]+$/, "not an e-mail address"),
    name: text,
  }),
  memberships: row({ user_id: id, role: z.enum(ROLES) }),
  invites: row({
    id,
    email: text,
    role: z.enum(ROLES),
    invited_by: id,
    expires_at: time,
    accepted_at: time.nullable(),
    revoked_at: time.nullable(),
  }),
  api_keys: row({ id, user_id: id, name: text, prefix: text, revoked_at: time.nullable() }),
  webhooks: row({
    id,
    name: text,
    url: text,
    format: z.enum(WEBHOOK_FORMATS),
    template: text.nullable(),
    events: z.array(z.enum(WEBHOOK_EVENTS)),
    created_by: id,
  }),
  webhook_deliveries: row({
    id,
    webhook_id: id,
    event_type: id,
    payload: text,
    status: z.enum(DELIVERY_STATUSES),
    attempts: count,
  }),
};

/** Why `value`, a row of `table`, cannot be restored; undefined when it can. */
export function rowProblem(table: string, value: unknown): string | undefined {
  const schema = ARCHIVED_ROWS[table];
  if (!schema) return `${table} is not a table of a workspace`;
  const parsed = schema.safeParse(value);
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0]!;
  const where = issue.path.map(String).join(".");
  return where ? `${where}: ${issue.message}` : issue.message;
}
