// Rich text in the PDF: wraps styled runs into lines, then draws each line in visual order with
// the Unicode bidirectional algorithm (bidi-js). pdfkit alone lays every line out left to right, so
// an Arabic sentence with "2024" in it, or a Hebrew word inside English, came out scrambled.
// Right-to-left pieces are handed to fontkit in logical order: it shapes them (Arabic joining)
// and reverses their glyphs itself; we only order the pieces and mirror brackets.
import { createRequire } from "node:module";
import type { Bidi } from "bidi-js";
import type { FontKey, FontSet } from "./pdf-fonts.js";

type Pdf = PDFKit.PDFDocument;

// bidi-js is a CommonJS module whose `module.exports` is the factory, while its types describe an
// ES default export; under NodeNext those disagree, so load it by require and name its type.
const bidi = (createRequire(import.meta.url)("bidi-js") as () => Bidi)();

export interface Run {
  text: string;
  font: FontKey;
  color: string;
  link?: string | undefined;
}

export interface TextBox {
  x: number;
  width: number;
  size: number;
  /** Defaults to the paragraph's direction: left for left-to-right text, right for Hebrew/Arabic. */
  align?: "left" | "right" | "center";
  lineGap?: number;
}

/** A piece of one line: one face, one colour, one link, one bidi level. */
interface Piece extends Run {
  level: number;
  width: number;
}

export interface Lines {
  lines: Piece[][];
  rtl: boolean;
  lineHeight: number;
}

const RTL_LETTER = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/;
const ARABIC = /[\u0600-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]/;

/**
 * Without `features` pdfkit lays text out word by word in logical order, which reverses the words
 * of a right-to-left line; with them it hands the whole piece to fontkit, which reverses it.
 */
const shaping = (p: Piece) =>
  p.level % 2 === 1 && RTL_LETTER.test(p.text) ? { features: [] } : {};

const scriptOf = (c: string) => (RTL_LETTER.test(c) ? (ARABIC.test(c) ? "ar" : "he") : null);

const samePiece = (a: Run & { level: number }, b: Run & { level: number }) =>
  a.font === b.font && a.level === b.level && a.color === b.color && a.link === b.link;

/**
 * Splits runs into words and spaces, and wherever the face (glyph fallback), the bidi level or the
 * script changes: fontkit shapes a piece by its first script, so Arabic must not follow Hebrew.
 */
function pieces(pdf: Pdf, fonts: FontSet, runs: readonly Run[], size: number, levels: Uint8Array) {
  const out: Piece[] = [];
  let offset = 0;
  let lastScript: "ar" | "he" | null = null;
  for (const run of runs) {
    for (const char of run.text) {
      const next = {
        ...run,
        text: char,
        font: fonts.faceFor(run.font, char),
        level: levels[offset]!,
      };
      const script = scriptOf(char);
      const last = out.at(-1);
      if (
        last &&
        samePiece(last, next) &&
        (!script || !lastScript || script === lastScript) &&
        /\s/.test(char) === /\s$/.test(last.text)
      ) {
        last.text += char;
        lastScript ??= script;
      } else {
        out.push({ ...next, width: 0 });
        lastScript = script;
      }
      offset += char.length;
    }
  }
  for (const p of out) p.width = pdf.font(p.font).fontSize(size).widthOfString(p.text, shaping(p));
  return out;
}

/** Joins neighbours that can be drawn in one call (same face, colour, link, level and script). */
function merge(line: readonly Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const p of line) {
    const last = out.at(-1);
    const scripts = new Set([...((last?.text ?? "") + p.text)].map(scriptOf).filter(Boolean));
    if (last && samePiece(last, p) && scripts.size <= 1)
      out[out.length - 1] = { ...last, text: last.text + p.text, width: last.width + p.width };
    else out.push(p);
  }
  return out;
}

/** Wraps runs into lines of at most `box.width`, breaking at spaces and "\n". */
export function wrap(pdf: Pdf, fonts: FontSet, runs: readonly Run[], box: TextBox): Lines {
  const text = runs.map((r) => r.text).join("");
  const embedding = bidi.getEmbeddingLevels(text, "auto");
  const rtl = (embedding.paragraphs[0]?.level ?? 0) % 2 === 1;
  const all = pieces(pdf, fonts, runs, box.size, embedding.levels);
  const lines: Piece[][] = [[]];
  let used = 0;
  let word: Piece[] = [];
  let wordWidth = 0;
  const flushWord = () => {
    if (used + wordWidth > box.width && lines.at(-1)!.length) {
      lines.push([]);
      used = 0;
    }
    lines.at(-1)!.push(...word);
    used += wordWidth;
    word = [];
    wordWidth = 0;
  };
  for (const p of all) {
    if (p.text.includes("\n")) {
      flushWord();
      lines.push([]);
      used = 0;
    } else if (/^\s+$/.test(p.text)) {
      flushWord();
      if (lines.at(-1)!.length) {
        lines.at(-1)!.push(p);
        used += p.width;
      }
    } else {
      word.push(p);
      wordWidth += p.width;
    }
  }
  flushWord();
  // Spaces at the end of a line take no room (and would push right-aligned text off its edge).
  for (const line of lines) while (line.length && /^\s+$/.test(line.at(-1)!.text)) line.pop();
  pdf.fontSize(box.size);
  return { lines, rtl, lineHeight: pdf.currentLineHeight(true) + (box.lineGap ?? 2) };
}

/** Rule L2 of the bidi algorithm over whole pieces: reverse runs at each odd-or-higher level. */
function visualOrder(line: readonly Piece[]): Piece[] {
  const out = [...line];
  const max = Math.max(0, ...out.map((p) => p.level));
  const minOdd = Math.min(...out.map((p) => p.level).filter((l) => l % 2 === 1), max + 1);
  for (let level = max; level >= minOdd; level--) {
    for (let i = 0; i < out.length;) {
      if (out[i]!.level < level) {
        i++;
        continue;
      }
      let j = i;
      while (j < out.length && out[j]!.level >= level) j++;
      out.splice(i, j - i, ...out.slice(i, j).reverse());
      i = j;
    }
  }
  return out;
}

/** Right-to-left text is mirrored ("(" becomes ")"); a piece with no Hebrew/Arabic letter is also
 * reversed here because fontkit only reverses text it recognises as a right-to-left script. */
function drawable(p: Piece): string {
  if (p.level % 2 === 0) return p.text;
  const mirrored = [...p.text].map((c) => bidi.getMirroredCharacter(c) ?? c);
  return (RTL_LETTER.test(p.text) ? mirrored : mirrored.reverse()).join("");
}

export interface DrawOptions {
  /** Start a new page when a line would cross this y (body text); omit inside table cells. */
  pageBottom?: number;
  /** Called before each line is drawn, e.g. to draw a quote's bar beside it. */
  beforeLine?: (y: number, height: number) => void;
}

/** Draws wrapped lines from `pdf.y` down and leaves `pdf.y` below the last one. */
export function drawLines(pdf: Pdf, laid: Lines, box: TextBox, options: DrawOptions = {}): void {
  const align = box.align ?? (laid.rtl ? "right" : "left");
  let y = pdf.y;
  for (const line of laid.lines) {
    if (options.pageBottom !== undefined && y + laid.lineHeight > options.pageBottom) {
      pdf.addPage();
      y = pdf.page.margins.top;
    }
    options.beforeLine?.(y, laid.lineHeight);
    const width = line.reduce((sum, p) => sum + p.width, 0);
    let x =
      align === "left"
        ? box.x
        : align === "right"
          ? box.x + box.width - width
          : box.x + (box.width - width) / 2;
    for (const p of visualOrder(merge(line))) {
      pdf
        .font(p.font)
        .fontSize(box.size)
        .fillColor(p.color)
        .text(drawable(p), x, y, { lineBreak: false, ...shaping(p) });
      // pdfkit sizes link areas and underlines from its own line wrapper, which we bypass here.
      if (p.link) {
        pdf.link(x, y, p.width, laid.lineHeight, p.link);
        const base = y + box.size * 1.05;
        pdf
          .moveTo(x, base)
          .lineTo(x + p.width, base)
          .lineWidth(box.size / 16)
          .strokeColor(p.color);
        pdf.stroke();
      }
      x += p.width;
    }
    y += laid.lineHeight;
  }
  pdf.x = box.x;
  pdf.y = y;
}

/** Wraps and draws in one go. */
export function write(
  pdf: Pdf,
  fonts: FontSet,
  runs: readonly Run[],
  box: TextBox,
  options: DrawOptions = {},
): void {
  drawLines(pdf, wrap(pdf, fonts, runs, box), box, options);
}
