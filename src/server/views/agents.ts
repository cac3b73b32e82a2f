// The wire shapes of custom agents and their Style Memory (SPEC 3). Request bodies are the domain's
// own schemas (AgentInputSchema, StyleRulesSchema); these are the responses and the extraction
// request, whose samples the use case receives as plain text.
import { z } from "zod";
import type { Agent } from "../../domain/types.js";
import { ContextGrantsSchema } from "../../domain/types.js";
import { StyleRulesSchema, type StyleRules } from "../../domain/style.js";
import { MAX_STYLE_SAMPLES } from "../../app/agents.js";

/** The seven Style Memory fields, named once for the OpenAPI document. */
export const StyleRulesView = StyleRulesSchema.meta({
  id: "StyleRules",
  description:
    "Style Memory: every Composer and agent prompt receives these seven fields verbatim. Absent fields take their defaults.",
});

export const AgentSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    icon: z.string(),
    color: z.string().meta({ description: "Hex colour, e.g. #6366f1." }),
    role_description: z.string(),
    system_prompt: z.string(),
    model: z.string().nullable().meta({ description: "Null: the workspace default model." }),
    temperature: z.number(),
    tool_grants: z.array(z.string()),
    context_grants: ContextGrantsSchema,
    style_rules: StyleRulesView.nullable().meta({
      description: "Null until Style Memory is extracted or saved.",
    }),
    archived_at: z.iso.datetime().nullable(),
  })
  .meta({ id: "Agent" });

export const AgentListSchema = z.object({ agents: z.array(AgentSchema) }).meta({ id: "AgentList" });

export const StyleMemorySchema = z
  .object({ agent_id: z.string(), style_rules: StyleRulesView.nullable() })
  .meta({ id: "StyleMemory" });

/** Longest sample in characters (the same bound as one pasted input). */
export const MAX_SAMPLE_CHARS = 100_000;

export const StyleSampleSchema = z.object({
  label: z
    .string()
    .trim()
    .max(200)
    .optional()
    .meta({ description: "For your own reference (e.g. the file name); not sent to the model." }),
  content: z.string().trim().min(1, "a sample needs some text").max(MAX_SAMPLE_CHARS),
});

export const ExtractStyleRequestSchema = z
  .object({
    samples: z
      .array(StyleSampleSchema)
      .min(1, "send at least one sample")
      .max(MAX_STYLE_SAMPLES, `send at most ${MAX_STYLE_SAMPLES} samples`),
  })
  .meta({
    id: "ExtractStyleRequest",
    description: `1–${MAX_STYLE_SAMPLES} writing samples as JSON text. To send files (.txt, .md, .docx, .pdf; one file per sample), use POST /api/v1/agents/{id}/style/extract/uploads.`,
  });

export const ExtractedStyleSchema = z
  .object({
    style_rules: StyleRulesView.meta({ description: "A draft: edit it, then save it with PUT." }),
    credits_charged: z.number().int().meta({
      description:
        "What the extraction costs; a retry with the same Idempotency-Key is not charged again.",
    }),
  })
  .meta({ id: "ExtractedStyle" });

export const CopyAgentRequestSchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1)
      .max(80)
      .optional()
      .meta({ description: "Default: the original's name with (copy)." }),
  })
  .meta({ id: "CopyAgentRequest" });

export const CopyStyleRequestSchema = z
  .object({ to_agent_id: z.string().min(1) })
  .meta({ id: "CopyStyleRequest" });

export const toAgentView = (a: Agent): z.input<typeof AgentSchema> => ({
  id: a.id,
  name: a.name,
  icon: a.icon,
  color: a.color,
  role_description: a.roleDescription,
  system_prompt: a.systemPrompt,
  model: a.model,
  temperature: a.temperature,
  tool_grants: a.toolGrants,
  context_grants: a.contextGrants,
  style_rules: a.styleRules,
  archived_at: a.archivedAt === null ? null : new Date(a.archivedAt).toISOString(),
});

export const toStyleMemoryView = (a: Agent): z.input<typeof StyleMemorySchema> => ({
  agent_id: a.id,
  style_rules: a.styleRules as StyleRules | null,
});
