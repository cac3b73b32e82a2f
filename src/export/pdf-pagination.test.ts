// Regressions: content longer than a page. A table of contents that reached the bottom of page 1
// gave every later entry a page of its own (its number at the top, its text over the footer), and
// a table row taller than a page ran through the footer and off the page, its text lost.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Document } from "../domain/document.js";
import { profile } from "../../test/support/documents.js";
import { renderPdf } from "./pdf.js";

const dir = mkdtempSync(join(tmpdir(), "atelya-pagination-"));
const run = (cmd: string, args: string[]) =>
  execFileSync(cmd, args, { encoding: "utf8", timeout: 120_000 });

async function written(name: string, doc: Document): Promise<string> {
  const path = join(dir, `${name}.pdf`);
  writeFileSync(path, await renderPdf(doc, profile()));
  return path;
}

/** The text of each page, as laid out. */
const pages = (path: string) => run("pdftotext", ["-layout", path, "-"]).split("\f").slice(0, -1);

interface Word {
  text: string;
  page: number;
  yMax: number;
  pageHeight: number;
}

/** Every word with its page and where it ends vertically (`pdftotext -bbox`). */
function words(path: string): Word[] {
  const html = run("pdftotext", ["-bbox", path, "-"]);
  const out: Word[] = [];
  let page = 0;
  let pageHeight = 0;
  for (const m of html.matchAll(
    /<page width="[\d.]+" height="([\d.]+)">|<word [^>]*yMax="([\d.]+)">([^<]*)<\/word>/g,
  )) {
    if (m[1]) {
      page++;
      pageHeight = Number(m[1]);
    } else out.push({ text: m[3]!, page, yMax: Number(m[2]), pageHeight });
  }
  return out;
}

/** The footer's hairline is 42 pt above the bottom edge; body text must end above it. */
const FOOTER_RULE = 42;

describe("PDF table of contents longer than a page", () => {
  const sections = 60;
  const doc: Document = {
    title: "Master Services Agreement",
    sections: Array.from({ length: sections }, (_, i) => ({
      title: `Clause ${i + 1}`,
      blocks: [{ type: "paragraph", inlines: [{ text: "The parties agree to this clause." }] }],
    })),
  };

  it("runs on over the next page, each entry beside its page number, and the clauses follow", async () => {
    const text = pages(await written("toc", doc));
    const entries = [...Array(sections).keys()].map((i) => {
      const at = text.findIndex((p) =>
        new RegExp(`^ *${i + 1}\\. +Clause ${i + 1} +\\d+$`, "m").test(p),
      );
      expect(at, `contents entry ${i + 1}`).toBeGreaterThanOrEqual(0);
      const page = Number(
        new RegExp(`^ *${i + 1}\\. +Clause ${i + 1} +(\\d+)$`, "m").exec(text[at]!)![1],
      );
      return { at, page };
    });
    // Two pages of contents, not one page per entry.
    expect(entries.at(-1)!.at).toBe(1);
    expect(text.length).toBeLessThan(12);
    // Each number is the page the clause starts on.
    entries.forEach(({ page }, i) =>
      expect(text[page - 1], `clause ${i + 1} on page ${page}`).toMatch(
        new RegExp(`^ *Clause ${i + 1}$`, "m"),
      ),
    );
    // Nothing stands alone on a page, and every page ends with its footer.
    text.forEach((p, i) => {
      const lines = p.split("\n").filter((l) => l.trim());
      expect(lines.length, `page ${i + 1}`).toBeGreaterThan(3);
      expect(lines.at(-1)).toContain(`Page ${i + 1} of ${text.length}`);
    });
  });

  it("draws every entry above the footer", async () => {
    const clauses = words(await written("toc-words", doc)).filter((w) => w.text === "Clause");
    expect(clauses).toHaveLength(2 * sections);
    for (const w of clauses) expect(w.yMax).toBeLessThan(w.pageHeight - FOOTER_RULE);
  });
});

describe("PDF table row taller than a page", () => {
  const count = 1400;
  const doc: Document = {
    title: "Terms",
    sections: [
      {
        title: "Giant cell",
        blocks: [
          { type: "paragraph", inlines: [{ text: "A table with one cell longer than a page." }] },
          {
            type: "table",
            header: ["Key", "Value"],
            rows: [
              ["Terms", Array.from({ length: count }, (_, i) => `w${i + 1}`).join(" ")],
              ["After", "the giant row"],
            ],
          },
        ],
      },
    ],
  };

  it("is split across pages with every word on a page, above the footer, and in order", async () => {
    const placed = words(await written("giant-cell", doc));
    const cell = placed.filter((w) => /^w\d+$/.test(w.text));
    expect(cell.map((w) => w.text)).toEqual(Array.from({ length: count }, (_, i) => `w${i + 1}`));
    for (const w of cell) expect(w.yMax, w.text).toBeLessThan(w.pageHeight - FOOTER_RULE);
    expect(placed.map((w) => w.text).join(" ")).toContain("After the giant row");
  });

  it("starts on the page of its table's introduction and repeats the header row on every page", async () => {
    const path = await written("giant-cell-pages", doc);
    const text = pages(path);
    expect(text[0]).toContain("A table with one cell longer than a page.");
    expect(text[0]).toMatch(/Terms +w1 w2/);
    for (const p of text.slice(1)) expect(p).toMatch(/^\s*Key +Value\s*\n/);
    // No page holds the header row alone.
    for (const p of text) expect(p).toMatch(/w\d+/);
  });
});
