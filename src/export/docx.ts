// The document model as .docx with the `docx` library: real Heading 1–3 styles (navigation pane
// and TOC work), real list numbering, tables with a repeated header row, the letterhead on page 1,
// and a footer with the company name and `Page n of m`.
import {
  AlignmentType,
  BorderStyle,
  Document as DocxDocument,
  ExternalHyperlink,
  Footer,
  HeadingLevel,
  ImageRun,
  LevelFormat,
  Packer,
  PageBreak,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableOfContents,
  TableRow,
  TextRun,
  WidthType,
  type ParagraphChild,
} from "docx";
import type { Block, Document, Inline, List } from "../domain/document.js";
import { contactLine, isRtl, type ExportProfile } from "../domain/export-profile.js";
import { TOC_MIN_SECTIONS } from "./layout.js";

const FONT = "DejaVu Sans";
const hex = (c: string) => c.replace("#", "").toUpperCase();

function runs(inlines: readonly Inline[]): ParagraphChild[] {
  return inlines.map((i) => {
    const run = new TextRun({
      text: i.text,
      bold: i.bold,
      italics: i.italic,
      rightToLeft: isRtl(i.text),
      ...(i.link ? { style: "Hyperlink" } : {}),
    });
    return i.link ? new ExternalHyperlink({ link: i.link, children: [run] }) : run;
  });
}

const bidi = (text: string) =>
  isRtl(text) ? { bidirectional: true, alignment: AlignmentType.RIGHT } : {};

/** Numbering instances of one rendering: each list restarts at 1. */
interface Counter {
  next(): number;
}

function list(l: List, level: number, ids: Counter, instance = ids.next()): Paragraph[] {
  return l.items.flatMap((item) => [
    new Paragraph({
      children: runs(item.inlines),
      numbering: {
        reference: l.ordered ? "numbered" : "bullets",
        level: Math.min(level, 2),
        instance,
      },
      ...bidi(item.inlines.map((i) => i.text).join("")),
    }),
    ...(item.children ? list(item.children, level + 1, ids, ids.next()) : []),
  ]);
}

function table(b: Extract<Block, { type: "table" }>, accent: string): Table {
  const width = Math.max(b.header.length, ...b.rows.map((r) => r.length));
  const cell = (text: string, header: boolean) =>
    new TableCell({
      children: [
        new Paragraph({
          children: [new TextRun({ text, bold: header, color: header ? "FFFFFF" : undefined })],
          ...bidi(text),
        }),
      ],
      ...(header ? { shading: { type: ShadingType.CLEAR, color: "auto", fill: hex(accent) } } : {}),
    });
  const row = (cells: readonly string[], header: boolean) =>
    new TableRow({
      tableHeader: header,
      children: Array.from({ length: width }, (_, i) => cell(cells[i] ?? "", header)),
    });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [row(b.header, true), ...b.rows.map((r) => row(r, false))],
  });
}

function block(b: Block, accent: string, ids: Counter): (Paragraph | Table)[] {
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
      return [
        new Paragraph({
          children: runs(b.inlines),
          spacing: { after: 120 },
          ...bidi(b.inlines.map((i) => i.text).join("")),
        }),
      ];
    case "list":
      return list(b, 0, ids);
    case "table":
      return [table(b, accent), new Paragraph({ text: "" })];
    case "quote":
      return [
        new Paragraph({
          children: b.inlines.map(
            (i) => new TextRun({ text: i.text, italics: true, bold: i.bold }),
          ),
          indent: { left: 567 },
          border: { left: { style: BorderStyle.SINGLE, size: 12, color: hex(accent), space: 8 } },
        }),
      ];
    case "page_break":
      return [new Paragraph({ children: [new PageBreak()] })];
  }
}

function letterhead(p: ExportProfile): Paragraph[] {
  const out: Paragraph[] = [];
  if (p.logo)
    out.push(
      new Paragraph({
        children: [
          new ImageRun({
            type: p.logo.mime === "image/png" ? "png" : "jpg",
            data: Buffer.from(p.logo.base64, "base64"),
            transformation: { width: 120, height: 48 },
          }),
        ],
      }),
    );
  out.push(
    new Paragraph({
      children: [
        new TextRun({ text: p.company_name, bold: true, size: 32, color: hex(p.accent_color) }),
      ],
    }),
  );
  if (p.tagline)
    out.push(
      new Paragraph({
        children: [new TextRun({ text: p.tagline, italics: true, color: "555555" })],
      }),
    );
  const lines = [p.address, contactLine(p)].filter(Boolean);
  for (const line of lines)
    out.push(new Paragraph({ children: [new TextRun({ text: line, size: 18, color: "555555" })] }));
  out.push(
    new Paragraph({
      text: "",
      border: {
        bottom: { style: BorderStyle.SINGLE, size: 12, color: hex(p.accent_color), space: 4 },
      },
      spacing: { after: 240 },
    }),
  );
  return out;
}

const level = (lvl: number, ordered: boolean) => ({
  level: lvl,
  format: ordered
    ? [LevelFormat.DECIMAL, LevelFormat.LOWER_LETTER, LevelFormat.LOWER_ROMAN][lvl]!
    : LevelFormat.BULLET,
  text: ordered ? `%${lvl + 1}.` : ["•", "◦", "▪"][lvl]!,
  alignment: AlignmentType.LEFT,
  style: { paragraph: { indent: { left: 720 * (lvl + 1), hanging: 360 } } },
});

export async function renderDocx(doc: Document, profile: ExportProfile): Promise<Buffer> {
  const accent = profile.accent_color;
  let instance = 0;
  const ids: Counter = { next: () => ++instance };
  const heading = (id: string, name: string, size: number) => ({
    id,
    name,
    basedOn: "Normal",
    next: "Normal",
    quickFormat: true,
    run: { size, bold: true, color: hex(accent), font: FONT },
    paragraph: { spacing: { before: 240, after: 120 }, keepNext: true },
  });
  const body = [
    ...letterhead(profile),
    new Paragraph({ text: doc.title, heading: HeadingLevel.TITLE, ...bidi(doc.title) }),
    ...(doc.subtitle
      ? [
          new Paragraph({
            children: [
              new TextRun({ text: doc.subtitle, italics: true, size: 26, color: "555555" }),
            ],
          }),
        ]
      : []),
    ...(doc.sections.length > TOC_MIN_SECTIONS
      ? [new TableOfContents("Contents", { hyperlink: true, headingStyleRange: "1-3" })]
      : []),
    ...doc.sections.flatMap((s) => [
      new Paragraph({ text: s.title, heading: HeadingLevel.HEADING_1, ...bidi(s.title) }),
      ...s.blocks.flatMap((b) => block(b, accent, ids)),
    ]),
  ];
  const footer = new Footer({
    children: [
      new Paragraph({
        alignment: AlignmentType.CENTER,
        children: [
          new TextRun({
            children: [
              `${profile.company_name} — Page `,
              PageNumber.CURRENT,
              " of ",
              PageNumber.TOTAL_PAGES,
            ],
            size: 16,
            color: "777777",
          }),
        ],
      }),
    ],
  });
  const file = new DocxDocument({
    creator: profile.company_name,
    title: doc.title,
    features: { updateFields: doc.sections.length > TOC_MIN_SECTIONS },
    styles: {
      default: { document: { run: { font: FONT, size: 21 } } },
      paragraphStyles: [
        heading("Title", "Title", 44),
        heading("Heading1", "Heading 1", 32),
        heading("Heading2", "Heading 2", 26),
        heading("Heading3", "Heading 3", 23),
      ],
    },
    numbering: {
      config: [
        { reference: "bullets", levels: [0, 1, 2].map((l) => level(l, false)) },
        { reference: "numbered", levels: [0, 1, 2].map((l) => level(l, true)) },
      ],
    },
    sections: [{ footers: { default: footer }, children: body }],
  });
  return Packer.toBuffer(file);
}
