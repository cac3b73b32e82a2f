// The document model as .pdf with pdfkit (a maintained, dependency-light PDF writer that embeds and
// subsets TrueType fonts through fontkit, which also shapes Arabic). Layout: letterhead on page 1,
// accent-coloured headings and rules, a table of contents with page numbers when the document has
// more than five sections (two passes: the first finds where sections start), tables with a header
// row, nested lists, quotes, PDF bookmarks per section, and `Company — Page n of m` on every page.
import PDFDocument from "pdfkit";
import type { Block, Document, Inline, List } from "../domain/document.js";
import { contactLine, type ExportProfile } from "../domain/export-profile.js";
import { accentForText } from "./colour.js";
import { DEFAULT_FONT_DIR, prepared, TOC_MIN_SECTIONS } from "./layout.js";
import { loadFonts, type FontKey, type FontSet, type LastResortFonts } from "./pdf-fonts.js";
import { LIST_LEVELS, listMarker } from "./list-markers.js";
import { drawTable } from "./pdf-table.js";
import { PDF_LOGO_BOX } from "./logo-print.js";
import { PAPER } from "./paper.js";
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
  });
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

  const heading = (text: string, size: number) => {
    // Keep a heading with the first lines that follow it.
    if (pdf.y > bottom - 4 * size) pdf.addPage();
    pdf.y += size * 0.7;
    body(plain(text, "bold", accent), box(size));
    pdf.y += size * 0.35;
  };
  /** `at` is where the list's marker column starts; items start after its widest marker. */
  const list = (l: List, depth: number, at = 0) => {
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
      let first = true;
      body(text, b, (y) => {
        if (!first) return;
        first = false;
        const x = rtl ? MARGIN + width - indent + 6 : MARGIN + at;
        pdf.font("regular").fontSize(10.5).fillColor(accent);
        pdf.text(markers[n]!, x, y, {
          width: column,
          lineBreak: false,
          align: rtl ? "left" : "right",
        });
      });
      pdf.y += 2;
      // Past the ninth level (as deep as the .docx goes) a list stays at its parent's indent.
      if (item.children) list(item.children, depth + 1, depth + 1 < LIST_LEVELS ? indent : at);
    });
  };
  const block = (b: Block) => {
    switch (b.type) {
      case "heading":
        return heading(b.text, b.level === 2 ? 13.5 : 12);
      case "paragraph":
        body(runs(b.inlines), box(10.5));
        return void (pdf.y += 7);
      case "list":
        list(b, 0);
        return void (pdf.y += 5);
      case "table":
        return drawTable(pdf, fonts, b, { left: MARGIN, width, bottom, fill });
      case "quote": {
        pdf.y += 2;
        const text = runs(b.inlines, { italic: true });
        const rtl = wrap(pdf, fonts, text, box(10.5)).rtl;
        const bar = rtl ? MARGIN + width - 7 : MARGIN + 4;
        // Inset on both sides; the bar stands on the side the quote starts from.
        body(text, box(10.5, 18, { width: width - 36 }), (y, h) =>
          pdf.rect(bar, y - 1, 3, h).fill(fill),
        );
        return void (pdf.y += 9);
      }
      case "page_break":
        return void pdf.addPage();
    }
  };

  // Letterhead: name, tagline and contact on the left, the logo on the right, an accent rule.
  const top = pdf.y;
  const textWidth = p.logo ? width - PDF_LOGO_BOX.width - 10 : width;
  if (p.logo)
    pdf.image(Buffer.from(p.logo.base64, "base64"), MARGIN + width - PDF_LOGO_BOX.width, top, {
      fit: [PDF_LOGO_BOX.width, PDF_LOGO_BOX.height],
      align: "right",
    });
  write(pdf, fonts, plain(p.company_name, "bold", accent), box(18, 0, { width: textWidth }));
  if (p.tagline)
    write(pdf, fonts, plain(p.tagline, "italic", MUTED), box(10, 0, { width: textWidth }));
  pdf.y += 3;
  for (const line of [p.address, contactLine(p)].filter(Boolean))
    write(pdf, fonts, plain(line, "regular", MUTED), box(8.5, 0, { width: textWidth }));
  pdf.y = Math.max(pdf.y, p.logo ? top + 56 : 0) + 8;
  pdf
    .moveTo(MARGIN, pdf.y)
    .lineTo(MARGIN + width, pdf.y)
    .lineWidth(1.5)
    .strokeColor(fill);
  pdf.stroke();
  pdf.y += 26;
  // Title
  write(pdf, fonts, plain(doc.title, "bold", "#111111"), box(22));
  if (doc.subtitle) write(pdf, fonts, plain(doc.subtitle, "italic", MUTED), box(12.5));
  pdf.y += 16;
  // Contents, each entry a link to its section.
  if (tocPages) {
    if (pdf.y > bottom - 4 * 13.5) pdf.addPage();
    write(pdf, fonts, plain("Contents", "bold", accent), box(13.5));
    pdf.y += 4;
    doc.sections.forEach((s, i) => {
      // An entry that does not fit starts the next page, its number beside its first line: the
      // number was drawn where the entry would have been before the text moved to a new page.
      const entry = box(10.5, 0, { width: width - 50 });
      const laid = wrap(pdf, fonts, plain(`${i + 1}.  ${s.title}`, "regular", INK), entry);
      if (pdf.y + laid.lines.length * laid.lineHeight > bottom) pdf.addPage();
      const y = pdf.y;
      pdf.font("regular").fontSize(10.5).fillColor(INK);
      pdf.text(String(tocPages[i] ?? 0), MARGIN + width - 40, y, {
        width: 40,
        align: "right",
        lineBreak: false,
      });
      pdf.y = y;
      drawLines(pdf, laid, entry, { pageBottom: bottom });
      pdf.goTo(MARGIN, y, width, Math.max(0, pdf.y - y), destination(i));
      pdf.y += 2;
    });
    pdf.y += 14;
  }
  const sectionPages: number[] = [];
  doc.sections.forEach((s, i) => {
    heading(s.title, 16);
    sectionPages.push(pageIndex + 1);
    pdf.addNamedDestination(destination(i));
    pdf.outline.addItem(s.title);
    s.blocks.forEach(block);
  });
  // Footer on every page: a hairline and `Company — Page n of m`.
  const range = pdf.bufferedPageRange();
  for (let i = 0; i < range.count; i++) {
    pdf.switchToPage(range.start + i);
    const y = pdf.page.height - FOOTER;
    pdf
      .moveTo(MARGIN, y - 6)
      .lineTo(MARGIN + width, y - 6)
      .lineWidth(0.4)
      .strokeColor("#d0d0d0");
    pdf.stroke();
    // A footer is not body text: lift the bottom margin so pdfkit does not start a new page.
    pdf.page.margins.bottom = 0;
    pdf.y = y;
    const footer = `${p.company_name} — Page ${i + 1} of ${range.count}`;
    write(pdf, fonts, plain(footer, "regular", MUTED), box(8, 0, { align: "center" }));
  }
  return { pdf, sectionPages };
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
