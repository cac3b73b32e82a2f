// Column widths of a .docx table, from its content by the PDF's rule (table-columns.ts), measured
// in the .docx's own font: Arial has Helvetica's widths, which pdfkit carries (no font file read).
// Characters outside Helvetica's Latin set have no width there; they are counted at a full em
// when East Asian wide, else at an average letter.
import PDFDocument from "pdfkit";
import type { Block } from "../domain/document.js";
import { columnWidths } from "./table-columns.js";

type Table = Extract<Block, { type: "table" }>;

/** The table text: the document's 10.5 pt, and the cells' 100-twip side margins. */
const SIZE = 10.5;
const PAD = 5;
const AVERAGE_EM = 0.55;

const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60]/u;

let metrics: PDFKit.PDFDocument | undefined;
/** Widths of single characters at 1 pt, regular and bold: words repeat their letters. */
const known = [new Map<string, number>(), new Map<string, number>()];

function charWidth(char: string, bold: boolean): number {
  const cache = known[bold ? 1 : 0]!;
  let w = cache.get(char);
  if (w === undefined) {
    metrics ??= new PDFDocument({ autoFirstPage: false });
    w = metrics
      .font(bold ? "Helvetica-Bold" : "Helvetica")
      .fontSize(1)
      .widthOfString(char);
    if (w === 0 && !/\s/.test(char)) w = WIDE.test(char) ? 1 : AVERAGE_EM;
    cache.set(char, w);
  }
  return w;
}

const textWidth = (text: string, bold: boolean) => {
  let w = 0;
  for (const char of text) w += charWidth(char, bold);
  return w * SIZE;
};

/** Twips per column, summing to `textArea`: the page's text width, twips. */
export function docxColumnWidths(t: Table, cols: number, textArea: number): number[] {
  const points = columnWidths(t, cols, textArea / 20, PAD, textWidth);
  return points.map((w) => Math.round(w * 20));
}
