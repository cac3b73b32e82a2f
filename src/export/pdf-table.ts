// Tables in the PDF: columns as wide as their content needs (within the page), an accent header
// row repeated at the top of every page the table continues on, light banding, wrapped cells.
import type { Block } from "../domain/document.js";
import { textOn } from "./colour.js";
import { isRtlParagraph } from "./direction.js";
import type { FontSet } from "./pdf-fonts.js";
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
}

const SIZE = 9.5;
const PAD = 5;

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

  const layoutRow = (cells: readonly string[], header: boolean) => {
    const laid: [Lines, TextBox][] = xs.map((x, i) => {
      const box = { x: x + PAD, width: widths[i]! - 2 * PAD, size: SIZE };
      const run = {
        text: cells[i] ?? "",
        font: header ? ("bold" as const) : ("regular" as const),
        color: header ? textOn(frame.fill) : "#222222",
      };
      return [wrap(pdf, fonts, [run], box), box];
    });
    const height = Math.max(...laid.map(([l]) => l.lines.length * l.lineHeight)) + 2 * PAD;
    return { laid, height };
  };

  const drawRow = (row: ReturnType<typeof layoutRow>, fill: string | null) => {
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
  const fits = (h: number) => pdf.y + h <= frame.bottom;
  // Keep the header with at least the first row.
  const first = t.rows[0] ? layoutRow(t.rows[0], false) : null;
  if (!fits(header.height + (first?.height ?? 0))) pdf.addPage();
  drawRow(header, frame.fill);
  t.rows.forEach((cells, i) => {
    const row = i === 0 && first ? first : layoutRow(cells, false);
    if (!fits(row.height)) {
      pdf.addPage();
      drawRow(header, frame.fill);
    }
    drawRow(row, i % 2 === 1 ? "#f4f6f6" : null);
  });
  pdf.moveDown(0.8);
}
