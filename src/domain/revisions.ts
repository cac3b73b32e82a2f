// Revision presets (SPEC 4): a table of slugs with argument schemas, and the pure parts of applying
// a revision: which sections a request targets and how a draft is rebuilt so that untouched
// sections stay byte-identical.
import { z } from "zod";
import { err, ok, type Result } from "./errors.js";
import type { Document, Section } from "./document.js";

export const REVISION_SOURCES = ["internal", "client_feedback"] as const;
export type RevisionSource = (typeof REVISION_SOURCES)[number];

const text = (max: number) => z.string().trim().min(1).max(max);
const target = text(300).optional().describe("a section number (1-based) or title");

/** What a preset does: rewrite sections, add one, or remove one (no model call needed). */
export const PRESET_ACTIONS = ["rewrite", "add", "remove"] as const;
export type PresetAction = (typeof PRESET_ACTIONS)[number];

export interface Preset {
  slug: string;
  label: string;
  action: PresetAction;
  /** How the instruction to the Composer is phrased from the arguments. */
  instruction: (args: Record<string, string>) => string;
  args: z.ZodObject<Record<string, z.ZodType<string | undefined>>>;
}

export const BUILTIN_PRESETS: readonly Preset[] = [
  {
    slug: "tighten",
    label: "Tighten",
    action: "rewrite",
    args: z.object({ instruction: text(2000), target_section: target }),
    instruction: (a) =>
      `Tighten the text: make it shorter and crisper without losing substance. ${a.instruction}`,
  },
  {
    slug: "expand",
    label: "Expand",
    action: "rewrite",
    args: z.object({ instruction: text(2000), target_section: target }),
    instruction: (a) =>
      `Expand the text with more useful detail drawn from the material. ${a.instruction}`,
  },
  {
    slug: "change_tone",
    label: "Change tone",
    action: "rewrite",
    args: z.object({ instruction: text(2000) }),
    instruction: (a) => `Change the tone of the whole document: ${a.instruction}`,
  },
  {
    slug: "add_section",
    label: "Add a section",
    action: "add",
    args: z.object({ section_title: text(300), instruction: text(2000), after_section: target }),
    instruction: (a) => `Write a new section titled "${a.section_title}": ${a.instruction}`,
  },
  {
    slug: "remove_section",
    label: "Remove a section",
    action: "remove",
    args: z.object({ target_section: text(300) }),
    instruction: (a) => `Remove the section ${a.target_section}.`,
  },
  {
    slug: "client_feedback",
    label: "Client feedback",
    action: "rewrite",
    args: z.object({ feedback: text(5000), target_section: target }),
    instruction: (a) =>
      `The client sent this feedback; revise to address it faithfully: ${a.feedback}`,
  },
  {
    slug: "custom_instruction",
    label: "Custom instruction",
    action: "rewrite",
    args: z.object({ instruction: text(5000), target_section: target }),
    instruction: (a) => a.instruction!,
  },
];

/** A preset an admin adds to the workspace: its instruction is a template over its arguments. */
export const CustomPresetSchema = z.object({
  slug: z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, "lower-case letters, digits and _"),
  label: z.string().trim().min(1).max(80),
  action: z.enum(["rewrite", "add"]),
  /** e.g. "Rewrite for legal clarity, focusing on {focus}." — `{name}` is replaced by the argument. */
  instruction: z.string().trim().min(1).max(2000),
  args: z
    .array(
      z.object({
        name: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/),
        required: z.boolean().default(true),
      }),
    )
    .max(10)
    .default([]),
});
export type CustomPreset = z.infer<typeof CustomPresetSchema>;

/** The Preset a custom definition describes (add presets always take section_title). */
export function presetFromCustom(def: CustomPreset): Preset {
  const shape: Record<string, z.ZodType<string | undefined>> = {};
  for (const a of def.args) shape[a.name] = a.required ? text(5000) : text(5000).optional();
  if (def.action === "add") {
    shape.section_title = text(300);
    shape.after_section ??= target;
  } else shape.target_section ??= target;
  return {
    slug: def.slug,
    label: def.label,
    action: def.action,
    args: z.object(shape),
    instruction: (args) =>
      def.instruction.replace(/\{(\w+)\}/g, (_, name: string) => args[name] ?? ""),
  };
}

/** A built-in preset by slug, else one of the workspace's own. */
export function findPreset(slug: string, custom: readonly CustomPreset[] = []): Preset | undefined {
  const builtin = BUILTIN_PRESETS.find((p) => p.slug === slug);
  if (builtin) return builtin;
  const def = custom.find((c) => c.slug === slug);
  return def && presetFromCustom(def);
}

/** One problem with a preset's arguments in words: a missing one is named as required. */
function argIssue(i: { path: PropertyKey[]; code: string; message: string }): string {
  const name = i.path.map(String).join(".") || "args";
  return i.code === "invalid_type" && /received undefined$/.test(i.message)
    ? `${name} is required`
    : `${name}: ${i.message}`;
}

/** Validates a preset's arguments; the error lists every problem. */
export function parsePresetArgs(preset: Preset, args: unknown): Result<Record<string, string>> {
  // Strict: an argument the preset does not take is refused, not silently dropped.
  const parsed = preset.args.strict().safeParse(args ?? {});
  if (!parsed.success)
    return err(
      "invalid_input",
      `Arguments of preset "${preset.slug}" are invalid: ${parsed.error.issues.map(argIssue).join("; ")} (it takes ${Object.keys(preset.args.shape).join(", ")})`,
    );
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed.data)) if (typeof v === "string") clean[k] = v;
  return ok(clean);
}

/** Resolves "2" or "Pricing" to a 0-based section index of the draft. */
export function resolveSection(doc: Document, ref: string): Result<number> {
  const trimmed = ref.trim();
  if (/^\d+$/.test(trimmed)) {
    const n = Number(trimmed);
    if (n >= 1 && n <= doc.sections.length) return ok(n - 1);
    return err(
      "invalid_input",
      `Section ${n} does not exist; the draft has sections 1 to ${doc.sections.length}.`,
    );
  }
  const wanted = trimmed.toLowerCase();
  const exact = doc.sections.findIndex((s) => s.title.trim().toLowerCase() === wanted);
  if (exact >= 0) return ok(exact);
  const partial = doc.sections
    .map((s, i) => [s, i] as const)
    .filter(([s]) => s.title.toLowerCase().includes(wanted));
  if (partial.length === 1) return ok(partial[0]![1]);
  return err(
    "invalid_input",
    `No single section matches "${ref}". Sections: ${doc.sections.map((s, i) => `${i + 1}. ${s.title}`).join("; ")}.`,
  );
}

/** What the revision step must produce: whole document, some sections, or nothing (removal). */
export type RevisionPlan =
  | { kind: "whole" }
  | { kind: "sections"; indexes: number[] }
  | { kind: "insert"; at: number; title: string }
  | { kind: "remove"; index: number };

export function planRevision(
  doc: Document,
  preset: Pick<Preset, "action">,
  args: Record<string, string>,
): Result<RevisionPlan> {
  switch (preset.action) {
    case "remove": {
      const i = resolveSection(doc, args.target_section ?? "");
      if (!i.ok) return i;
      if (doc.sections.length === 1)
        return err("invalid_input", "The draft has only one section; it cannot be removed.");
      return ok({ kind: "remove", index: i.value });
    }
    case "add": {
      const title = args.section_title!.trim().toLowerCase();
      const same = doc.sections.findIndex((s) => s.title.trim().toLowerCase() === title);
      if (same >= 0)
        return err(
          "invalid_input",
          `The draft already has a section "${doc.sections[same]!.title}" (section ${same + 1}); give the new one another title, or revise that section.`,
        );
      if (args.after_section === undefined)
        return ok({ kind: "insert", at: doc.sections.length, title: args.section_title! });
      const i = resolveSection(doc, args.after_section);
      return i.ok ? ok({ kind: "insert", at: i.value + 1, title: args.section_title! }) : i;
    }
    case "rewrite": {
      if (args.target_section === undefined) return ok({ kind: "whole" });
      const i = resolveSection(doc, args.target_section);
      return i.ok ? ok({ kind: "sections", indexes: [i.value] }) : i;
    }
  }
}

/** Rebuilds the draft: untouched sections are the very same objects, so they serialise identically. */
export function applyRevision(
  doc: Document,
  plan: RevisionPlan,
  produced: { document?: Document; sections?: Section[] },
): Document {
  switch (plan.kind) {
    case "whole":
      return produced.document!;
    case "sections": {
      const sections = [...doc.sections];
      plan.indexes.forEach((idx, k) => (sections[idx] = produced.sections![k]!));
      return { ...doc, sections };
    }
    case "insert":
      return {
        ...doc,
        sections: [
          ...doc.sections.slice(0, plan.at),
          produced.sections![0]!,
          ...doc.sections.slice(plan.at),
        ],
      };
    case "remove":
      return { ...doc, sections: doc.sections.filter((_, i) => i !== plan.index) };
  }
}
