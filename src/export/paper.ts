// The page sizes the letterhead offers, in each renderer's unit: PDF points (1/72 in) and .docx
// twips (1/20 pt). A4 is 210 × 297 mm; US Letter 8.5 × 11 in.
import type { PaperSize } from "../domain/export-profile.js";

export interface Paper {
  /** pdfkit's name for it. */
  pdfkit: "A4" | "LETTER";
  /** Width and height in twips. */
  twips: { width: number; height: number };
}

export const PAPER: Record<PaperSize, Paper> = {
  a4: { pdfkit: "A4", twips: { width: 11_906, height: 16_838 } },
  letter: { pdfkit: "LETTER", twips: { width: 12_240, height: 15_840 } },
};

/** The .docx's side margins: docx's default inch. */
export const DOCX_SIDE_MARGIN = 1_440;

/** The text area's width of a .docx page, between its side margins, in twips. */
export const docxTextWidth = (size: PaperSize): number =>
  PAPER[size].twips.width - 2 * DOCX_SIDE_MARGIN;
