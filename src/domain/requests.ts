// The shapes of requests that cross a boundary (API, CLI, web), validated once with zod.
import { z } from "zod";
import { InputBlockSchema } from "./inputs.js";
import { ModelNameSchema } from "./model-names.js";
import { ContextGrantsSchema, PasteFlagsSchema } from "./types.js";
import { REVISION_SOURCES } from "./revisions.js";

export const CreateWorkroomSchema = z.object({
  title: z.string().trim().min(1, "a workroom needs a title").max(200),
  client: z.string().trim().max(200).optional(),
  goal: z.string().trim().max(4000).optional(),
  deliverables: z
    .array(z.string().trim().min(1).max(200))
    .min(1, "name at least one deliverable")
    .max(10),
  deadline: z.iso.date().optional(),
  max_credits: z.number().int().positive().optional(),
  paste_flags: PasteFlagsSchema.default({ redact_pii: false, local_models_only: false }),
  style_override: z.string().trim().max(4000).optional(),
  review_plan: z.boolean().default(false),
  /** Custom agents to attach; the Planner and Composer are always attached. */
  agent_ids: z.array(z.string()).max(20).default([]),
  inputs: z.array(InputBlockSchema).default([]),
});
export type CreateWorkroomRequest = z.input<typeof CreateWorkroomSchema>;

export const RevisionRequestSchema = z.object({
  preset_slug: z.string().min(1),
  preset_args: z.record(z.string(), z.string()).default({}),
  source: z.enum(REVISION_SOURCES).default("internal"),
});
export type RevisionRequest = z.input<typeof RevisionRequestSchema>;

/** Parses with a schema and turns zod issues into one readable DomainError message. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join(".") || "request"}: ${i.message}`).join("; ");
}

const HEX = /^#[0-9a-fA-F]{6}$/;

/** A custom agent as people write it (SPEC 3). */
export const AgentInputSchema = z.object({
  name: z.string().trim().min(1, "an agent needs a name").max(80),
  icon: z.string().trim().min(1).max(40).default("sparkles"),
  color: z.string().regex(HEX, "colour is a hex value like #6366f1").default("#6366f1"),
  role_description: z.string().trim().max(1000).default(""),
  system_prompt: z.string().max(20_000).default(""),
  /** `provider:model`; null uses the workspace default. */
  model: ModelNameSchema.nullable().default(null),
  temperature: z.number().min(0).max(2).default(0.5),
  tool_grants: z.array(z.string().min(1)).max(50).default([]),
  context_grants: ContextGrantsSchema.default({ input_kinds: "all", task_outputs: "dependencies" }),
});
export type AgentInput = z.input<typeof AgentInputSchema>;
/** A change to an agent: the fields sent, without defaults (an absent field stays as it is). */
const agentField = AgentInputSchema.shape;
export const AgentPatchSchema = z.object({
  name: agentField.name.optional(),
  icon: agentField.icon.unwrap().optional(),
  color: agentField.color.unwrap().optional(),
  role_description: agentField.role_description.unwrap().optional(),
  system_prompt: agentField.system_prompt.unwrap().optional(),
  model: agentField.model.unwrap().optional(),
  temperature: agentField.temperature.unwrap().optional(),
  tool_grants: agentField.tool_grants.unwrap().optional(),
  context_grants: agentField.context_grants.unwrap().optional(),
});
