// Right-to-left text in the PDF, read back with poppler: where each word lands on the line, which
// fonts are embedded, and that every character has a glyph.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { documentText, type Block, type Document } from "../domain/document.js";
import { ExportProfileSchema } from "../domain/export-profile.js";
import { DEFAULT_FONT_DIR } from "./layout.js";
import { loadFonts } from "./pdf-fonts.js";
import { renderPdf } from "./pdf.js";

const HEBREW = "העלות לשנת 2024 היא 1,500 עבור Atelya Studio";
const ARABIC = "التكلفة لعام 2024 هي 1500 دولار";
const MIXED_LTR = "The word شكرا means thanks";

const para = (text: string, italic = false): Block => ({
  type: "paragraph",
  inlines: [{ text, italic }],
});

function bidiDocument(): Document {
  return {
    title: "Ελληνικά, Кириллица, עברית, العربية",
    sections: [
      {
        title: "עברית",
        blocks: [
          para(HEBREW),
          { type: "table", header: ["פריט", "מחיר"], rows: [["עיצוב", "1,200"]] },
        ],
      },
      { title: "العربية", blocks: [para(ARABIC), para("اقتباس مائل بالعربية", true)] },
      { title: "Mixed", blocks: [para(MIXED_LTR)] },
      { title: "Ελληνικά", blocks: [para("Η πρόταση καλύπτει το πιλοτικό πρόγραμμα.")] },
      { title: "Русский", blocks: [para("Предложение охватывает пилотный проект.")] },
    ],
  };
}

const RTL = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/;

interface Word {
  text: string;
  x: number;
  y: number;
}

/** Words with their positions; poppler writes right-to-left words in drawing order, so we turn them back. */
function words(pdf: string): Word[] {
  const xml = execFileSync("pdftotext", ["-bbox", pdf, "-"], { encoding: "utf8" });
  return [...xml.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)<\/word>/g)].map(
    (m) => ({
      text: RTL.test(m[3]!) ? [...m[3]!].reverse().join("") : m[3]!,
      x: Number(m[1]),
      y: Number(m[2]),
    }),
  );
}

/** The x of each word on the line that holds the first one, in the order asked. */
function xs(all: Word[], texts: string[]): number[] {
  const first = all.find((w) => w.text === texts[0]);
  expect(first, `"${texts[0]}" in the PDF`).toBeDefined();
  return texts.map((t) => {
    const w = all.find((c) => c.text === t && Math.abs(c.y - first!.y) < 2);
    expect(w, `"${t}" on the line of "${texts[0]}"`).toBeDefined();
    return w!.x;
  });
}

const decreasing = (n: number[]) => n.every((v, i) => i === 0 || v < n[i - 1]!);
const increasing = (n: number[]) => n.every((v, i) => i === 0 || v > n[i - 1]!);

describe("right-to-left text in the PDF", () => {
  const path = join(mkdtempSync(join(tmpdir(), "atelya-bidi-")), "bidi.pdf");
  let all: Word[] = [];
  beforeAll(async () => {
    writeFileSync(
      path,
      await renderPdf(bidiDocument(), ExportProfileSchema.parse({ company_name: "Northwind" })),
    );
    all = words(path);
  });

  it("lays a Hebrew sentence out from the right, with its year, price and Latin name reading left to right", () => {
    const order = ["העלות", "לשנת", "2024", "היא", "1,500", "עבור", "Studio", "Atelya"];
    expect(decreasing(xs(all, order))).toBe(true);
    expect(increasing(xs(all, ["Atelya", "Studio"]))).toBe(true);
    expect(all.some((w) => w.text === "4202" || w.text === "005,1")).toBe(false);
  });

  it("lays an Arabic sentence out from the right with its numbers the right way round", () => {
    // "2024" comes first, so it stands to the right of "1500".
    expect(increasing(xs(all, ["1500", "2024"]))).toBe(true);
    const text = execFileSync("pdftotext", [path, "-"], { encoding: "utf8" });
    expect(text).toContain("التكلفة لعام");
    expect(text).not.toContain("4202");
  });

  it("starts a table whose header is Hebrew at the right", () => {
    expect(decreasing(xs(all, ["פריט", "מחיר"]))).toBe(true);
    expect(decreasing(xs(all, ["עיצוב", "1,200"]))).toBe(true);
  });

  it("keeps an English sentence that quotes an Arabic word left to right", () => {
    expect(increasing(xs(all, ["The", "word", "شكرا", "means", "thanks"]))).toBe(true);
  });

  it("embeds subset fonts and returns the same Greek, Cyrillic, Hebrew and Arabic text", () => {
    const fonts = execFileSync("pdffonts", [path], { encoding: "utf8" });
    expect(fonts).toMatch(/DejaVuSans\s+CID TrueType\s+Identity-H\s+yes yes yes/);
    expect(fonts).toMatch(/DejaVuSans-Bold\s+CID TrueType\s+Identity-H\s+yes yes yes/);
    const text = execFileSync("pdftotext", [path, "-"], { encoding: "utf8" });
    for (const s of [
      "Η πρόταση καλύπτει",
      "Предложение охватывает",
      "עברית",
      "العربية",
      "اقتباس مائل بالعربية",
    ])
      expect(text).toContain(s);
  });

  it("has a glyph for every character, even where the italic face has no Arabic", () => {
    const fonts = loadFonts(DEFAULT_FONT_DIR);
    expect(fonts.uncovered(documentText(bidiDocument()))).toEqual([]);
    // The italic quote is Arabic: it is drawn in the upright face, which has the letters.
    expect(fonts.faceFor("italic", "ب")).toBe("regular");
    expect(fonts.faceFor("italic", "é")).toBe("italic");
  });
});
