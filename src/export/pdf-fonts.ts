// The fonts embedded in every PDF and the choice of font per character: a run keeps its style
// (bold, italic) where the font has the glyph and falls back to a face that has it otherwise
// (DejaVu Sans Oblique has no Arabic; no DejaVu face has Chinese, Japanese or Korean, which Droid
// Sans Fallback and Nanum Gothic draw, or most emoji, which Symbola draws in black and white), so
// no text is drawn as missing-glyph boxes.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { create, type Font } from "fontkit";

/** The four DejaVu faces a text asks for, and the last resorts for what none of them has. */
export type FontKey = StyleKey | LastResort;
type StyleKey = "regular" | "bold" | "italic" | "boldItalic";
type LastResort = "cjk" | "hangul" | "emoji";

const FILES: Record<StyleKey, string> = {
  regular: "DejaVuSans.ttf",
  bold: "DejaVuSans-Bold.ttf",
  italic: "DejaVuSans-Oblique.ttf",
  boldItalic: "DejaVuSans-BoldOblique.ttf",
};

/**
 * One upright face each, from Debian: Chinese and Japanese (fonts-droid-fallback, 4 MB), Korean
 * (fonts-nanum) and emoji (fonts-symbola, 3 MB: the emoji of Unicode 9 and many symbols, in
 * outline; pdfkit cannot draw the colour bitmap or layered faces such as Noto Color Emoji).
 * Optional: without them such text has no glyphs, and `uncovered` says which.
 */
export const LAST_RESORT_FONTS: Record<LastResort, string> = {
  cjk: "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
  hangul: "/usr/share/fonts/truetype/nanum/NanumGothic.ttf",
  emoji: "/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf",
};
const LAST: LastResort[] = ["cjk", "hangul", "emoji"];

/** The last-resort faces' files, by key; one that is missing is left out. */
export type LastResortFonts = Partial<Record<LastResort, string>>;

/** Where to look next when a face lacks a glyph: keep the weight, then any face. */
const FALLBACK: Record<FontKey, FontKey[]> = {
  regular: ["regular", "bold", ...LAST],
  bold: ["bold", "regular", ...LAST],
  italic: ["italic", "regular", "bold", ...LAST],
  boldItalic: ["boldItalic", "bold", "regular", ...LAST],
  cjk: LAST,
  hangul: LAST,
  emoji: LAST,
};

export interface FontSet {
  /** The faces to register, by key (the last resorts only where they are installed). */
  files: Partial<Record<FontKey, Buffer>>;
  /** The face to draw `char` in, given the style the text asks for. */
  faceFor(style: FontKey, char: string): FontKey;
  /** Whether the face has every character of `word` (remembered per word: words repeat). */
  covers(style: FontKey, word: string): boolean;
  /** Characters of `text` that no embedded face can draw. */
  uncovered(text: string): string[];
}

// Font files never change while the process runs; parsing them once saves ~30 ms per export.
const loaded = new Map<string, FontSet>();

export function loadFonts(dir: string, lastResorts: LastResortFonts = LAST_RESORT_FONTS): FontSet {
  const cacheKey = JSON.stringify([dir, lastResorts]);
  const known = loaded.get(cacheKey);
  if (known) return known;
  const files: Partial<Record<FontKey, Buffer>> = {};
  const faces: Partial<Record<FontKey, Font>> = {};
  for (const key of Object.keys(FILES) as StyleKey[]) {
    const path = join(dir, FILES[key]);
    try {
      files[key] = readFileSync(path);
    } catch {
      throw new Error(
        `PDF export needs the font ${path}. Install Debian's fonts-dejavu-core (bash scripts/install-system-deps.sh) or pass fontDir to a folder with the DejaVu Sans files.`,
      );
    }
    faces[key] = create(files[key]);
  }
  for (const key of LAST) {
    const file = lastResorts[key];
    if (file && existsSync(file)) faces[key] = create((files[key] = readFileSync(file)));
  }
  const has = (key: FontKey, char: string) =>
    /\s/.test(char) || (faces[key]?.hasGlyphForCodePoint(char.codePointAt(0)!) ?? false);
  // Asked once per character of every export: remember the answer.
  const chosen = new Map<string, FontKey>();
  const words = new Map<string, boolean>();
  const set: FontSet = {
    files,
    faceFor: (style, char) => {
      const key = style + char;
      let face = chosen.get(key);
      if (!face) chosen.set(key, (face = FALLBACK[style].find((k) => has(k, char)) ?? style));
      return face;
    },
    covers: (style, word) => {
      const key = style + word;
      let ok = words.get(key);
      if (ok === undefined) {
        ok = [...word].every((c) => has(style, c));
        if (words.size > 100_000) words.clear(); // a long-running server sees many words
        words.set(key, ok);
      }
      return ok;
    },
    uncovered: (text) =>
      [...new Set(text)].filter((c) => !FALLBACK.boldItalic.some((k) => has(k, c))),
  };
  loaded.set(cacheKey, set);
  return set;
}
