// Layout rules shared by the .docx and .pdf renderers.
import type { Document } from "../domain/document.js";
import type { ExportProfile } from "../domain/export-profile.js";
import { accentForFill } from "./colour.js";
import { drawableLogo } from "./logo.js";
import { printableDocument, printableProfile } from "./printable.js";

/** Documents with more sections than this get a table of contents. */
export const TOC_MIN_SECTIONS = 5;

/** Where the embedded fonts come from (Debian's fonts-dejavu-core, installed by the project's scripts). */
export const DEFAULT_FONT_DIR = "/usr/share/fonts/truetype/dejavu";

/** A page break at the very end would print an empty last page: drop it (and any run of them). */
export function withoutTrailingPageBreaks(doc: Document): Document {
  const last = doc.sections.at(-1)!;
  let end = last.blocks.length;
  while (end > 0 && last.blocks[end - 1]!.type === "page_break") end--;
  if (end === last.blocks.length) return doc;
  return {
    ...doc,
    sections: [...doc.sections.slice(0, -1), { ...last, blocks: last.blocks.slice(0, end) }],
  };
}

/**
 * What both renderers start from: printable text, no page break at the very end, an accent that
 * shows on white, and no logo that cannot be drawn (pdfkit threw on a damaged one and every PDF
 * export of the workspace failed).
 */
export const prepared = (doc: Document, profile: ExportProfile) => ({
  doc: withoutTrailingPageBreaks(printableDocument(doc)),
  profile: {
    ...printableProfile(profile),
    accent_color: accentForFill(profile.accent_color),
    logo: drawableLogo(profile),
  },
});
