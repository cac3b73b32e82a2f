// Export file naming (SPEC 6): `{slugified-title}-v{round}.{format}`, accents transliterated.
import slugify from "@sindresorhus/slugify";

export const EXPORT_FORMATS = ["docx", "pdf", "md"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Slugs longer than this are cut at a word boundary so file names stay portable. */
export const MAX_SLUG_LENGTH = 60;

export function slugifyTitle(title: string): string {
  const slug = slugify(title, { separator: "-", lowercase: true, decamelize: false });
  if (slug.length <= MAX_SLUG_LENGTH) return slug || "deliverable";
  const cut = slug.slice(0, MAX_SLUG_LENGTH + 1);
  const atWord = cut.lastIndexOf("-");
  return (atWord > 0 ? cut.slice(0, atWord) : slug.slice(0, MAX_SLUG_LENGTH)).replace(/-+$/, "");
}

export function exportFilename(title: string, round: number, format: ExportFormat): string {
  return `${slugifyTitle(title)}-v${round}.${format}`;
}
