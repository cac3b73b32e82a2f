// The composed document: one model rendered to Markdown, .docx and .pdf. Sections are the unit of
// targeted revisions (section n = sections[n-1]); headings inside a section are levels 2 and 3.
import { z } from "zod";

export const InlineSchema = z.object({
  text: z.string(),
  bold: z.boolean().optional(),
  italic: z.boolean().optional(),
  link: z.string().url().optional(),
});
export type Inline = z.infer<typeof InlineSchema>;

export interface ListItem {
  inlines: Inline[];
  children?: List | undefined;
}
export interface List {
  type: "list";
  ordered: boolean;
  items: ListItem[];
}

export const ListSchema: z.ZodType<List> = z.lazy(() =>
  z.object({
    type: z.literal("list"),
    ordered: z.boolean(),
    items: z
      .array(z.object({ inlines: z.array(InlineSchema), children: ListSchema.optional() }))
      .min(1),
  }),
);

export const BlockSchema = z.union([
  z.object({
    type: z.literal("heading"),
    level: z.literal([2, 3]),
    text: z.string().min(1),
  }),
  z.object({ type: z.literal("paragraph"), inlines: z.array(InlineSchema).min(1) }),
  ListSchema,
  z.object({
    type: z.literal("table"),
    header: z.array(z.string()).min(1),
    rows: z.array(z.array(z.string())),
  }),
  z.object({ type: z.literal("quote"), inlines: z.array(InlineSchema).min(1) }),
  z.object({ type: z.literal("page_break") }),
]);
export type Block = z.infer<typeof BlockSchema>;

export const SectionSchema = z.object({
  title: z.string().min(1).max(300),
  blocks: z.array(BlockSchema),
});
export type Section = z.infer<typeof SectionSchema>;

export const DocumentSchema = z.object({
  title: z.string().min(1).max(300),
  subtitle: z.string().max(300).optional(),
  sections: z.array(SectionSchema).min(1),
});
export type Document = z.infer<typeof DocumentSchema>;

/** Plain text of inline runs. */
export const inlineText = (inlines: readonly Inline[]): string =>
  inlines.map((i) => i.text).join("");

/** A paragraph block from plain text; the common case when agents write prose. */
export const paragraph = (text: string): Block => ({ type: "paragraph", inlines: [{ text }] });

/** The plain text of a section's blocks, in reading order. */
export function sectionText(section: Section): string {
  const listText = (l: List): string[] =>
    l.items.flatMap((i) => [inlineText(i.inlines), ...(i.children ? listText(i.children) : [])]);
  const parts = [section.title];
  for (const b of section.blocks) {
    if (b.type === "heading") parts.push(b.text);
    else if (b.type === "paragraph" || b.type === "quote") parts.push(inlineText(b.inlines));
    else if (b.type === "list") parts.push(...listText(b));
    else if (b.type === "table") parts.push(...[b.header, ...b.rows].map((r) => r.join(" | ")));
  }
  return parts.join("\n");
}

/** The plain text of a whole document (title, subtitle, sections). */
export function documentText(doc: Document): string {
  return [doc.title, doc.subtitle ?? "", ...doc.sections.map(sectionText)]
    .filter(Boolean)
    .join("\n\n");
}

/** Word count of a document: the basis of the hours-saved estimate. */
export function wordCount(doc: Document): number {
  return documentText(doc).split(/\s+/).filter(Boolean).length;
}
