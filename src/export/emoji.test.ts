// Regression: emoji in the PDF were missing-glyph boxes and left out of the copied text (no DejaVu
// face has 🚀 or ✅). They are drawn in Symbola (Debian's fonts-symbola), a black-and-white face:
// pdfkit cannot draw colour emoji fonts. A machine without the font still exports.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Document } from "../domain/document.js";
import { profile } from "../../test/support/documents.js";
import { DEFAULT_FONT_DIR } from "./layout.js";
import { LAST_RESORT_FONTS, loadFonts, type LastResortFonts } from "./pdf-fonts.js";
import { renderPdf } from "./pdf.js";

const folder = mkdtempSync(join(tmpdir(), "atelya-emoji-"));
const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: "utf8" });

const EMOJI = ["🚀", "✅", "⭐", "🔥", "👉", "📅", "🎉", "👍"];
const status = (text: string, { bold = false, done = "yes" } = {}): Document => ({
  title: "Launch checklist",
  sections: [
    {
      title: "Status",
      blocks: [
        { type: "paragraph", inlines: [{ text, bold }] },
        { type: "table", header: ["Item", "Done"], rows: [["Menu boards", done]] },
      ],
    },
  ],
});

async function written(name: string, doc: Document, lastResorts?: LastResortFonts) {
  const path = join(folder, `${name}.pdf`);
  writeFileSync(path, await renderPdf(doc, profile(), lastResorts ? { lastResorts } : {}));
  return { fonts: run("pdffonts", [path]), text: run("pdftotext", [path, "-"]) };
}

describe("emoji in the PDF", () => {
  it("has a glyph for the emoji clients paste, in bold too", () => {
    const fonts = loadFonts(DEFAULT_FONT_DIR);
    expect(fonts.uncovered(EMOJI.join(" "))).toEqual([]);
    expect(fonts.faceFor("bold", "🚀")).toBe("emoji");
    expect(fonts.faceFor("regular", "A")).toBe("regular");
  });

  it("draws them in the embedded emoji face and copies them out as written", async () => {
    const { fonts, text } = await written(
      "emoji",
      status(`Ready: ${EMOJI.join(" ")}`, { bold: true, done: "✅" }),
    );
    expect(fonts).toMatch(/Symbola\s+CID TrueType\s+Identity-H\s+yes yes yes/);
    for (const e of EMOJI) expect(text).toContain(e);
    expect(text).toMatch(/Menu boards\s+✅/);
  });

  it("draws a ZWJ sequence and a flag as their parts", async () => {
    const { text } = await written("parts", status("Dev 👩‍💻 in France 🇫🇷"));
    const chars = [...text];
    for (const part of ["👩", "💻", "🇫", "🇷"]) expect(chars).toContain(part);
  });

  it("still exports on a machine without the emoji font, only the emoji have no glyph", async () => {
    const without = { ...LAST_RESORT_FONTS, emoji: join(folder, "no-such-font.ttf") };
    expect(loadFonts(DEFAULT_FONT_DIR, without).uncovered("Ready 🚀")).toEqual(["🚀"]);
    const { fonts, text } = await written("without", status("Ready 🚀"), without);
    expect(fonts).not.toContain("Symbola");
    expect(text).toContain("Ready");
    expect(text).toContain("Menu boards");
  });

  it("leaves the emoji face out of a document that has no emoji", async () => {
    const { fonts } = await written("plain", status("Ready"));
    expect(fonts).not.toContain("Symbola");
  });
});
