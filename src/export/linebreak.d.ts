// The part of linebreak (UAX #14, the Unicode line breaking algorithm; pdfkit's own dependency,
// which ships no types) that the PDF renderer uses: the break opportunities in a string.
declare module "linebreak" {
  export default class LineBreaker {
    constructor(text: string);
    /** The next break opportunity: a line may start at `position`; null after the last. */
    nextBreak(): { position: number; required: boolean } | null;
  }
}
