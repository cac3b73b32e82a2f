// The language a PDF declares (its /Lang), which a screen reader reads it in. The document model
// has no language of its own, so it is told from the script most of its letters are in. Most
// scripts name their language; Cyrillic is taken for Russian, its most written language, and
// Latin, whatever the language, for English, as the PDF's own words ("Contents", "Page 1 of 2")
// are English. A language chosen for the workroom would be a better source, when there is one.

/** Code point ranges (from, to) of each script's letters. */
const SCRIPTS: [string, [number, number][]][] = [
  [
    "en",
    [
      [0x41, 0x5a],
      [0x61, 0x7a],
      [0xc0, 0x24f],
    ],
  ],
  [
    "el",
    [
      [0x370, 0x3ff],
      [0x1f00, 0x1fff],
    ],
  ],
  ["ru", [[0x400, 0x4ff]]],
  [
    "he",
    [
      [0x590, 0x5ff],
      [0xfb1d, 0xfb4f],
    ],
  ],
  [
    "ar",
    [
      [0x600, 0x6ff],
      [0x750, 0x77f],
      [0x8a0, 0x8ff],
      [0xfb50, 0xfdff],
      [0xfe70, 0xfeff],
    ],
  ],
  [
    "ko",
    [
      [0x1100, 0x11ff],
      [0x3130, 0x318f],
      [0xac00, 0xd7af],
    ],
  ],
  [
    "ja",
    [
      [0x3040, 0x30ff],
      [0x31f0, 0x31ff],
      [0xff66, 0xff9f],
    ],
  ],
  [
    "zh",
    [
      [0x3400, 0x4dbf],
      [0x4e00, 0x9fff],
      [0xf900, 0xfaff],
    ],
  ],
];

const scriptOf = (code: number) =>
  SCRIPTS.find(([, ranges]) => ranges.some(([from, to]) => code >= from && code <= to))?.[0];

/** A BCP 47 language tag for `text`: that of the script most of its letters are in. */
export function languageOf(text: string): string {
  const counts = new Map<string, number>(SCRIPTS.map(([lang]) => [lang, 0]));
  let latin = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // Most text is ASCII: count its letters without a look-up.
    if (code < 0x80) latin += (code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a ? 1 : 0;
    else {
      const lang = scriptOf(code);
      if (lang) counts.set(lang, counts.get(lang)! + 1);
    }
  }
  counts.set("en", counts.get("en")! + latin);
  // Japanese is written in kanji (counted as Chinese) and kana together: any real share of kana
  // makes it Japanese, and its kanji count for it.
  const kana = counts.get("ja")!;
  const han = counts.get("zh")!;
  if (kana > 0.1 * (kana + han)) counts.set("ja", kana + han).set("zh", 0);
  let best = "en";
  for (const [lang, n] of counts) if (n > counts.get(best)!) best = lang;
  return best;
}
