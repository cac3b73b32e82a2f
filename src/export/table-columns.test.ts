// Regression: a PDF table of nine columns, two of them holding a long URL, shared its width by
// whole cells, so "Phase" came out as "Ph/as/e" and dates were cut in pieces. Each column now
// gets room for its longest word first; only a word wider than any column could be is broken.
// And the .docx had equal columns whatever they held: a 120-row table with a narrow Description
// ran to 28 pages in LibreOffice against 11 in the PDF. It now sizes them by the same rule.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Document } from "../domain/document.js";
import { profile } from "../../test/support/documents.js";
import { renderDocx } from "./docx.js";
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

const WORDS = "agency client brand roast quarter campaign budget launch retail signal".split(" ");
const ledger: Document = {
  title: "Ledger",
  sections: [
    {
      title: "Items",
      blocks: [
        {
          type: "table",
          header: ["#", "Item", "Description", "Cost"],
          rows: Array.from({ length: 120 }, (_, i) => [
            String(i + 1),
            `Item ${i + 1}`,
            Array.from({ length: 8 + ((i * 7) % 30) }, (_, w) => WORDS[(i + w) % 10]).join(" "),
            String((i + 1) * 100),
          ]),
        },
      ],
    },
  ],
};

describe(".docx table columns", () => {
  it("are sized by their content as in the PDF, so a long table is about as long", async () => {
    const dir = mkdtempSync(join(tmpdir(), "atelya-docx-columns-"));
    writeFileSync(join(dir, "ledger.docx"), await renderDocx(ledger, profile()));
    writeFileSync(join(dir, "ledger.pdf"), await renderPdf(ledger, profile()));
    const xml = execFileSync("unzip", ["-p", join(dir, "ledger.docx"), "word/document.xml"], {
      encoding: "utf8",
    });
    const grid = [...xml.matchAll(/<w:gridCol w:w="(\d+)"\/>/g)].map((m) => Number(m[1]));
    const [number, item, description, cost] = grid;
    // Description takes most of the page; "#" and "Cost" only what their numbers need.
    expect(description).toBeGreaterThan(0.6 * grid.reduce((a, b) => a + b, 0));
    expect(number).toBeLessThan(item!);
    expect(cost).toBeLessThan(item!);
    execFileSync("soffice", [
      `-env:UserInstallation=file://${join(dir, "profile")}`,
      "--headless",
      "--convert-to",
      "pdf",
      "--outdir",
      join(dir, "lo"),
      join(dir, "ledger.docx"),
    ]);
    const pages = (file: string) =>
      Number(/Pages:\s+(\d+)/.exec(execFileSync("pdfinfo", [file], { encoding: "utf8" }))![1]);
    expect(pages(join(dir, "lo", "ledger.pdf"))).toBeLessThanOrEqual(
      pages(join(dir, "ledger.pdf")) + 2,
    );
  }, 120_000);
});
