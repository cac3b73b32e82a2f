// Regression: text pasted with a tab, a lone surrogate or a noncharacter broke the exports: the
// PDF drew a missing-glyph box for the tab, a lone surrogate in the title answered 500 ("URI
// malformed"), and U+FFFE made word/document.xml not well-formed, so LibreOffice refused the file.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Document } from "../domain/document.js";
import { profile } from "../../test/support/documents.js";
import { renderDeliverable } from "./index.js";
import { printable } from "./printable.js";

const dir = mkdtempSync(join(tmpdir(), "atelya-unprintable-"));
const run = (cmd: string, args: string[]) =>
  execFileSync(cmd, args, { encoding: "utf8", timeout: 120_000 });

const fees = (title: string, ...paragraphs: string[]): Document => ({
  title,
  sections: [
    {
      title: "Fees",
      blocks: paragraphs.map((text) => ({ type: "paragraph", inlines: [{ text }] })),
    },
  ],
});

async function written(name: string, doc: Document, format: "pdf" | "docx"): Promise<string> {
  const path = join(dir, `${name}.${format}`);
  writeFileSync(path, await renderDeliverable(doc, profile(), format));
  return path;
}

interface Word {
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}
const words = (pdf: string): Word[] =>
  [
    ...run("pdftotext", ["-bbox", pdf, "-"]).matchAll(
      /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</g,
    ),
  ].map(([, xMin, yMin, xMax, yMax, text]) => ({
    text: text!,
    xMin: Number(xMin),
    yMin: Number(yMin),
    xMax: Number(xMax),
    yMax: Number(yMax),
  }));

/** The darkest grey (0 black, 255 white) drawn in a rectangle of page 1, in points. */
function darkest(pdf: string, x: number, y: number, w: number, h: number): number {
  const out = join(dir, "crop");
  const px = (n: number) => String(Math.round(n * 2));
  run("pdftoppm", [
    ...["-gray", "-r", "144", "-f", "1", "-l", "1", "-singlefile"],
    ...["-x", px(x), "-y", px(y), "-W", px(w), "-H", px(h)],
    pdf,
    out,
  ]);
  const pgm = readFileSync(`${out}.pgm`);
  // P5 header: magic, width, height, maximum value, each followed by one whitespace byte.
  let at = 0;
  for (let fields = 0; fields < 4; at++) if (/\s/.test(String.fromCharCode(pgm[at]!))) fields++;
  return Math.min(...pgm.subarray(at));
}

describe("unprintable characters in exported text", () => {
  it("draws a tab in the PDF as blank space, with no missing-glyph box", async () => {
    const pdf = await written("tab", fees("Budget", "Design:\t€12,000"), "pdf");
    const all = words(pdf);
    const label = all.find((w) => w.text === "Design:")!;
    const amount = all.find((w) => w.text === "€12,000")!;
    expect(amount.xMin - label.xMax).toBeGreaterThan(8);
    const gap = amount.xMin - label.xMax - 2;
    expect(darkest(pdf, label.xMax + 1, label.yMin, gap, label.yMax - label.yMin)).toBe(255);
  });

  it("exports a PDF whose title holds half a surrogate pair", async () => {
    const pdf = await written("surrogate", fees("Plan \ud83d for Q4", "Pilot \udc00 run."), "pdf");
    expect(run("pdfinfo", [pdf])).toMatch(/Title:\s+Plan \ufffd for Q4/);
    expect(run("pdftotext", [pdf, "-"])).toContain("Pilot \ufffd run.");
  });

  it("writes a .docx LibreOffice opens when the text holds U+FFFE and control characters", async () => {
    const docx = await written(
      "noncharacter",
      fees("Budget", "Before the odd one.", "Odd \ufffe char\u0007 here,\tthen a tab.", "After."),
      "docx",
    );
    run("soffice", [
      `-env:UserInstallation=file://${join(dir, "profile")}`,
      ...["--headless", "--convert-to", "pdf", "--outdir", dir, docx],
    ]);
    const text = run("pdftotext", [join(dir, "noncharacter.pdf"), "-"]).replace(/\s+/g, " ");
    expect(text).toContain("Before the odd one. Odd char here, then a tab. After.");
  }, 120_000);

  it("keeps line breaks, turns Windows line ends into them, and drops what cannot be drawn", () => {
    expect(printable("one\r\ntwo\rthree\nfour")).toBe("one\ntwo\nthree\nfour");
    expect(printable("a\u0000b\u001bc\u007fd\u0085e\uffff\ufdd0f")).toBe("abcdef");
    expect(printable("\ud83d\ude00 and \ud83d")).toBe("\ud83d\ude00 and \ufffd");
  });
});
