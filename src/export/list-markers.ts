// List markers, the same in both formats: by nesting depth 1. / a. / i. for numbers and • / ◦ / ▪
// for bullets, in turn, as Word's default multilevel list. The .docx names the number formats and
// Word or LibreOffice draws them; the PDF draws the same text, past z (aa., bb.) and past xxxix.
// (xl.) too, where it used to switch to digits.

/** Lists indent one step per level up to Word's nine; deeper lists stay at the ninth's indent. */
export const LIST_LEVELS = 9;

export const BULLETS = ["•", "◦", "▪"] as const;
/** The number formats by depth, named as in Office Open XML (`w:numFmt`). */
export const NUMBER_FORMATS = ["decimal", "lowerLetter", "lowerRoman"] as const;

const ROMAN: [number, string][] = [
  [1000, "m"],
  [900, "cm"],
  [500, "d"],
  [400, "cd"],
  [100, "c"],
  [90, "xc"],
  [50, "l"],
  [40, "xl"],
  [10, "x"],
  [9, "ix"],
  [5, "v"],
  [4, "iv"],
  [1, "i"],
];

function roman(n: number): string {
  let out = "";
  for (const [value, numeral] of ROMAN) for (; n >= value; n -= value) out += numeral;
  return out;
}

/** a … z, then aa … zz, aaa …: the letter repeated, as Word and LibreOffice count. */
const letters = (n: number) =>
  String.fromCharCode(97 + ((n - 1) % 26)).repeat(Math.floor((n - 1) / 26) + 1);

/** The marker of the `n`th item (from 1) of a list nested `depth` levels deep (from 0). */
export function listMarker(ordered: boolean, n: number, depth: number): string {
  if (!ordered) return BULLETS[depth % 3]!;
  const format = NUMBER_FORMATS[depth % 3]!;
  const number =
    format === "decimal" ? String(n) : format === "lowerLetter" ? letters(n) : roman(n);
  return `${number}.`;
}
