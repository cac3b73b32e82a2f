// Regression: the same paragraph was laid out differently in the two formats. The PDF collapsed a
// blank line inside a paragraph ("\n\n") into one line break and dropped the spaces a line starts
// with, while the .docx kept both. Both now keep what the writer typed; only the spaces where a
// line wraps are dropped.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Document } from "../domain/document.js";
import { profile } from "../../test/support/documents.js";
import { renderDocx } from "./docx.js";
import { renderPdf } from "./pdf.js";

const dir = mkdtempSync(join(tmpdir(), "atelya-breaks-"));
const run = (cmd: string, args: string[]) =>
  execFileSync(cmd, args, { encoding: "utf8", timeout: 120_000 });

const paragraph = (text: string) => ({ type: "paragraph" as const, inlines: [{ text }] });
const doc: Document = {
  title: "Notes",
  sections: [
    {
      title: "Call notes",
      blocks: [
        paragraph("Agenda first\nAgenda second\n\nAfter a blank line"),
        paragraph("    Indented by four spaces"),
        paragraph("Unindented paragraph\n    indented second line"),
        paragraph(Array.from({ length: 60 }, () => "wrapping").join(" ") + " end"),
      ],
    },
  ],
};

interface Word {
  text: string;
  xMin: number;
  yMin: number;
}

/** The words of page 1 of a PDF, in reading order. */
function words(pdf: string): Word[] {
  const html = run("pdftotext", ["-bbox", "-f", "1", "-l", "1", pdf, "-"]);
  return [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)<\/word>/g)].map(
    ([, xMin, yMin, text]) => ({ text: text!, xMin: Number(xMin), yMin: Number(yMin) }),
  );
}

async function pdfWords(): Promise<Word[]> {
  const pdf = join(dir, "notes.pdf");
  writeFileSync(pdf, await renderPdf(doc, profile()));
  return words(pdf);
}

/** The PDF's words and those of LibreOffice's rendering of the .docx. */
async function laidOut(): Promise<Record<"pdf" | "docx", Word[]>> {
  const docx = join(dir, "notes.docx");
  writeFileSync(docx, await renderDocx(doc, profile()));
  const profileDir = `-env:UserInstallation=file://${join(dir, "profile")}`;
  run("soffice", [
    profileDir,
    "--headless",
    "--convert-to",
    "pdf",
    "--outdir",
    join(dir, "lo"),
    docx,
  ]);
  return { pdf: await pdfWords(), docx: words(join(dir, "lo", "notes.pdf")) };
}

describe("line breaks and leading spaces in a paragraph", () => {
  it("keep a blank line and an indent the same way in the PDF and the .docx", async () => {
    const formats = await laidOut();
    for (const [format, all] of Object.entries(formats)) {
      const word = (text: string) => all.find((w) => w.text === text)!;
      const line = word("second").yMin - word("first").yMin;
      expect(line, format).toBeGreaterThan(5);
      // "\n\n" is a blank line: the next line is two lines down.
      expect(word("After").yMin - word("second").yMin, format).toBeCloseTo(2 * line, 0);
      // Four spaces at the start of a paragraph and after a line break indent it.
      const left = word("Agenda").xMin;
      expect(word("Indented").xMin - left, format).toBeGreaterThan(8);
      expect(word("indented").xMin - left, format).toBeGreaterThan(8);
      expect(word("Unindented").xMin, format).toBeCloseTo(left, 0);
    }
  }, 120_000);

  it("starts a wrapped line at the margin in the PDF, without the space it wrapped at", async () => {
    const pdf = await pdfWords();
    const left = pdf.find((w) => w.text === "Agenda")!.xMin;
    const lineStarts = new Map<number, number>();
    for (const w of pdf.filter((w) => w.text === "wrapping"))
      lineStarts.set(w.yMin, Math.min(lineStarts.get(w.yMin) ?? Infinity, w.xMin));
    expect(lineStarts.size).toBeGreaterThan(2);
    for (const x of lineStarts.values()) expect(x).toBeCloseTo(left, 0);
  });
});
