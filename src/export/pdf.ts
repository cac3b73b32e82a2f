// The document model as .pdf with pdfkit (a maintained, dependency-light PDF writer that embeds and
// subsets TrueType fonts through fontkit, which also shapes Arabic). Layout: letterhead on page 1,
// accent-coloured headings and rules, a table of contents with page numbers when the document has
// more than five sections (two passes: the first finds where sections start), tables with a header
// row, nested lists, quotes, and a footer `Company — Page n of m` on every page.
import { join } from "node:path";
import PDFDocument from "pdfkit";
import type { Block, Document, Inline, List } from "../domain/document.js";
import { contactLine, isRtl, type ExportProfile } from "../domain/export-profile.js";
import { DEFAULT_FONT_DIR, TOC_MIN_SECTIONS } from "./layout.js";

type Pdf = PDFKit.PDFDocument;

const MARGIN = 56;
const FONTS = {
  regular: "DejaVuSans.ttf",
  bold: "DejaVuSans-Bold.ttf",
  italic: "DejaVuSans-Oblique.ttf",
  boldItalic: "DejaVuSans-BoldOblique.ttf",
};
const fontOf = (i: Pick<Inline, "bold" | "italic">) =>
  i.bold ? (i.italic ? "boldItalic" : "bold") : i.italic ? "italic" : "regular";

export interface PdfOptions {
  fontDir?: string;
}

/** Lays the document out once; `tocPages` gives the TOC's page numbers (placeholders on the first pass). */
function layout(
  doc: Document,
  p: ExportProfile,
  fontDir: string,
  tocPages: number[] | null,
): { pdf: Pdf; sectionPages: number[] } {
  const pdf = new PDFDocument({
    size: "A4",
    margins: { top: MARGIN, bottom: MARGIN + 20, left: MARGIN, right: MARGIN },
    bufferPages: true,
    info: { Title: doc.title, Author: p.company_name },
  });
  for (const [name, file] of Object.entries(FONTS)) pdf.registerFont(name, join(fontDir, file));
  const width = pdf.page.width - 2 * MARGIN;
  const accent = p.accent_color;
  let pageIndex = 0;
  pdf.on("pageAdded", () => pageIndex++);

  const rtlOptions = (text: string) =>
    isRtl(text) ? { align: "right" as const, features: ["rtla" as const] } : {};
  const inlineText = (inlines: readonly Inline[], x: number, w: number, size = 10.5) => {
    const all = inlines.map((i) => i.text).join("");
    pdf.fontSize(size).fillColor("#222222");
    if (isRtl(all))
      return void pdf.font("regular").text(all, x, pdf.y, { width: w, ...rtlOptions(all) });
    // One text flow: the first run places it, the others continue it (pdfkit keeps the width).
    inlines.forEach((i, k) => {
      pdf.font(fontOf(i)).fillColor(i.link ? accent : "#222222");
      const style = {
        continued: k < inlines.length - 1,
        link: i.link ?? null,
        underline: Boolean(i.link),
      };
      if (k === 0) pdf.text(i.text, x, pdf.y, { width: w, ...style });
      else pdf.text(i.text, style);
    });
  };
  const rule = () => {
    pdf
      .moveTo(MARGIN, pdf.y)
      .lineTo(MARGIN + width, pdf.y)
      .lineWidth(1.2)
      .strokeColor(accent)
      .stroke();
    pdf.moveDown(0.6);
  };
  const heading = (text: string, size: number) => {
    if (pdf.y > pdf.page.height - MARGIN - 120) pdf.addPage();
    pdf
      .moveDown(0.6)
      .font("bold")
      .fontSize(size)
      .fillColor(accent)
      .text(text, MARGIN, pdf.y, { width, ...rtlOptions(text) })
      .moveDown(0.3);
  };
  const list = (l: List, depth: number) =>
    l.items.forEach((item, n) => {
      const indent = MARGIN + 14 + depth * 18;
      const marker = l.ordered ? `${n + 1}.` : ["•", "◦", "▪"][Math.min(depth, 2)]!;
      const y = pdf.y;
      pdf
        .font("regular")
        .fontSize(10.5)
        .fillColor(accent)
        .text(marker, indent - 14, y, { width: 14 });
      pdf.y = y;
      inlineText(item.inlines, indent + 4, width - (indent + 4 - MARGIN));
      if (item.children) list(item.children, depth + 1);
    });
  const table = (b: Extract<Block, { type: "table" }>) => {
    const cols = Math.max(b.header.length, ...b.rows.map((r) => r.length));
    const colW = width / cols;
    const row = (cells: readonly string[], header: boolean) => {
      pdf.font(header ? "bold" : "regular").fontSize(9.5);
      const h =
        Math.max(
          ...Array.from({ length: cols }, (_, i) =>
            pdf.heightOfString(cells[i] ?? "", { width: colW - 10 }),
          ),
        ) + 10;
      if (pdf.y + h > pdf.page.height - MARGIN - 20) pdf.addPage();
      const y = pdf.y;
      if (header) pdf.rect(MARGIN, y, width, h).fill(accent);
      for (let i = 0; i < cols; i++) {
        pdf
          .rect(MARGIN + i * colW, y, colW, h)
          .lineWidth(0.5)
          .strokeColor("#bbbbbb")
          .stroke();
        const text = cells[i] ?? "";
        pdf
          .fillColor(header ? "#ffffff" : "#222222")
          .text(text, MARGIN + i * colW + 5, y + 5, { width: colW - 10, ...rtlOptions(text) });
      }
      pdf.x = MARGIN;
      pdf.y = y + h;
    };
    row(b.header, true);
    b.rows.forEach((r) => row(r, false));
    pdf.moveDown(0.8);
  };
  const block = (b: Block) => {
    switch (b.type) {
      case "heading":
        return heading(b.text, b.level === 2 ? 13.5 : 12);
      case "paragraph":
        inlineText(b.inlines, MARGIN, width);
        return void pdf.moveDown(0.5);
      case "list":
        list(b, 0);
        return void pdf.moveDown(0.4);
      case "table":
        return table(b);
      case "quote": {
        const y = pdf.y;
        pdf.font("italic");
        inlineText(
          b.inlines.map((i) => ({ ...i, italic: true })),
          MARGIN + 16,
          width - 16,
        );
        pdf.rect(MARGIN + 4, y, 3, pdf.y - y).fill(accent);
        return void pdf.moveDown(0.5);
      }
      case "page_break":
        return void pdf.addPage();
    }
  };

  // Letterhead
  if (p.logo) {
    pdf.image(Buffer.from(p.logo.base64, "base64"), MARGIN, pdf.y, { fit: [140, 50] });
    pdf.y += 56;
  }
  pdf.font("bold").fontSize(18).fillColor(accent).text(p.company_name, MARGIN, pdf.y, { width });
  if (p.tagline) pdf.font("italic").fontSize(10).fillColor("#555555").text(p.tagline, { width });
  for (const line of [p.address, contactLine(p)].filter(Boolean))
    pdf.font("regular").fontSize(9).fillColor("#555555").text(line, { width });
  pdf.moveDown(0.4);
  rule();
  // Title
  pdf
    .font("bold")
    .fontSize(22)
    .fillColor("#111111")
    .text(doc.title, MARGIN, pdf.y, { width, ...rtlOptions(doc.title) });
  if (doc.subtitle)
    pdf.font("italic").fontSize(12).fillColor("#555555").text(doc.subtitle, { width });
  pdf.moveDown(0.8);
  // Contents
  if (tocPages) {
    pdf.font("bold").fontSize(13.5).fillColor(accent).text("Contents", { width }).moveDown(0.3);
    doc.sections.forEach((s, i) => {
      const y = pdf.y;
      pdf
        .font("regular")
        .fontSize(10.5)
        .fillColor("#222222")
        .text(`${i + 1}. ${s.title}`, MARGIN, y, { width: width - 40 });
      const after = pdf.y;
      pdf.text(String(tocPages[i] ?? 0), MARGIN + width - 40, y, { width: 40, align: "right" });
      pdf.y = after;
    });
    pdf.moveDown(0.8);
  }
  const sectionPages: number[] = [];
  for (const s of doc.sections) {
    heading(s.title, 16);
    sectionPages.push(pageIndex + 1);
    s.blocks.forEach(block);
  }
  // Footer on every page
  const range = pdf.bufferedPageRange();
  for (let i = 0; i < range.count; i++) {
    pdf.switchToPage(range.start + i);
    const bottom = pdf.page.margins.bottom;
    pdf.page.margins.bottom = 0;
    pdf
      .font("regular")
      .fontSize(8)
      .fillColor("#777777")
      .text(
        `${p.company_name} — Page ${i + 1} of ${range.count}`,
        MARGIN,
        pdf.page.height - MARGIN,
        { width, align: "center" },
      );
    pdf.page.margins.bottom = bottom;
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
  doc: Document,
  profile: ExportProfile,
  options: PdfOptions = {},
): Promise<Buffer> {
  const fontDir = options.fontDir ?? DEFAULT_FONT_DIR;
  if (doc.sections.length <= TOC_MIN_SECTIONS)
    return toBuffer(layout(doc, profile, fontDir, null).pdf);
  // First pass: where each section starts (with placeholder numbers of the same width).
  const first = layout(
    doc,
    profile,
    fontDir,
    doc.sections.map(() => 0),
  );
  first.pdf.end();
  return toBuffer(layout(doc, profile, fontDir, first.sectionPages).pdf);
}
