// Regression: the .docx default line spacing had no lineRule, so LibreOffice read 276 as an exact
// 13.8 pt line height and a company name or title that wraps drew its lines over each other.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Document } from "../domain/document.js";
import { profile } from "../../test/support/documents.js";
import { renderDocx } from "./docx.js";

const run = (cmd: string, args: string[]) =>
  execFileSync(cmd, args, { encoding: "utf8", timeout: 120_000 });

const wrapping: Document = {
  title: "A proposal title long enough to wrap onto a second line and a third one on the page",
  sections: [{ title: "Plan", blocks: [{ type: "paragraph", inlines: [{ text: "Pilot." }] }] }],
};
const company = "Northwind Studio for Independent Retail Brands and Their Products Worldwide";

describe(".docx line spacing", () => {
  it("keeps the lines of a wrapped company name and title apart in LibreOffice", async () => {
    const dir = mkdtempSync(join(tmpdir(), "atelya-spacing-"));
    const path = join(dir, "spacing.docx");
    writeFileSync(path, await renderDocx(wrapping, profile({ company_name: company })));
    const styles = run("unzip", ["-p", path, "word/styles.xml"]);
    for (const spacing of styles.match(/<w:spacing [^>]*w:line="[^>]*>/g) ?? [])
      expect(spacing).toContain('w:lineRule="auto"');
    run("soffice", [
      `-env:UserInstallation=file://${join(dir, "profile")}`,
      "--headless",
      "--convert-to",
      "pdf",
      "--outdir",
      dir,
      path,
    ]);
    const words = [
      ...run("pdftotext", ["-bbox", "-f", "1", "-l", "1", join(dir, "spacing.pdf"), "-"]).matchAll(
        /<word [^>]*yMin="([\d.]+)"[^>]*yMax="([\d.]+)">([^<]*)</g,
      ),
    ].map(([, yMin, yMax, text]) => ({ yMin: Number(yMin), yMax: Number(yMax), text }));
    const word = (text: string) => words.find((w) => w.text === text)!;
    // The first word of each second line starts below the bottom of the line above it.
    expect(word("Their").yMin).toBeGreaterThanOrEqual(word("Northwind").yMax - 0.5);
    expect(word("second").yMin).toBeGreaterThanOrEqual(word("proposal").yMax - 0.5);
  }, 120_000);
});
