// Text as both renderers can draw it, made once before either runs: a tab became a missing-glyph
// box in the PDF, a lone surrogate made pdfkit throw "URI malformed" while writing the title, and
// U+FFFE (or a control character) made word/document.xml not well-formed XML.
import type { Block, Document, Inline, List } from "../domain/document.js";
import type { ExportProfile } from "../domain/export-profile.js";

/** A tab is as wide as this many spaces: the PDF has no tab stops, and the .docx follows it. */
const TAB = "    ";

// Line ends, tabs, C0/C1 controls (a "\n" included, kept as the line break it is), lone
// surrogates (a paired one is one code point under /u) and the noncharacters U+FFFE, U+FDD0…
const UNPRINTABLE = /\r\n?|[\p{Cc}\p{Cs}\p{Noncharacter_Code_Point}]/gu;

function replacement(match: string): string {
  if (match === "\n" || match[0] === "\r") return "\n";
  if (match === "\t") return TAB;
  // A lone surrogate is half of a character: show that something was there.
  if (/\p{Cs}/u.test(match)) return "\uFFFD";
  return "";
}

/** `text` with tabs as spaces, "\r\n" as "\n", and no control characters or noncharacters. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, replacement);
}

const inlines = (runs: readonly Inline[]): Inline[] =>
  runs.map((i) => ({
    ...i,
    text: printable(i.text),
    ...(i.link === undefined ? {} : { link: printable(i.link) }),
  }));

const list = (l: List): List => ({
  ...l,
  items: l.items.map((item) => ({
    inlines: inlines(item.inlines),
    ...(item.children ? { children: list(item.children) } : {}),
  })),
});

function block(b: Block): Block {
  switch (b.type) {
    case "heading":
      return { ...b, text: printable(b.text) };
    case "paragraph":
    case "quote":
      return { ...b, inlines: inlines(b.inlines) };
    case "list":
      return list(b);
    case "table":
      return {
        ...b,
        header: b.header.map(printable),
        rows: b.rows.map((r) => r.map(printable)),
      };
    case "page_break":
      return b;
  }
}

/** Every piece of text of the document, made printable. */
export const printableDocument = (doc: Document): Document => ({
  ...doc,
  title: printable(doc.title),
  ...(doc.subtitle === undefined ? {} : { subtitle: printable(doc.subtitle) }),
  sections: doc.sections.map((s) => ({
    title: printable(s.title),
    blocks: s.blocks.map(block),
  })),
});

/** The letterhead's text, made printable (the logo is bytes, not text). */
export const printableProfile = (p: ExportProfile): ExportProfile => ({
  ...p,
  company_name: printable(p.company_name),
  tagline: printable(p.tagline),
  address: printable(p.address),
  email: printable(p.email),
  phone: printable(p.phone),
  website: printable(p.website),
});
