// Tables in the PDF: columns as wide as their content needs (within the page), an accent header
// row repeated at the top of every page the table continues on, light banding, wrapped cells, and
// a row taller than a page split across pages.
import type { Block } from "../domain/document.js";
import { textOn } from "./colour.js";
import { isRtlParagraph } from "./direction.js";
import type { FontSet } from "./pdf-fonts.js";
import { drawLines, wrap, type Lines, type TextBox } from "./pdf-text.js";

type Pdf = PDFKit.PDFDocument;
type Table = Extract<Block, { type: "table" }>;

export interface TableFrame {
  left: number;
  width: number;
  bottom: number;
  /** The header row's fill: the brand colour. */
  fill: string;
}

const SIZE = 9.5;
const PAD = 5;

const sum = (ws: readonly number[]) => ws.reduce((a, b) => a + b, 0);

/**
 * Room for each column's longest word, shared max-min fairly when they do not all fit: every column
 * gets at least `least`, and each gets its longest word up to one common cap, the highest the
 * width allows (a fair share among the columns that need more).
 */
function reserve(words: readonly number[], width: number, least: number): number[] {
  const at = (cap: number) => words.map((w) => Math.max(least, Math.min(w, cap)));
  if (sum(at(Infinity)) <= width) return at(Infinity);
  let [low, high] = [least, width];
  for (let i = 0; i < 30; i++) {
    const cap = (low + high) / 2;
    if (sum(at(cap)) <= width) low = cap;
    else high = cap;
  }
  return at(low);
}

/**
 * Column widths: first room for each column's longest word, then the rest in proportion to the room
 * the widest cell still wants, so "Fee" does not get as much as a sentence. Shared out by whole
 * cells alone, nine columns beside two long URLs left "Phase" as "Ph/as/e" and cut dates in pieces.
 * A word wider than any column may be (a long URL) is broken whatever its column gets, so such a
 * column gives way: the other columns' words are served first.
 */
function columnWidths(pdf: Pdf, t: Table, cols: number, width: number): number[] {
  const widestColumn = width * 0.6;
  const least = Math.min(40, width / cols);
  const cells = (c: number) =>
    [t.header, ...t.rows].map((r) => ({
      text: r[c] ?? "",
      font: r === t.header ? "bold" : "regular",
    }));
  const words = Array.from({ length: cols }, (_, c) =>
    cells(c).flatMap(({ text, font }) => {
      pdf.font(font).fontSize(SIZE);
      return text.split(/\s+/).map((w) => pdf.widthOfString(w) + 2 * PAD + 1);
    }),
  );
  const fitting = words.map((ws) => Math.max(0, ...ws.filter((w) => w <= widestColumn)));
  const breaks = words.map((ws) => ws.some((w) => w > widestColumn));
  const served = (yielding: boolean) => fitting.map((w, c) => (breaks[c] === yielding ? w : 0));
  const first = reserve(served(false), width - least * breaks.filter(Boolean).length, 0);
  const then = reserve(served(true), width - sum(first), 0);
  const reserved = fitting.map((_, c) => Math.max(least, breaks[c] ? then[c]! : first[c]!));
  const widest = reserved.map((r, c) => {
    const natural = Math.max(
      ...cells(c).map(({ text, font }) => pdf.font(font).fontSize(SIZE).widthOfString(text)),
    );
    return Math.max(r, Math.min(natural + 2 * PAD + 1, widestColumn));
  });
  const rest = width - sum(reserved);
  // So many columns that even `least` each does not fit: shrink them all alike.
  if (rest <= 0) return reserved.map((r) => (r / sum(reserved)) * width);
  const wants = widest.map((w, c) => w - reserved[c]!);
  if (sum(wants) > rest) return reserved.map((r, c) => r + (rest * wants[c]!) / sum(wants));
  // Every cell fits on one line with room to spare: the spare room follows the content too.
  return widest.map((w) => (w / sum(widest)) * width);
}

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
  const widths = columnWidths(pdf, t, cols, frame.width);
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

  const drawRow = (row: Row, fill: string | null) => {
    const y = pdf.y;
    if (fill) pdf.rect(frame.left, y, frame.width, row.height).fill(fill);
    pdf
      .moveTo(frame.left, y + row.height)
      .lineTo(frame.left + frame.width, y + row.height)
      .lineWidth(0.5)
      .strokeColor("#c8c8c8")
      .stroke();
    for (const [lines, box] of row.laid) {
      pdf.y = y + PAD;
      drawLines(pdf, lines, box);
    }
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
    drawRow(header, frame.fill);
  };
  // Keep the header with the first row (or, when that is split, with its first lines).
  const first = t.rows[0] ? layoutRow(t.rows[0], false) : null;
  if (!fits(header.height + (first ? leastOf(first) : 0))) pdf.addPage();
  drawRow(header, frame.fill);
  t.rows.forEach((cells, i) => {
    let row = i === 0 && first ? first : layoutRow(cells, false);
    const fill = i % 2 === 1 ? "#f4f6f6" : null;
    if (!fits(leastOf(row))) nextPage();
    while (!fits(row.height)) {
      const [part, rest] = split(row, frame.bottom - pdf.y);
      drawRow(part, fill);
      nextPage();
      row = rest;
    }
    drawRow(row, fill);
  });
  pdf.moveDown(0.8);
}
