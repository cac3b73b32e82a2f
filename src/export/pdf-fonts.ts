// The fonts embedded in every PDF and the choice of font per character: a run keeps its style
// (bold, italic) where the font has the glyph and falls back to a face that has it otherwise
// (DejaVu Sans Oblique has no Arabic), so no text is ever drawn as missing-glyph boxes.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { create, type Font } from "fontkit";

export type FontKey = "regular" | "bold" | "italic" | "boldItalic";

const FILES: Record<FontKey, string> = {
  regular: "DejaVuSans.ttf",
  bold: "DejaVuSans-Bold.ttf",
  italic: "DejaVuSans-Oblique.ttf",
  boldItalic: "DejaVuSans-BoldOblique.ttf",
};

/** Where to look next when a face lacks a glyph: keep the weight, then any face. */
const FALLBACK: Record<FontKey, FontKey[]> = {
  regular: ["regular", "bold"],
  bold: ["bold", "regular"],
  italic: ["italic", "regular", "bold"],
  boldItalic: ["boldItalic", "bold", "regular"],
};

export interface FontSet {
  files: Record<FontKey, Buffer>;
  /** The face to draw `char` in, given the style the text asks for. */
  faceFor(style: FontKey, char: string): FontKey;
  /** Whether the face has every character of `word` (remembered per word: words repeat). */
  covers(style: FontKey, word: string): boolean;
  /** Characters of `text` that no embedded face can draw. */
  uncovered(text: string): string[];
}

// Font files never change while the process runs; parsing them once saves ~30 ms per export.
const loaded = new Map<string, FontSet>();

export function loadFonts(dir: string): FontSet {
  const known = loaded.get(dir);
  if (known) return known;
  const files = {} as Record<FontKey, Buffer>;
  const faces = {} as Record<FontKey, Font>;
  for (const key of Object.keys(FILES) as FontKey[]) {
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
  const has = (key: FontKey, char: string) =>
    /\s/.test(char) || faces[key].hasGlyphForCodePoint(char.codePointAt(0)!);
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
  loaded.set(dir, set);
  return set;
}
