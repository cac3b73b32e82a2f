// Chinese, Japanese and Korean in the PDF: no DejaVu face has them, so they are drawn in Droid Sans
// Fallback and Nanum Gothic (Debian's fonts-droid-fallback and fonts-nanum), embedded as subsets,
// and read back by poppler as the same text; a document without them does not carry those fonts.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { documentText, type Document } from "../domain/document.js";
import { ExportProfileSchema } from "../domain/export-profile.js";
import { DEFAULT_FONT_DIR } from "./layout.js";
import { loadFonts } from "./pdf-fonts.js";
import { renderPdf } from "./pdf.js";

const JAPANESE = "提案書：東京の三店舗で試験導入を行います。";
const CHINESE = "本提案涵盖会员应用的重新发布。";
const KOREAN = "이 제안서는 시범 사업을 다룹니다.";

const cjkDocument: Document = {
  title: "提案書 — Aurora Coffee",
  sections: [
    {
      title: "概要",
      blocks: [
        { type: "paragraph", inlines: [{ text: JAPANESE }] },
        { type: "paragraph", inlines: [{ text: CHINESE, bold: true }] },
        { type: "table", header: ["項目", "価格"], rows: [["デザイン", "¥1,200,000"]] },
      ],
    },
    { title: "한국어", blocks: [{ type: "paragraph", inlines: [{ text: KOREAN, italic: true }] }] },
  ],
};

const profile = ExportProfileSchema.parse({ company_name: "Northwind" });
const folder = mkdtempSync(join(tmpdir(), "atelya-cjk-"));
const written = async (name: string, doc: Document) => {
  const path = join(folder, name);
  writeFileSync(path, await renderPdf(doc, profile));
  return path;
};

describe("Chinese, Japanese and Korean in the PDF", () => {
  it("has a glyph for every character, bold and italic included", () => {
    const fonts = loadFonts(DEFAULT_FONT_DIR);
    expect(fonts.uncovered(documentText(cjkDocument))).toEqual([]);
    expect(fonts.faceFor("bold", "本")).toBe("cjk");
    expect(fonts.faceFor("italic", "이")).toBe("hangul");
    expect(fonts.faceFor("bold", "A")).toBe("bold");
  });

  it("embeds the fallback faces as subsets and reads back as the same text", async () => {
    const path = await written("cjk.pdf", cjkDocument);
    const fonts = execFileSync("pdffonts", [path], { encoding: "utf8" });
    expect(fonts).toMatch(/DroidSansFallback\s+CID TrueType\s+Identity-H\s+yes yes yes/);
    expect(fonts).toMatch(/NanumGothic\s+CID TrueType\s+Identity-H\s+yes yes yes/);
    const text = execFileSync("pdftotext", [path, "-"], { encoding: "utf8" }).replace(/\s+/g, "");
    for (const s of [JAPANESE, CHINESE, KOREAN, "提案書—AuroraCoffee", "デザイン", "¥1,200,000"])
      expect(text).toContain(s.replace(/\s+/g, ""));
  });

  it("leaves the fallback faces out of a document that does not need them", async () => {
    const path = await written("latin.pdf", {
      title: "Proposal",
      sections: [
        { title: "Scope", blocks: [{ type: "paragraph", inlines: [{ text: "Plain." }] }] },
      ],
    });
    expect(execFileSync("pdffonts", [path], { encoding: "utf8" })).not.toMatch(/Droid|Nanum/);
  });
});
