// The document model as .docx with the `docx` library: real Heading 1–3 styles (navigation pane
// and TOC work), real list numbering, tables with a repeated header row, the letterhead on page 1,
// and a footer with the company name and `Page n of m`.
import {
  BorderStyle,
  Document as DocxDocument,
  ExternalHyperlink,
  HeadingLevel,
  LineRuleType,
  Packer,
  PageBreak,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableLayoutType,
  TableOfContents,
  TableRow,
  TextRun,
  WidthType,
  type ParagraphChild,
} from "docx";
import type { Block, Document, Inline, List } from "../domain/document.js";
import type { ExportProfile } from "../domain/export-profile.js";
import { hasRtl, isRtlParagraph } from "./direction.js";
import { accentForText, textOn } from "./colour.js";
import { footer, hex, letterhead, MUTED } from "./docx-letterhead.js";
import { prepared, TOC_MIN_SECTIONS } from "./layout.js";
import { listNumbering, numberingFor } from "./docx-numbering.js";
import { docxColumnWidths } from "./docx-table-columns.js";
import { docxTextWidth, PAPER } from "./paper.js";

// Arial is on every machine that opens a client's .docx (Word on Windows and macOS) and covers
// Greek, Cyrillic, Hebrew and Arabic; LibreOffice draws it with the metric-compatible Liberation Sans.
const FONT = "Arial";

/** Text runs; a "\n" inside a run is a line break, as it is in the PDF. */
function textRuns(
  text: string,
  style: { bold?: boolean; italics?: boolean; link?: boolean; color?: string },
) {
  return text.split("\n").map(
    (line, k) =>
      new TextRun({
        text: line,
        break: k > 0 ? 1 : 0,
        bold: style.bold ?? false,
        italics: style.italics ?? false,
        rightToLeft: hasRtl(line),
        ...(style.color ? { color: style.color } : {}),
        ...(style.link ? { style: "Hyperlink" } : {}),
      }),
  );
}

function runs(inlines: readonly Inline[], force: { italics?: boolean } = {}): ParagraphChild[] {
  return inlines.flatMap((i): ParagraphChild[] => {
    const children = textRuns(i.text, {
      bold: i.bold ?? false,
      italics: force.italics ?? i.italic ?? false,
      link: Boolean(i.link),
    });
    return i.link ? [new ExternalHyperlink({ link: i.link, children })] : children;
  });
}

const plain = (inlines: readonly Inline[]) => inlines.map((i) => i.text).join("");
/** Right-to-left paragraphs are bidirectional: Word and LibreOffice then start them at the right. */
const bidi = (text: string) => (isRtlParagraph(text) ? { bidirectional: true } : {});

/** Numbering instances of one rendering: each list restarts at 1. */
interface Counter {
  next(): number;
}

function list(l: List, depth: number, ids: Counter, instance = ids.next()): Paragraph[] {
  return l.items.flatMap((item) => [
    new Paragraph({
      children: runs(item.inlines),
      numbering: { ...listNumbering(l.ordered, depth), instance },
      spacing: { after: 40 },
      ...bidi(plain(item.inlines)),
    }),
    ...(item.children ? list(item.children, depth + 1, ids) : []),
  ]);
}

/** `fill` is the brand colour as given (#RRGGBB): the header row is filled with it; `textArea`
 *  the page's text width, twips. */
function table(b: Extract<Block, { type: "table" }>, fill: string, textArea: number): Table {
  const width = Math.max(b.header.length, ...b.rows.map((r) => r.length));
  // Columns sized from their content, as in the PDF, and kept so (a fixed layout): an equal grid
  // gave a long "Description" a quarter of the page.
  const columns = docxColumnWidths(b, width, textArea);
  const line = { style: BorderStyle.SINGLE, size: 4, color: "C8C8C8" };
  const cell = (text: string, header: boolean, i: number) =>
    new TableCell({
      width: { size: columns[i]!, type: WidthType.DXA },
      children: [
        new Paragraph({
          children: textRuns(text, header ? { bold: true, color: hex(textOn(fill)) } : {}),
          spacing: { after: 0 },
          ...bidi(text),
        }),
      ],
      ...(header ? { shading: { type: ShadingType.CLEAR, color: "auto", fill: hex(fill) } } : {}),
    });
  const row = (cells: readonly string[], header: boolean) =>
    new TableRow({
      tableHeader: header,
      cantSplit: true,
      children: Array.from({ length: width }, (_, i) => cell(cells[i] ?? "", header, i)),
    });
  return new Table({
    width: { size: columns.reduce((a, b) => a + b, 0), type: WidthType.DXA },
    columnWidths: columns,
    layout: TableLayoutType.FIXED,
    // A table whose header reads right to left starts its first column at the right.
    visuallyRightToLeft: isRtlParagraph(b.header.join(" ")),
    margins: { top: 80, bottom: 80, left: 100, right: 100 },
    borders: {
      top: line,
      bottom: line,
      left: { style: BorderStyle.NONE, size: 0, color: "FFFFFF" },
      right: { style: BorderStyle.NONE, size: 0, color: "FFFFFF" },
      insideHorizontal: line,
      insideVertical: { style: BorderStyle.NONE, size: 0, color: "FFFFFF" },
    },
    rows: [row(b.header, true), ...b.rows.map((r) => row(r, false))],
  });
}

/** What every block is drawn with: the brand colour as given, the page's text width (twips), and
 *  the counter of list instances. */
interface Drawing {
  fill: string;
  textArea: number;
  ids: Counter;
}

function block(b: Block, { fill, textArea, ids }: Drawing): (Paragraph | Table)[] {
  switch (b.type) {
    case "heading":
      return [
        new Paragraph({
          text: b.text,
          heading: b.level === 2 ? HeadingLevel.HEADING_2 : HeadingLevel.HEADING_3,
          ...bidi(b.text),
        }),
      ];
    case "paragraph":
      return [new Paragraph({ children: runs(b.inlines), ...bidi(plain(b.inlines)) })];
    case "list":
      return [...list(b, 0, ids), new Paragraph({ text: "", spacing: { after: 0 } })];
    case "table":
      return [table(b, fill, textArea), new Paragraph({ text: "" })];
    case "quote":
      return [
        new Paragraph({
          style: "Quote",
          children: runs(b.inlines, { italics: true }),
          ...bidi(plain(b.inlines)),
        }),
      ];
    case "page_break":
      return [new Paragraph({ children: [new PageBreak()] })];
  }
}

export async function renderDocx(content: Document, given: ExportProfile): Promise<Buffer> {
  const { doc, profile } = prepared(content, given);
  // The brand colour fills the table headers and draws the quote bar; headings use it darkened
  // until it reads on white.
  const fill = profile.accent_color;
  const accent = hex(accentForText(fill));
  let instance = 0;
  const paper = PAPER[profile.paper_size];
  const drawing: Drawing = {
    fill,
    textArea: docxTextWidth(profile.paper_size),
    ids: { next: () => ++instance },
  };
  const withToc = doc.sections.length > TOC_MIN_SECTIONS;
  const style = (id: string, name: string, size: number, color: string, before = 240) => ({
    id,
    name,
    basedOn: "Normal",
    next: "Normal",
    quickFormat: true,
    run: { size, bold: true, color, font: FONT },
    paragraph: { spacing: { before, after: 120 }, keepNext: true, keepLines: true },
  });
  const body = [
    ...letterhead(profile),
    new Paragraph({ text: doc.title, heading: HeadingLevel.TITLE, ...bidi(doc.title) }),
    ...(doc.subtitle
      ? [
          new Paragraph({
            children: [new TextRun({ text: doc.subtitle, italics: true, size: 25, color: MUTED })],
            ...bidi(doc.subtitle),
          }),
        ]
      : []),
    ...(withToc
      ? [
          new Paragraph({
            children: [new TextRun({ text: "Contents", bold: true, size: 27, color: accent })],
          }),
          new TableOfContents("Contents", { hyperlink: true, headingStyleRange: "1-1" }),
        ]
      : []),
    ...doc.sections.flatMap((s) => [
      new Paragraph({ text: s.title, heading: HeadingLevel.HEADING_1, ...bidi(s.title) }),
      ...s.blocks.flatMap((b) => block(b, drawing)),
    ]),
  ];
  const file = new DocxDocument({
    creator: profile.company_name,
    // Otherwise docx writes "Un-named", which a client sees in File → Info.
    lastModifiedBy: profile.company_name,
    title: doc.title,
    // Word fills in the contents' page numbers when it opens the file (it asks first). docx's own
    // page estimator would write them, but took 4 s for a 30-page document against a 300 ms budget.
    features: { updateFields: withToc },
    styles: {
      default: {
        document: {
          run: { font: FONT, size: 21, color: "222222" },
          // 276 is 1.15 lines only with lineRule "auto"; without it LibreOffice reads it as an exact
          // 13.8 pt height, and a title or company name that wraps draws its lines over each other.
          paragraph: { spacing: { after: 120, line: 276, lineRule: LineRuleType.AUTO } },
        },
      },
      paragraphStyles: [
        style("Title", "Title", 44, "111111", 0),
        style("Heading1", "Heading 1", 32, accent, 360),
        style("Heading2", "Heading 2", 26, accent),
        style("Heading3", "Heading 3", 23, accent),
        {
          id: "Quote",
          name: "Quote",
          basedOn: "Normal",
          next: "Normal",
          quickFormat: true,
          run: { italics: true, color: "444444" },
          paragraph: {
            indent: { left: 567, right: 567 },
            border: { left: { style: BorderStyle.SINGLE, size: 18, color: hex(fill), space: 10 } },
          },
        },
      ],
    },
    numbering: numberingFor(doc),
    sections: [
      {
        properties: { page: { size: paper.twips } },
        footers: { default: footer(profile) },
        children: body,
      },
    ],
  });
  return Packer.toBuffer(file);
}
