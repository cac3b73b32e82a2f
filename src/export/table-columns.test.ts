// Regression: a PDF table of nine columns, two of them holding a long URL, shared its width by
// whole cells, so "Phase" came out as "Ph/as/e" and dates were cut in pieces. Each column now
// gets room for its longest word first; only a word wider than any column could be is broken.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Document } from "../domain/document.js";
import { profile } from "../../test/support/documents.js";
import { renderPdf } from "./pdf.js";

const URL = "https://example.com/briefs/aurora/q4/loyalty-relaunch/final-approved-version-2.pdf";
const HEADER = ["Phase", "Owner", "Start", "End", "Brief", "Assets", "Budget", "Status", "Notes"];
const ROWS = [
  ["Discovery", "Ana", "2024-10-03", "2024-10-17", URL, URL, "€4,000", "Done", "Kick-off held"],
  ["Design", "Rui", "2024-10-18", "2024-11-08", "Deck", "Logo", "€12,000", "Running", "Two"],
];

const timeline: Document = {
  title: "Plan",
  sections: [{ title: "Timeline", blocks: [{ type: "table", header: HEADER, rows: ROWS }] }],
};

describe("PDF table columns", () => {
  it("keeps every short word of a nine-column table whole beside two long URLs", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "atelya-columns-")), "timeline.pdf");
    writeFileSync(path, await renderPdf(timeline, profile()));
    const words = [
      ...execFileSync("pdftotext", ["-bbox", path, "-"], { encoding: "utf8" }).matchAll(
        /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)"[^>]*>([^<]*)</g,
      ),
    ].map(([, xMin, yMin, xMax, text]) => ({
      xMin: Number(xMin),
      yMin: Number(yMin),
      xMax: Number(xMax),
      text: text!,
    }));
    const texts = words.map((w) => w.text);
    const short = [...HEADER, ...ROWS.flat()].flatMap((cell) =>
      cell === URL ? [] : cell.split(" "),
    );
    for (const word of short) expect(texts, word).toContain(word);
    // Each URL is still there in full, broken inside its own column of the first row.
    const at = (text: string) => words.find((w) => w.text === text)!.xMin;
    const secondRow = words.find((w) => w.text === "Design")!.yMin;
    for (const [column, next] of [
      ["Brief", "Assets"],
      ["Assets", "Budget"],
    ] as const) {
      const inColumn = words.filter(
        (w) =>
          w.yMin < secondRow &&
          w.xMin >= at(column) - 1 &&
          w.xMax <= at(next) &&
          !short.includes(w.text),
      );
      expect(inColumn.map((w) => w.text).join("")).toBe(URL);
    }
  });
});
