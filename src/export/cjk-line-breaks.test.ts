// Regression: Japanese and Chinese in the PDF wrapped after any character, as a run without spaces
// is one word: a line ended "予算は１" and the next began "，２００万円です", and a line could
// open with 。 or ー. Lines now break where the Japanese and Chinese rules allow (kinsoku shori)
// and never inside a number.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Block, Document } from "../domain/document.js";
import { profile } from "../../test/support/documents.js";
import { renderPdf } from "./pdf.js";

const SENTENCE =
  "予算は１，２００万円です。総額は¥12,000,000で、「創造スタジオ」が担当します（予定）！" +
  "ちょっと待ってください。龙腾科技营收为人民币12,345,678.90元，同比增长23.5%。";
const NUMBERS = ["１，２００", "¥12,000,000", "12,345,678.90", "23.5%"];
/** What no line may start with: closing brackets and punctuation, small kana, the long vowel mark. */
const NO_START =
  /^[、。，．）」』】〉》！？ー・：；ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々]/;
/** What no line may end with: opening brackets. */
const NO_END = /[「『（【〈《]$/;
const CJK = /[\u3000-\u30FF\u4E00-\u9FFF\uFF00-\uFFEF]/;

// The same text shifted along the line one character at a time, so that every character of it
// comes to the end of a line somewhere, in the body and in a narrow table column.
const paragraph = (text: string): Block => ({ type: "paragraph", inlines: [{ text }] });
const shifted = Array.from({ length: 24 }, (_, n) => "あ".repeat(n) + SENTENCE);
const document: Document = {
  title: "提案書",
  sections: [
    {
      title: "本文",
      blocks: [
        ...shifted.map(paragraph),
        { type: "paragraph", inlines: [{ text: `${"Northwind ".repeat(8)}年度总结报告草案。` }] },
        {
          type: "table",
          header: ["項目", "内容", "備考"],
          rows: shifted.slice(0, 10).map((s, i) => [`${i}`, s, "なし"]),
        },
      ],
    },
  ],
};

describe("Japanese and Chinese line breaks in the PDF", () => {
  let lines: string[] = [];
  let all: string[] = [];
  beforeAll(async () => {
    const path = join(mkdtempSync(join(tmpdir(), "atelya-kinsoku-")), "kinsoku.pdf");
    writeFileSync(path, await renderPdf(document, profile()));
    all = execFileSync("pdftotext", [path, "-"], { encoding: "utf8" })
      .split("\n")
      .map((l) => l.trim());
    lines = all.filter((l) => CJK.test(l));
  });

  it("starts no line with closing punctuation or a small kana, and ends none with an opening bracket", () => {
    expect(lines.length).toBeGreaterThan(60);
    expect(lines.filter((l) => NO_START.test(l))).toEqual([]);
    expect(lines.filter((l) => NO_END.test(l))).toEqual([]);
  });

  it("keeps every number whole on one line", () => {
    const text = lines.join("\n");
    for (const n of NUMBERS) expect(text.split(n).length - 1, n).toBe(shifted.length + 10);
  });

  it("breaks Chinese after English words inside the line rather than moving it whole", () => {
    const first = all.find((l) => l.startsWith("Northwind Northwind"));
    expect(first).toMatch(/Northwind 年度/);
  });
});
