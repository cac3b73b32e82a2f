// Revisions, drafts, diffs and presets on the wire. A draft carries the document model (what the
// web app renders and edits) and its Markdown (for quick previews); a preset carries its
// arguments as JSON Schema so a client can build the revision form without knowing the table.
import { z } from "zod";
import type { DraftDiff } from "../../domain/diff.js";
import { DocumentSchema, ListSchema } from "../../domain/document.js";
import { REVISION_SOURCES } from "../../domain/revisions.js";
import type { Draft } from "../../domain/types.js";
import type { PresetListing } from "../../app/revisions.js";
import type { Revision } from "../../store/revisions.js";
import { renderMarkdown } from "../../export/markdown.js";
import { iso } from "./workrooms.js";

type In<S extends z.ZodType> = z.input<S>;
const time = z.iso.datetime();

export const RevisionSchema = z
  .object({
    id: z.string(),
    round: z.number().int(),
    preset_slug: z.string(),
    action: z.enum(["rewrite", "add", "remove"]),
    instruction: z.string().meta({ description: "What the Composer was asked to do." }),
    args: z.record(z.string(), z.string()),
    source: z.enum(REVISION_SOURCES),
    status: z.enum(["running", "completed", "failed"]),
    error: z.string().nullable(),
    credits: z.number().int().meta({
      description:
        "What the round costs: charged when it starts; 0 once it has failed, its charge refunded (the ledger shows the charge and the refund).",
    }),
    refunded: z.boolean().meta({
      description: "The round failed and its charge was given back; `credits` is then 0.",
    }),
    requested_by: z.string(),
    created_at: time,
    finished_at: time.nullable(),
  })
  .meta({ id: "Revision" });

export const toRevisionView = (r: Revision): In<typeof RevisionSchema> => ({
  id: r.id,
  round: r.round,
  preset_slug: r.presetSlug,
  action: r.action,
  instruction: r.instruction,
  args: r.args,
  source: r.source,
  status: r.status,
  error: r.error,
  // A failed round is refunded in the same transaction that marks it failed (engine/commit.ts).
  credits: r.status === "failed" ? 0 : r.credits,
  refunded: r.status === "failed",
  requested_by: r.requestedBy,
  created_at: iso(r.createdAt),
  finished_at: r.finishedAt === null ? null : iso(r.finishedAt),
});

export const RevisionListSchema = z
  .object({
    revisions: z.array(RevisionSchema),
    next_round_credits: z.number().int().meta({
      description:
        "What the next revision round costs, charged when it starts: max(5, ceil(base × 0.4)), base being the credits of the room's original run.",
    }),
  })
  .meta({ id: "RevisionList" });

// The list schema is recursive (nested lists), so the document generator must give it a name to
// refer to; without one it would be called "schema0".
if (!z.globalRegistry.has(ListSchema)) z.globalRegistry.add(ListSchema, { id: "DocumentList" });

export const DraftSchema = z
  .object({
    round: z.number().int(),
    created_at: time,
    document: DocumentSchema,
    markdown: z.string().meta({ description: "The same draft as Markdown, for previews." }),
  })
  .meta({ id: "Draft" });

export const toDraftView = (d: Draft): In<typeof DraftSchema> => ({
  round: d.round,
  created_at: iso(d.createdAt),
  document: d.document,
  markdown: renderMarkdown(d.document),
});

const WordChangeSchema = z.object({
  kind: z.enum(["same", "added", "removed"]),
  text: z.string(),
});

export const DiffSchema = z
  .object({
    from: z.number().int(),
    to: z.number().int(),
    title_changed: z.boolean(),
    sections: z.array(
      z.discriminatedUnion("kind", [
        z.object({ kind: z.literal("unchanged"), title: z.string() }),
        z.object({ kind: z.literal("added"), title: z.string(), text: z.string() }),
        z.object({ kind: z.literal("removed"), title: z.string(), text: z.string() }),
        z.object({
          kind: z.literal("changed"),
          title: z.string(),
          changes: z.array(WordChangeSchema).meta({ description: "Word-level runs, in order." }),
        }),
      ]),
    ),
  })
  .meta({ id: "DraftDiff" });

export const toDiffView = (d: DraftDiff): In<typeof DiffSchema> => ({
  from: d.from,
  to: d.to,
  title_changed: d.titleChanged,
  sections: d.sections,
});

export const PresetSchema = z
  .object({
    slug: z.string(),
    label: z.string(),
    action: z.enum(["rewrite", "add", "remove"]),
    builtin: z.boolean(),
    args_schema: z
      .record(z.string(), z.unknown())
      .meta({ description: "JSON Schema of preset_args (an object of strings)." }),
    instruction_template: z.string().nullable().meta({
      description:
        "A workspace preset's instruction, with {arg} placeholders: the `instruction` it was added with.",
    }),
  })
  .meta({ id: "RevisionPreset" });

export const PresetListSchema = z
  .object({ presets: z.array(PresetSchema) })
  .meta({ id: "RevisionPresetList" });

export function toPresetView(p: PresetListing): In<typeof PresetSchema> {
  const { $schema: _drop, ...schema } = z.toJSONSchema(p.preset.args, { io: "input" });
  return {
    slug: p.preset.slug,
    label: p.preset.label,
    action: p.preset.action,
    builtin: p.builtin,
    args_schema: schema,
    instruction_template: p.definition?.instruction ?? null,
  };
}
