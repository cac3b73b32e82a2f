// The PDF is a tagged PDF: a screen reader finds its language, its headings, paragraphs, lists and
// tables in reading order, and skips the letterhead, footer, rules and fills. Read back with
// poppler's `pdfinfo -struct-text`, as an assistive technology reads the structure tree.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Document } from "../domain/document.js";
import { longDocument, profile, proposal } from "../../test/support/documents.js";
import { renderPdf } from "./pdf.js";

const folder = mkdtempSync(join(tmpdir(), "atelya-tags-"));
async function written(name: string, doc: Document): Promise<string> {
  const path = join(folder, `${name}.pdf`);
  writeFileSync(path, await renderPdf(doc, profile()));
  return path;
}
const run = (args: string[]) => execFileSync("pdfinfo", args, { encoding: "utf8" });

/** The structure tree as indented lines: `Type` for an element, `"text"` for its content. */
const structure = (path: string) =>
  run(["-struct-text", path])
    .split("\n")
    .filter((l) => l.trim());

/** The catalog's /Lang: pdfkit writes the catalog uncompressed. */
const lang = (path: string) => /\/Lang \(([^)]*)\)/.exec(readFileSync(path, "latin1"))?.[1];

const paragraph = (text: string) => ({ type: "paragraph" as const, inlines: [{ text }] });
const oneSection = (title: string, text: string): Document => ({
  title,
  sections: [{ title, blocks: [paragraph(text)] }],
});

describe("the PDF's accessibility structure", () => {
  let path = "";
  let tree: string[] = [];
  beforeAll(async () => {
    path = await written("proposal", proposal());
    tree = structure(path);
  });

  it("is a tagged PDF in English, titled by its document title", () => {
    const info = run([path]);
    expect(info).toMatch(/Tagged:\s+yes/);
    expect(info).toMatch(/Title:\s+Aurora Coffee — Q4 Proposal/);
    expect(lang(path)).toBe("en");
  });

  it("gives the title, sections and headings as H1, H2, H3 and H4 in reading order", () => {
    const headings = tree.filter((l) => /^\s*H\d\b/.test(l)).map((l) => l.trim().split(/\s/)[0]);
    expect(headings).toEqual(["H1", "H2", "H3", "H2", "H4", "H2"]);
    const text = tree.join("\n");
    const order = ["Aurora Coffee", "Scope", "In scope", "Pricing", "Payment terms", "Next steps"];
    const at = order.map((t) => text.indexOf(t));
    expect(at.every((i, n) => i >= 0 && (n === 0 || i > at[n - 1]!))).toBe(true);
    expect(text).toMatch(/Sect/);
    expect(text).toMatch(/P\b[^\n]*\n\s*"We relaunch the/);
  });

  it("gives lists as L, LI, Lbl and LBody, nested lists inside their item", () => {
    const text = tree.join("\n");
    expect(text).toMatch(/Lbl[^\n]*\n\s*"•"/);
    expect(text).toMatch(/LBody[^\n]*\n\s*"Offline mode at the counter"/);
    const depth = (s: string) => tree.find((l) => l.includes(s))!.search(/\S/);
    expect(depth("Queue stamps locally")).toBeGreaterThan(depth("Offline mode at the counter"));
    expect(tree.filter((l) => /^\s*L\b/.test(l))).toHaveLength(3);
  });

  it("gives a table as Table, TR, TH and TD", () => {
    const text = tree.join("\n");
    expect(tree.filter((l) => /^\s*TR\b/.test(l))).toHaveLength(4);
    expect(text).toMatch(/TH[^\n]*\n\s*"Phase"/);
    expect(text).toMatch(/TD[^\n]*\n\s*"Pilot in three stores"/);
    expect(text).toMatch(/BlockQuote[^\n]*\n\s*"One coffee, one point/);
  });

  it("leaves the letterhead and the footer out of the structure", () => {
    const text = tree.join("\n");
    expect(text).not.toContain("Northwind Studio");
    expect(text).not.toContain("Page 1 of");
    expect(text).not.toContain("northwind.studio");
  });

  it("gives the contents as TOC and TOCI, and each section's heading once", async () => {
    const long = longDocument(12);
    const tree = structure(await written("long", long));
    expect(tree.filter((l) => /^\s*TOCI\b/.test(l))).toHaveLength(12);
    for (const s of long.sections) {
      const lines = tree.filter((l) => l.includes(s.title));
      // Once in its contents entry, once as its heading.
      expect(lines.length, s.title).toBe(2);
    }
  });

  it("keeps a paragraph that runs over a page as one element", async () => {
    const words = Array.from({ length: 900 }, (_, i) => `word${i}`).join(" ");
    const path = await written("over-a-page", oneSection("Notes", words));
    expect(run([path])).toMatch(/Pages:\s+[2-9]/);
    const tree = structure(path);
    const p = tree.filter((l) => /^\s*P\b/.test(l));
    expect(p).toHaveLength(1);
    const text = tree.join(" ");
    expect(text).toContain("word0 word1");
    expect(text).toContain("word899");
  });

  it.each([
    ["ar", oneSection("تقرير ٢٠٢٧", "يغطي الاقتراح المشروع التجريبي في ثلاثة فروع")],
    ["he", oneSection("דוח שנתי", "ההצעה מכסה את פרויקט הפיילוט")],
    ["ja", oneSection("提案書", "東京の三店舗で試験導入を行います。")],
    ["zh", oneSection("年度总结", "本提案涵盖会员应用的重新发布。")],
    ["ko", oneSection("제안서", "이 제안서는 시범 사업을 다룹니다.")],
    ["el", oneSection("Σύνοψη", "Η πρόταση καλύπτει το πιλοτικό πρόγραμμα.")],
    ["ru", oneSection("Обзор", "Предложение охватывает пилотный проект.")],
  ])("declares the language %s for a document written in its script", async (code, doc) => {
    expect(lang(await written(`lang-${code}`, doc))).toBe(code);
  });
});
