// Table column widths from the content, shared by the PDF and the .docx so a table has the same
// columns in both: the .docx had equal columns, and a 120-row table with a narrow "Description"
// ran to 28 pages in LibreOffice against 11 in the PDF. Each format measures text in its own font.
import type { Block } from "../domain/document.js";

type Table = Extract<Block, { type: "table" }>;

/** The width of `text` in the table's font and size (bold for the header row). */
export type Measure = (text: string, bold: boolean) => number;

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
 * Column widths summing to `width`: first room for each column's longest word (plus `pad` on
 * either side), then the rest in proportion to the room the widest cell still wants, so "Fee"
 * does not get as much as a sentence. Shared out by whole cells alone, nine columns beside two
 * long URLs left "Phase" as "Ph/as/e" and cut dates in pieces. A word wider than any column may
 * be (a long URL) is broken whatever its column gets, so such a column gives way: the other
 * columns' words are served first.
 */
export function columnWidths(
  t: Table,
  cols: number,
  width: number,
  pad: number,
  measure: Measure,
): number[] {
  const widestColumn = width * 0.6;
  const least = Math.min(40, width / cols);
  const cells = (c: number) =>
    [t.header, ...t.rows].map((r) => ({ text: r[c] ?? "", bold: r === t.header }));
  const words = Array.from({ length: cols }, (_, c) =>
    cells(c).flatMap(({ text, bold }) =>
      text.split(/\s+/).map((w) => measure(w, bold) + 2 * pad + 1),
    ),
  );
  const fitting = words.map((ws) => Math.max(0, ...ws.filter((w) => w <= widestColumn)));
  const breaks = words.map((ws) => ws.some((w) => w > widestColumn));
  const served = (yielding: boolean) => fitting.map((w, c) => (breaks[c] === yielding ? w : 0));
  const first = reserve(served(false), width - least * breaks.filter(Boolean).length, 0);
  const then = reserve(served(true), width - sum(first), 0);
  const reserved = fitting.map((_, c) => Math.max(least, breaks[c] ? then[c]! : first[c]!));
  const widest = reserved.map((r, c) => {
    const natural = Math.max(...cells(c).map(({ text, bold }) => measure(text, bold)));
    return Math.max(r, Math.min(natural + 2 * pad + 1, widestColumn));
  });
  const rest = width - sum(reserved);
  // So many columns that even `least` each does not fit: shrink them all alike.
  if (rest <= 0) return reserved.map((r) => (r / sum(reserved)) * width);
  const wants = widest.map((w, c) => w - reserved[c]!);
  if (sum(wants) > rest) return reserved.map((r, c) => r + (rest * wants[c]!) / sum(wants));
  // Every cell fits on one line with room to spare: the spare room follows the content too.
  return widest.map((w) => (w / sum(widest)) * width);
}
