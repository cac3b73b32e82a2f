// The document model as .pdf with pdfkit (a maintained, dependency-light PDF writer that embeds and
// subsets TrueType fonts through fontkit, which also shapes Arabic). Layout: letterhead on page 1,
// accent-coloured headings and rules, a table of contents with page numbers when the document has
// more than five sections (two passes: the first finds where sections start), tables with a header
// row, nested lists, quotes, PDF bookmarks per section, and `Company — Page n of m` on every page.
// A tagged PDF: its language, and its headings, paragraphs, lists and tables for screen readers.
import PDFDocument from "pdfkit";
import {
  documentText,
  type Block,
  type Document,
  type Inline,
  type List,
} from "../domain/document.js";
import { contactLine, type ExportProfile } from "../domain/export-profile.js";
import { accentForText } from "./colour.js";
import { languageOf } from "./language.js";
import { DEFAULT_FONT_DIR, prepared, TOC_MIN_SECTIONS } from "./layout.js";
import { loadFonts, type FontKey, type FontSet, type LastResortFonts } from "./pdf-fonts.js";
import { LIST_LEVELS, listMarker } from "./list-markers.js";
import { drawTable } from "./pdf-table.js";
import { PDF_LOGO_BOX } from "./logo-print.js";
import { PAPER } from "./paper.js";
import { artifact, group, leaf, mark, type Element } from "./pdf-tags.js";
import { drawLines, wrap, write, type Run, type TextBox } from "./pdf-text.js";

type Pdf = PDFKit.PDFDocument;

const MARGIN = 56;
const FOOTER = 36;
const INK = "#222222";
const MUTED = "#5f6368";

export interface PdfOptions {
  fontDir?: string;
  /** Where the optional CJK, Korean and emoji faces are (Debian's paths unless given). */
  lastResorts?: LastResortFonts;
}

const fontOf = (i: Pick<Inline, "bold" | "italic">): FontKey =>
  i.bold ? (i.italic ? "boldItalic" : "bold") : i.italic ? "italic" : "regular";

const destination = (i: number) => `section-${i + 1}`;

/** Lays the document out once; `tocPages` gives the TOC's page numbers (placeholders on the first pass). */
function layout(
  doc: Document,
  p: ExportProfile,
  fonts: FontSet,
  tocPages: number[] | null,
): { pdf: Pdf; sectionPages: number[] } {
  const pdf = new PDFDocument({
    size: PAPER[p.paper_size].pdfkit,
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    bufferPages: true,
    info: { Title: doc.title, Author: p.company_name, Creator: "Atelya" },
    displayTitle: true,
    tagged: true,
    lang: languageOf(documentText(doc)),
  });
  const root = pdf.struct("Document");
  pdf.addStructure(root);
  for (const [name, data] of Object.entries(fonts.files)) pdf.registerFont(name, data);
  const width = pdf.page.width - 2 * MARGIN;
  const bottom = pdf.page.height - MARGIN;
  // The brand colour fills rules, bars and table headers; text in it is darkened until it reads.
  const fill = p.accent_color;
  const accent = accentForText(fill);
  let pageIndex = 0;
  pdf.on("pageAdded", () => pageIndex++);

  const box = (size: number, indent = 0, extra: Partial<TextBox> = {}): TextBox => ({
    x: MARGIN + indent,
    width: width - indent,
    size,
    ...extra,
  });
  const runs = (inlines: readonly Inline[], force: Partial<Inline> = {}): Run[] =>
    inlines.map((i) => ({
      text: i.text,
      font: fontOf({ ...i, ...force }),
      color: i.link ? accent : INK,
      link: i.link,
    }));
  const plain = (text: string, font: FontKey, color: string): Run[] => [{ text, font, color }];
  const body = (r: Run[], b: TextBox, beforeLine?: (y: number, h: number) => void) =>
    write(pdf, fonts, r, b, { pageBottom: bottom, ...(beforeLine ? { beforeLine } : {}) });

  /** The document title is H1, section titles H2, headings of level 2 and 3 H3 and H4. */
  const heading = (text: string, size: number, parent: Element, type: string) => {
    // Keep a heading with the first lines that follow it.
    if (pdf.y > bottom - 4 * size) pdf.addPage();
    pdf.y += size * 0.7;
    leaf(pdf, parent, type, () => body(plain(text, "bold", accent), box(size)));
    pdf.y += size * 0.35;
  };
  /** `at` is where the list's marker column starts; items start after its widest marker. */
  const list = (l: List, depth: number, parent: Element, at = 0) => {
    const tag = group(pdf, parent, "L");
    pdf.font("regular").fontSize(10.5);
    const markers = l.items.map((_, n) => listMarker(l.ordered, n + 1, depth));
    // "10." or "viii." in a fixed 14 pt column wrapped its last characters onto the next line.
    const column = Math.max(14, ...markers.map((m) => Math.ceil(pdf.widthOfString(m))));
    const indent = at + column + 6;
    l.items.forEach((item, n) => {
      const text = runs(item.inlines);
      // Right-to-left items hang from the right margin, with the marker on their right.
      const rtl = wrap(pdf, fonts, text, box(10.5)).rtl;
      const b = rtl ? box(10.5, 0, { width: width - indent }) : box(10.5, indent);
      const laid = wrap(pdf, fonts, text, b);
      // The marker stands beside the first line, on the page that line starts.
      if (pdf.y + laid.lineHeight > bottom) pdf.addPage();
      const y = pdf.y;
      const li = group(pdf, tag, "LI");
      leaf(pdf, li, "Lbl", () => {
        const x = rtl ? MARGIN + width - indent + 6 : MARGIN + at;
        pdf.font("regular").fontSize(10.5).fillColor(accent);
        pdf.text(markers[n]!, x, y, {
          width: column,
          lineBreak: false,
          align: rtl ? "left" : "right",
        });
      });
      pdf.y = y;
      const itemBody = group(pdf, li, "LBody");
      mark(pdf, itemBody, "LBody", () => drawLines(pdf, laid, b, { pageBottom: bottom }));
      pdf.y += 2;
      // Past the ninth level (as deep as the .docx goes) a list stays at its parent's indent.
      if (item.children)
        list(item.children, depth + 1, itemBody, depth + 1 < LIST_LEVELS ? indent : at);
      li.end();
    });
    tag.end();
  };
  const block = (b: Block, parent: Element) => {
    switch (b.type) {
      case "heading":
        return heading(b.text, b.level === 2 ? 13.5 : 12, parent, b.level === 2 ? "H3" : "H4");
      case "paragraph":
        leaf(pdf, parent, "P", () => body(runs(b.inlines), box(10.5)));
        return void (pdf.y += 7);
      case "list":
        list(b, 0, parent);
        return void (pdf.y += 5);
      case "table":
        return drawTable(pdf, fonts, b, { left: MARGIN, width, bottom, fill, parent });
      case "quote": {
        pdf.y += 2;
        const text = runs(b.inlines, { italic: true });
        const rtl = wrap(pdf, fonts, text, box(10.5)).rtl;
        const bar = rtl ? MARGIN + width - 7 : MARGIN + 4;
        // Inset on both sides; the bar stands on the side the quote starts from.
        leaf(pdf, parent, "BlockQuote", () =>
          body(text, box(10.5, 18, { width: width - 36 }), (y, h) =>
            pdf.rect(bar, y - 1, 3, h).fill(fill),
          ),
        );
        return void (pdf.y += 9);
      }
      case "page_break":
        return void pdf.addPage();
    }
  };

  // Letterhead: name, tagline and contact on the left, the logo on the right, an accent rule. Page
  // furniture to a screen reader, as is the footer, which repeats the company name.
  artifact(pdf, () => letterhead(pdf, fonts, p, width), "Pagination");
  // Title
  leaf(pdf, root, "H1", () => write(pdf, fonts, plain(doc.title, "bold", "#111111"), box(22)));
  if (doc.subtitle)
    leaf(pdf, root, "P", () => write(pdf, fonts, plain(doc.subtitle!, "italic", MUTED), box(12.5)));
  pdf.y += 16;
  // Contents, each entry a link to its section.
  if (tocPages) {
    if (pdf.y > bottom - 4 * 13.5) pdf.addPage();
    leaf(pdf, root, "H2", () => write(pdf, fonts, plain("Contents", "bold", accent), box(13.5)));
    pdf.y += 4;
    const toc = group(pdf, root, "TOC");
    doc.sections.forEach((s, i) => {
      // An entry that does not fit starts the next page, its number beside its first line: the
      // number was drawn where the entry would have been before the text moved to a new page.
      const entry = box(10.5, 0, { width: width - 50 });
      const laid = wrap(pdf, fonts, plain(`${i + 1}.  ${s.title}`, "regular", INK), entry);
      if (pdf.y + laid.lines.length * laid.lineHeight > bottom) pdf.addPage();
      const y = pdf.y;
      leaf(pdf, toc, "TOCI", () => {
        drawLines(pdf, laid, entry, { pageBottom: bottom });
        const below = pdf.y;
        pdf.font("regular").fontSize(10.5).fillColor(INK);
        pdf.text(String(tocPages[i] ?? 0), MARGIN + width - 40, y, {
          width: 40,
          align: "right",
          lineBreak: false,
        });
        pdf.y = below;
      });
      pdf.goTo(MARGIN, y, width, Math.max(0, pdf.y - y), destination(i));
      pdf.y += 2;
    });
    toc.end();
    pdf.y += 14;
  }
  const sectionPages: number[] = [];
  doc.sections.forEach((s, i) => {
    const sect = group(pdf, root, "Sect");
    heading(s.title, 16, sect, "H2");
    sectionPages.push(pageIndex + 1);
    pdf.addNamedDestination(destination(i));
    pdf.outline.addItem(s.title);
    s.blocks.forEach((b) => block(b, sect));
    sect.end();
  });
  // Footer on every page: a hairline and `Company — Page n of m`.
  const range = pdf.bufferedPageRange();
  for (let i = 0; i < range.count; i++) {
    pdf.switchToPage(range.start + i);
    const y = pdf.page.height - FOOTER;
    // A footer is not body text: lift the bottom margin so pdfkit does not start a new page.
    pdf.page.margins.bottom = 0;
    const footer = `${p.company_name} — Page ${i + 1} of ${range.count}`;
    artifact(
      pdf,
      () => {
        pdf
          .moveTo(MARGIN, y - 6)
          .lineTo(MARGIN + width, y - 6)
          .lineWidth(0.4)
          .strokeColor("#d0d0d0");
        pdf.stroke();
        pdf.y = y;
        write(pdf, fonts, plain(footer, "regular", MUTED), box(8, 0, { align: "center" }));
      },
      "Pagination",
    );
  }
  return { pdf, sectionPages };
}

/** Name, tagline and contact on the left, the logo on the right, an accent rule below. */
function letterhead(pdf: Pdf, fonts: FontSet, p: ExportProfile, width: number): void {
  const top = pdf.y;
  const textWidth = p.logo ? width - PDF_LOGO_BOX.width - 10 : width;
  const line = (text: string, font: FontKey, color: string, size: number) =>
    write(pdf, fonts, [{ text, font, color }], { x: MARGIN, width: textWidth, size });
  if (p.logo)
    pdf.image(Buffer.from(p.logo.base64, "base64"), MARGIN + width - PDF_LOGO_BOX.width, top, {
      fit: [PDF_LOGO_BOX.width, PDF_LOGO_BOX.height],
      align: "right",
    });
  line(p.company_name, "bold", accentForText(p.accent_color), 18);
  if (p.tagline) line(p.tagline, "italic", MUTED, 10);
  pdf.y += 3;
  for (const text of [p.address, contactLine(p)].filter(Boolean)) line(text, "regular", MUTED, 8.5);
  pdf.y = Math.max(pdf.y, p.logo ? top + 56 : 0) + 8;
  pdf
    .moveTo(MARGIN, pdf.y)
    .lineTo(MARGIN + width, pdf.y)
    .lineWidth(1.5)
    .strokeColor(p.accent_color);
  pdf.stroke();
  pdf.y += 26;
}

const toBuffer = (pdf: Pdf): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    pdf.on("data", (c: Buffer) => chunks.push(c));
    pdf.on("end", () => resolve(Buffer.concat(chunks)));
    pdf.on("error", reject);
    pdf.end();
  });

export async function renderPdf(
  content: Document,
  given: ExportProfile,
  options: PdfOptions = {},
): Promise<Buffer> {
  const fonts = loadFonts(options.fontDir ?? DEFAULT_FONT_DIR, options.lastResorts);
  const { doc, profile } = prepared(content, given);
  if (doc.sections.length <= TOC_MIN_SECTIONS)
    return toBuffer(layout(doc, profile, fonts, null).pdf);
  // First pass: where each section starts (with placeholder numbers of the same width).
  const first = layout(
    doc,
    profile,
    fonts,
    doc.sections.map(() => 0),
  );
  first.pdf.end();
  return toBuffer(layout(doc, profile, fonts, first.sectionPages).pdf);
}
