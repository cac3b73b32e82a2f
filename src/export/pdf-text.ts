// Rich text in the PDF: wraps styled runs into lines, then draws each line in visual order with
// the Unicode bidirectional algorithm (bidi-js). pdfkit alone lays every line out left to right, so
// an Arabic sentence with "2024" in it, or a Hebrew word inside English, came out scrambled.
// Right-to-left pieces are handed to fontkit in logical order: it shapes them (Arabic joining)
// and reverses their glyphs itself; we only order the pieces and mirror brackets.
import { createRequire } from "node:module";
import type { Bidi } from "bidi-js";
import { breaksInside } from "./cjk-breaks.js";
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
  /** The right-to-left script of its letters, if any. */
  script: Script;
  /** Only spaces (a break opportunity) rather than part of a word. */
  space: boolean;
  /** A line may start here though no space comes before (between Chinese or Japanese characters). */
  breakBefore: boolean;
}

export interface Lines {
  lines: Piece[][];
  rtl: boolean;
  lineHeight: number;
}

/**
 * Hebrew and Arabic script, which fontkit lays out right to left whatever the bidi level: the
 * letters, and also the Arabic-Indic (٠-٩) and Persian (۰-۹) digits and their separators (٫ ٬),
 * which the bidi algorithm keeps left to right (classes AN and EN) inside right-to-left text.
 */
const RTL_SCRIPT = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/;
const BIDI_NEEDED = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF\u200F\u202B\u202E\u2067]/;
const ARABIC = /[\u0600-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]/;

/**
 * Without `features` pdfkit lays text out word by word in logical order, which reverses the words
 * of a right-to-left line; with them it hands the whole piece to fontkit, which reverses it (and
 * so turns back a number we reversed, see `drawable`).
 */
const shaping = (p: Piece) => (RTL_SCRIPT.test(p.text) ? { features: [] } : {});

type Script = "ar" | "he" | null;
const TOKENS = /[ \t\n]+|[^ \t\n]+/g;
/** Whether every character of `token` at `offset` has the same bidi level. */
const flat = (levels: Uint8Array, offset: number, token: string) => {
  for (let i = 1; i < token.length; i++) if (levels[offset + i] !== levels[offset]) return false;
  return true;
};
const scriptOf = (c: string): Script =>
  RTL_SCRIPT.test(c) ? (ARABIC.test(c) ? "ar" : "he") : null;
const sameScript = (a: Script, b: Script) => !a || !b || a === b;

const samePiece = (a: Run & { level: number }, b: Run & { level: number }) =>
  a.font === b.font && a.level === b.level && a.color === b.color && a.link === b.link;

// Built field by field: an object spread here was most of the PDF export's time.
const piece = (
  run: Run,
  text: string,
  font: FontKey,
  level: number,
  script: Script,
  space: boolean,
): Piece => ({
  text,
  font,
  color: run.color,
  link: run.link,
  level,
  script,
  space,
  breakBefore: false,
  width: 0,
});

/**
 * Splits runs into words and spaces, and wherever the face (glyph fallback), the bidi level or the
 * script changes: fontkit shapes a piece by its first script, so Arabic must not follow Hebrew.
 * A word of Chinese or Japanese is also split where a line may break inside it.
 */
function pieces(pdf: Pdf, fonts: FontSet, runs: readonly Run[], size: number, levels: Uint8Array) {
  const out: Piece[] = [];
  let offset = 0;
  for (const run of runs) {
    let last: Piece | undefined;
    // Fast path, one piece per word or space, when a token needs no per-character decisions.
    for (const token of run.text.match(TOKENS) ?? []) {
      const level = levels[offset]!;
      const breaks = breaksInside(token);
      if (
        !breaks.length &&
        !RTL_SCRIPT.test(token) &&
        fonts.covers(run.font, token) &&
        flat(levels, offset, token)
      ) {
        const space = token.trim() === "";
        out.push((last = piece(run, token, run.font, level, null, space)));
        offset += token.length;
        continue;
      }
      last = undefined;
      const start = offset;
      let next = 0;
      for (const char of token) {
        const font = fonts.faceFor(run.font, char);
        const level = levels[offset]!;
        const script = scriptOf(char);
        const space = char === " " || char === "\t" || char === "\n";
        const breakBefore = breaks[next] === offset - start;
        if (breakBefore) next++;
        if (
          !breakBefore &&
          last &&
          last.font === font &&
          last.level === level &&
          last.space === space &&
          sameScript(last.script, script)
        ) {
          last.text += char;
          last.script ??= script;
        } else {
          last = piece(run, char, font, level, script, space);
          last.breakBefore = breakBefore;
          out.push(last);
        }
        offset += char.length;
      }
    }
  }
  pdf.fontSize(size);
  let face: FontKey | null = null;
  for (const p of out) {
    if (p.font !== face) pdf.font((face = p.font));
    p.width = pdf.widthOfString(p.text, shaping(p));
  }
  return out;
}

/** Joins neighbours that can be drawn in one call (same face, colour, link, level and script). */
function merge(line: readonly Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const p of line) {
    const last = out.at(-1);
    // Left-to-right Arabic-Indic digits are drawn reversed (see `drawable`): apart from other text.
    const even = p.level % 2 === 0 && (last?.script ?? null) !== p.script;
    if (last && samePiece(last, p) && sameScript(last.script, p.script) && !even) {
      const joined = piece(
        last,
        last.text + p.text,
        last.font,
        last.level,
        last.script ?? p.script,
        false,
      );
      joined.width = last.width + p.width;
      out[out.length - 1] = joined;
    } else out.push(p);
  }
  return out;
}

/**
 * Wraps runs into lines of at most `box.width`, breaking at spaces and "\n", and between Chinese
 * or Japanese characters where their rules allow (`cjk-breaks.ts`).
 */
export function wrap(pdf: Pdf, fonts: FontSet, runs: readonly Run[], box: TextBox): Lines {
  const text = runs.map((r) => r.text).join("");
  // Most text has no right-to-left letter or bidi control: every level is 0, no need to ask.
  const plainLtr = !BIDI_NEEDED.test(text);
  const embedding = plainLtr ? null : bidi.getEmbeddingLevels(text, "auto");
  const rtl = (embedding?.paragraphs[0]?.level ?? 0) % 2 === 1;
  const levels = embedding?.levels ?? new Uint8Array(text.length);
  const all = pieces(pdf, fonts, runs, box.size, levels);
  const lines: Piece[][] = [[]];
  let used = 0;
  let word: Piece[] = [];
  let wordWidth = 0;
  // Whether the line being filled started the paragraph or followed a "\n" (not a wrap) and
  // holds no word yet.
  let broken = true;
  /** Wraps: a line that holds nothing but an indent gives it up rather than stand empty. */
  const wrapLine = () => {
    if (lines.at(-1)!.every((p) => p.space)) lines.at(-1)!.length = 0;
    else lines.push([]);
    used = 0;
  };
  const flushWord = () => {
    if (word.length) broken = false;
    // A word wider than the box (a long URL in a table cell) is broken between characters
    // rather than drawn across its neighbours.
    if (wordWidth > box.width) {
      for (const part of word)
        for (const char of part.text) {
          const c = piece(part, char, part.font, part.level, part.script, false);
          c.width = pdf.font(c.font).fontSize(box.size).widthOfString(char, shaping(c));
          if (used + c.width > box.width && lines.at(-1)!.length) wrapLine();
          lines.at(-1)!.push(c);
          used += c.width;
        }
      word = [];
      wordWidth = 0;
      return;
    }
    if (used + wordWidth > box.width && lines.at(-1)!.length) wrapLine();
    lines.at(-1)!.push(...word);
    used += wordWidth;
    word = [];
    wordWidth = 0;
  };
  // Spaces that start the paragraph or follow a line break are the writer's indent and stay, as
  // in the .docx; spaces where a line wraps are dropped.
  const space = (p: Piece) => {
    if (lines.at(-1)!.length || broken) {
      lines.at(-1)!.push(p);
      used += p.width;
    }
  };
  for (const p of all) {
    if (p.text.includes("\n")) {
      flushWord();
      // Every "\n" is a line break, so "\n\n" leaves a blank line (it was one break).
      const parts = p.text.split("\n");
      for (let k = 1; k < parts.length; k++) lines.push([]);
      used = 0;
      broken = true;
      const indent = parts.at(-1)!;
      if (indent) {
        const after = piece(p, indent, p.font, p.level, p.script, true);
        after.width = pdf.font(p.font).fontSize(box.size).widthOfString(indent);
        space(after);
      }
    } else if (p.space) {
      flushWord();
      space(p);
    } else {
      if (p.breakBefore) flushWord();
      word.push(p);
      wordWidth += p.width;
    }
  }
  flushWord();
  // Spaces at the end of a line take no room (and would push right-aligned text off its edge).
  for (const line of lines) while (line.length && line.at(-1)!.space) line.pop();
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

/**
 * The text to hand pdfkit so that fontkit, which reverses whatever is in a right-to-left script,
 * draws the piece in visual order. Right-to-left text is mirrored ("(" becomes ")"); a piece with
 * no Hebrew/Arabic character is also reversed here because fontkit does not reverse it. A
 * left-to-right piece in Arabic script, a number in Arabic-Indic or Persian digits, is reversed
 * here for fontkit to turn it back: handed over as written it came out backwards (٢٠٢٧ as ٧٢٠٢).
 */
function drawable(p: Piece): string {
  const fontkitReverses = RTL_SCRIPT.test(p.text);
  if (p.level % 2 === 0) return fontkitReverses ? [...p.text].reverse().join("") : p.text;
  const mirrored = [...p.text].map((c) => bidi.getMirroredCharacter(c) ?? c);
  return (fontkitReverses ? mirrored : mirrored.reverse()).join("");
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
      // Not `addPage`: a paragraph running over carries its tag (marked content) to the next page.
      pdf.continueOnNewPage();
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
