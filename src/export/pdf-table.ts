// Tables in the PDF: columns as wide as their content needs (within the page), an accent header
// row repeated at the top of every page the table continues on, light banding, wrapped cells, and
// a row taller than a page split across pages. Tagged as Table, TR, TH and TD; the header row
// repeated on later pages, the fills and the rules are artifacts.
import type { Block } from "../domain/document.js";
import { textOn } from "./colour.js";
import { isRtlParagraph } from "./direction.js";
import type { FontSet } from "./pdf-fonts.js";
import { artifact, group, mark, type Element } from "./pdf-tags.js";
import { drawLines, wrap, type Lines, type TextBox } from "./pdf-text.js";
import { columnWidths } from "./table-columns.js";

type Pdf = PDFKit.PDFDocument;
type Table = Extract<Block, { type: "table" }>;

export interface TableFrame {
  left: number;
  width: number;
  bottom: number;
  /** The header row's fill: the brand colour. */
  fill: string;
  /** The structure element the table goes in. */
  parent: Element;
}

const SIZE = 9.5;
const PAD = 5;

/** A row's cells, each wrapped into lines in its box, and the row's height. */
interface Row {
  laid: [Lines, TextBox][];
  height: number;
}

/** How many lines of a split row at least start on the page the row starts on. */
const SPLIT_LINES = 3;

const heightOf = (laid: readonly [Lines, TextBox][]) =>
  Math.max(...laid.map(([l]) => l.lines.length * l.lineHeight)) + 2 * PAD;

/**
 * A row cut after as many lines of each cell as fit in `room` (at least one, so a split always
 * moves on), and the rest of it.
 */
function split(row: Row, room: number): [Row, Row] {
  const fitting = row.laid.map(([l]) => Math.max(1, Math.floor((room - 2 * PAD) / l.lineHeight)));
  const side = (head: boolean) =>
    row.laid.map(([l, box], i): [Lines, TextBox] => {
      const lines = head ? l.lines.slice(0, fitting[i]) : l.lines.slice(fitting[i]);
      return [{ ...l, lines }, box];
    });
  const [head, tail] = [side(true), side(false)];
  return [
    { laid: head, height: heightOf(head) },
    { laid: tail, height: heightOf(tail) },
  ];
}

export function drawTable(pdf: Pdf, fonts: FontSet, t: Table, frame: TableFrame): void {
  const cols = Math.max(t.header.length, ...t.rows.map((r) => r.length));
  const widths = columnWidths(t, cols, frame.width, PAD, (text, bold) =>
    pdf
      .font(bold ? "bold" : "regular")
      .fontSize(SIZE)
      .widthOfString(text),
  );
  const before = (i: number) => widths.slice(0, i).reduce((a, b) => a + b, 0);
  // A table whose header reads right to left starts its first column at the right.
  const rtl = isRtlParagraph(t.header.join(" "));
  const xs = widths.map((w, i) =>
    rtl ? frame.left + frame.width - before(i) - w : frame.left + before(i),
  );

  const layoutRow = (cells: readonly string[], header: boolean): Row => {
    const laid: [Lines, TextBox][] = xs.map((x, i) => {
      const box = { x: x + PAD, width: widths[i]! - 2 * PAD, size: SIZE };
      const run = {
        text: cells[i] ?? "",
        font: header ? ("bold" as const) : ("regular" as const),
        color: header ? textOn(frame.fill) : "#222222",
      };
      return [wrap(pdf, fonts, [run], box), box];
    });
    return { laid, height: heightOf(laid) };
  };

  const table = group(pdf, frame.parent, "Table");
  /** A row's elements: one TR and its cells, TH in the header row, TD in the others. */
  const rowTags = (type: "TH" | "TD") => {
    const tr = group(pdf, table, "TR");
    return { tr, type, cells: xs.map(() => group(pdf, tr, type)) };
  };
  type RowTags = ReturnType<typeof rowTags>;

  /** Draws a row, or part of one; with no tags (the header row repeated), as an artifact. */
  const drawRow = (row: Row, fill: string | null, tags: RowTags | null) => {
    const y = pdf.y;
    artifact(pdf, () => {
      if (fill) pdf.rect(frame.left, y, frame.width, row.height).fill(fill);
      pdf
        .moveTo(frame.left, y + row.height)
        .lineTo(frame.left + frame.width, y + row.height)
        .lineWidth(0.5)
        .strokeColor("#c8c8c8")
        .stroke();
    });
    row.laid.forEach(([lines, box], i) => {
      pdf.y = y + PAD;
      const draw = () => drawLines(pdf, lines, box);
      if (tags) mark(pdf, tags.cells[i]!, tags.type, draw);
      else artifact(pdf, draw, "Pagination");
    });
    pdf.x = frame.left;
    pdf.y = y + row.height;
  };

  const header = layoutRow(t.header, true);
  const top = pdf.page.margins.top;
  const fits = (h: number) => pdf.y + h <= frame.bottom;
  // A row taller than a page below the header row is split across pages (its cells' text ran
  // off the page otherwise); any other row moves whole to the next page, as in the .docx.
  const tall = (row: Row) => row.height > frame.bottom - top - header.height;
  // A split row starts where the table is if a few of its lines fit there.
  const leastOf = (row: Row) =>
    tall(row)
      ? 2 * PAD + SPLIT_LINES * Math.max(...row.laid.map(([l]) => l.lineHeight))
      : row.height;
  const nextPage = () => {
    pdf.addPage();
    drawRow(header, frame.fill, null);
  };
  // Keep the header with the first row (or, when that is split, with its first lines).
  const first = t.rows[0] ? layoutRow(t.rows[0], false) : null;
  if (!fits(header.height + (first ? leastOf(first) : 0))) pdf.addPage();
  const headerTags = rowTags("TH");
  drawRow(header, frame.fill, headerTags);
  headerTags.tr.end();
  t.rows.forEach((cells, i) => {
    let row = i === 0 && first ? first : layoutRow(cells, false);
    const fill = i % 2 === 1 ? "#f4f6f6" : null;
    if (!fits(leastOf(row))) nextPage();
    // A row split over pages is one TR: each cell's parts go in the same TD.
    const tags = rowTags("TD");
    while (!fits(row.height)) {
      const [part, rest] = split(row, frame.bottom - pdf.y);
      drawRow(part, fill, tags);
      nextPage();
      row = rest;
    }
    drawRow(row, fill, tags);
    tags.tr.end();
  });
  table.end();
  pdf.moveDown(0.8);
}
