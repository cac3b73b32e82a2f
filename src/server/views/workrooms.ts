// Workrooms on the wire: the room, its tasks, inputs and history events, snake_case with ISO
// times. The schemas are the OpenAPI components; the `to…View` mappers turn use-case results into
// them.
import { z } from "zod";
import type { Estimate } from "../../domain/estimate.js";
import { INPUT_KINDS } from "../../domain/inputs.js";
import { TASK_STATUSES, TASK_TYPES } from "../../domain/plan.js";
import { BOT_TYPES, PasteFlagsSchema } from "../../domain/types.js";
import type { HistoryEvent, Task, Workroom } from "../../domain/types.js";
import { PAUSE_REASONS, RUNNING_STATES, WORKROOM_STATES } from "../../domain/workroom.js";
import type { RoomPage, WorkroomDetail } from "../../app/workrooms.js";
import type { DraftEstimate } from "../../app/credits.js";

type In<S extends z.ZodType> = z.input<S>;
export const iso = (ms: number): string => new Date(ms).toISOString();
const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));
const time = z.iso.datetime();

export const WorkroomSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    client: z.string().nullable(),
    goal: z.string(),
    deliverables: z.array(z.string()),
    deadline: z.string().nullable().meta({ description: "YYYY-MM-DD" }),
    max_credits: z
      .number()
      .int()
      .nullable()
      .meta({ description: "The hard credit cap; null: none." }),
    paste_flags: PasteFlagsSchema,
    style_override: z.string().nullable(),
    review_plan: z.boolean(),
    state: z.enum(WORKROOM_STATES),
    paused_from: z.enum(RUNNING_STATES).nullable(),
    pause_reason: z.enum(PAUSE_REASONS).nullable(),
    resume_at: time.nullable().meta({
      description:
        "While the room is paused for the model provider's rate limit (`pause_reason: rate_limited`): when it resumes by itself, the provider's wait being over. Null otherwise: any other pause waits for a person.",
    }),
    failure_reason: z.string().nullable(),
    current_round: z.number().int().meta({
      description:
        "The round last started: the one being written while a revision is in flight, else the latest finished one, or a failed round after it (its number is not used again).",
    }),
    final_round: z.number().int().meta({ description: "The round of the latest finished draft." }),
    revision_in_flight: z.boolean(),
    credits_spent: z.number().int(),
    hours_saved: z.number().nullable(),
    created_by: z.string(),
    created_at: time,
    updated_at: time,
    completed_at: time.nullable(),
  })
  .meta({ id: "Workroom" });

export const toWorkroomView = (r: Workroom): In<typeof WorkroomSchema> => ({
  id: r.id,
  title: r.title,
  client: r.client,
  goal: r.goal,
  deliverables: r.deliverables,
  deadline: r.deadline,
  max_credits: r.maxCredits,
  paste_flags: r.pasteFlags,
  style_override: r.styleOverride,
  review_plan: r.reviewPlan,
  state: r.state,
  paused_from: r.pausedFrom,
  pause_reason: r.pauseReason,
  resume_at: isoOrNull(r.resumeAt),
  failure_reason: r.failureReason,
  current_round: r.currentRound,
  final_round: r.finalRound,
  revision_in_flight: r.revisionInFlight,
  credits_spent: r.creditsSpent,
  hours_saved: r.hoursSaved,
  created_by: r.createdBy,
  created_at: iso(r.createdAt),
  updated_at: iso(r.updatedAt),
  completed_at: isoOrNull(r.completedAt),
});

export const WorkroomPageSchema = z
  .object({
    items: z.array(WorkroomSchema),
    next_cursor: z
      .string()
      .nullable()
      .meta({ description: "Pass as `cursor` for the next page; null on the last page." }),
  })
  .meta({ id: "WorkroomPage" });

export const toWorkroomPageView = (p: RoomPage): In<typeof WorkroomPageSchema> => ({
  items: p.rooms.map(toWorkroomView),
  next_cursor: p.nextCursor,
});

export const TaskSchema = z
  .object({
    id: z.string(),
    ordinal: z.number().int(),
    title: z.string(),
    description: z.string(),
    type: z.enum(TASK_TYPES),
    status: z.enum(TASK_STATUSES),
    agent_id: z.string().nullable(),
    depends_on: z.array(z.number().int()),
    estimated_seconds: z.number(),
    question: z.string().nullable().meta({ description: "What a user_input task asks." }),
    tool: z.string().nullable().meta({ description: "The tool a tool_call task runs." }),
    output: z.string().nullable(),
    error: z.string().nullable(),
    run: z
      .number()
      .int()
      .meta({ description: "1 on the first run; one more each time a rejection re-ran it." }),
    credits: z.number().int(),
    started_at: time.nullable(),
    finished_at: time.nullable(),
  })
  .meta({ id: "Task" });

export const toTaskView = (t: Task): In<typeof TaskSchema> => ({
  id: t.id,
  ordinal: t.ordinal,
  title: t.title,
  description: t.description,
  type: t.type,
  status: t.status,
  agent_id: t.agentId,
  depends_on: t.dependsOn,
  estimated_seconds: t.estimatedSeconds,
  question: t.spec.question ?? null,
  tool: t.spec.tool ?? null,
  output: t.output,
  error: t.error,
  run: t.run + 1, // the store counts the reruns
  credits: t.credits,
  started_at: isoOrNull(t.startedAt),
  finished_at: isoOrNull(t.finishedAt),
});

export const WorkroomDetailSchema = WorkroomSchema.extend({
  tasks: z.array(TaskSchema).meta({ description: "The tasks of the current plan, in order." }),
  rounds: z
    .array(z.object({ round: z.number().int(), created_at: time }))
    .meta({ description: "Finished drafts, oldest first (GET …/drafts/{round})." }),
  inputs: z
    .array(
      z.object({
        kind: z.enum(INPUT_KINDS),
        label: z.string().nullable(),
        bytes: z.number().int(),
      }),
    )
    .meta({ description: "The paste blocks, without their text." }),
  agents: z.array(z.object({ id: z.string(), name: z.string(), bot_type: z.enum(BOT_TYPES) })),
}).meta({ id: "WorkroomDetail" });

export const toWorkroomDetailView = (d: WorkroomDetail): In<typeof WorkroomDetailSchema> => ({
  ...toWorkroomView(d.room),
  tasks: d.tasks.map(toTaskView),
  rounds: d.rounds.map((r) => ({ round: r.round, created_at: iso(r.createdAt) })),
  inputs: d.inputs,
  agents: d.agents.map((a) => ({ id: a.id, name: a.name, bot_type: a.botType })),
});

export const EstimateSchema = z
  .object({
    low: z.number().int(),
    expected: z.number().int(),
    high: z.number().int(),
    calls: z.number().int().meta({ description: "Model calls the estimate counts." }),
    max_credits: z.number().int().nullable(),
    exceeds_cap: z.boolean(),
  })
  .meta({ id: "Estimate" });

export const toEstimateView = (
  e: Estimate & { maxCredits: number | null; exceedsCap: boolean },
): In<typeof EstimateSchema> => ({
  low: e.low,
  expected: e.expected,
  high: e.high,
  calls: e.calls,
  max_credits: e.maxCredits,
  exceeds_cap: e.exceedsCap,
});

export const DraftEstimateSchema = EstimateSchema.extend({
  balance: z.number().int().meta({ description: "The workspace's credit balance now." }),
  exceeds_balance: z
    .boolean()
    .meta({ description: "The expected cost is above the balance: the room would pause." }),
}).meta({ id: "DraftEstimate" });

export const toDraftEstimateView = (e: DraftEstimate): In<typeof DraftEstimateSchema> => ({
  ...toEstimateView(e),
  balance: e.balance,
  exceeds_balance: e.exceedsBalance,
});

/** One history event; the live streams send the same shape. */
export const HistoryEventSchema = z
  .object({
    seq: z.number().int().meta({ description: "Gapless per room, from 1." }),
    type: z.string().meta({ description: "e.g. state.changed, task.succeeded, model.call" }),
    actor: z.string(),
    at: time,
    data: z.record(z.string(), z.unknown()),
  })
  .meta({ id: "HistoryEvent" });

export const toEventView = (e: HistoryEvent): In<typeof HistoryEventSchema> => ({
  seq: e.seq,
  type: e.type,
  actor: e.actor,
  at: iso(e.at),
  data: e.data,
});

export const HistoryPageSchema = z
  .object({
    events: z.array(HistoryEventSchema),
    next_after: z
      .number()
      .int()
      .meta({ description: "Pass as `after` for the next page (the last seq returned)." }),
    has_more: z.boolean(),
  })
  .meta({ id: "HistoryPage" });
