// The part of fontkit (pdfkit's own font engine, which ships no types) that the PDF renderer uses:
// asking a font whether it has a glyph, so text falls back to a font that does instead of a box.
declare module "fontkit" {
  export interface Font {
    hasGlyphForCodePoint(codePoint: number): boolean;
  }
  export function create(buffer: Buffer): Font;
}
