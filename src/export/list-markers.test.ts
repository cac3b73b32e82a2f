// Regressions: a PDF list marker was drawn in a 14 pt column, so "10." and "viii." wrapped their
// last characters onto the next line; the column is now as wide as the list's widest marker. And
// the formats numbered differently: the PDF switched to digits after z and xxxix (27., 40.) where
// the .docx goes on with aa. and xl., and lists nested past nine levels ran their numbers on in
// the .docx.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Document, List, ListItem } from "../domain/document.js";
import { profile } from "../../test/support/documents.js";
import { renderDocx } from "./docx.js";
import { listMarker } from "./list-markers.js";
import { renderPdf } from "./pdf.js";

const steps = (n: number, firstChild?: List): ListItem[] =>
  Array.from({ length: n }, (_, i) => ({
    inlines: [{ text: `Step ${i + 1} of the rollout` }],
    ...(i === 0 && firstChild ? { children: firstChild } : {}),
  }));
const numbered = (items: ListItem[]): List => ({ type: "list", ordered: true, items });

const dir = mkdtempSync(join(tmpdir(), "atelya-markers-"));
const pdftotext = (path: string) =>
  execFileSync("pdftotext", ["-layout", path, "-"], { encoding: "utf8" });

async function pdfText(doc: Document): Promise<string> {
  const path = join(dir, "list.pdf");
  writeFileSync(path, await renderPdf(doc, profile()));
  return pdftotext(path);
}

/** The .docx as LibreOffice lays it out. */
async function docxText(doc: Document): Promise<string> {
  const path = join(dir, "list.docx");
  writeFileSync(path, await renderDocx(doc, profile()));
  const args = ["--headless", "--convert-to", "pdf", "--outdir", dir, path];
  execFileSync("soffice", [`-env:UserInstallation=file://${join(dir, "profile")}`, ...args], {
    timeout: 120_000,
  });
  return pdftotext(join(dir, "list.pdf"));
}

describe("PDF list markers", () => {
  it("keeps a two-digit marker on the line of its item", async () => {
    const out = await pdfText({
      title: "Steps",
      sections: [{ title: "Plan", blocks: [numbered(steps(12))] }],
    });
    expect(out).toMatch(/^ ?9\. Step 9 of the rollout$/m);
    expect(out).toMatch(/^10\. Step 10 of the rollout$/m);
    expect(out).toMatch(/^12\. Step 12 of the rollout$/m);
  });

  it("keeps a long roman marker whole at the third level", async () => {
    const third = numbered(steps(9));
    const out = await pdfText({
      title: "Steps",
      sections: [{ title: "Plan", blocks: [numbered(steps(1, numbered(steps(1, third))))] }],
    });
    expect(out).toMatch(/\bvii\. Step 7 of the rollout$/m);
    expect(out).toMatch(/\bviii\. Step 8 of the rollout$/m);
    expect(out).toMatch(/\bix\. Step 9 of the rollout$/m);
  });
});

describe("list markers in both formats", () => {
  /** Items named "L<depth> item <n>" (long lists) or "D…" (deep), each marker found beside its item. */
  const items = (depth: number, n: number, firstChild?: List, name = "L"): ListItem[] =>
    Array.from({ length: n }, (_, i) => ({
      inlines: [{ text: `${name}${depth} item ${i + 1}` }],
      ...(i === 0 && firstChild ? { children: firstChild } : {}),
    }));
  /** Two items a level, `levels` deep, numbered and bulleted in turn. */
  const deep = (depth: number, levels: number): List => ({
    type: "list",
    ordered: depth % 2 === 0,
    items: items(depth, 2, depth + 1 < levels ? deep(depth + 1, levels) : undefined, "D"),
  });
  const doc: Document = {
    title: "Plan",
    sections: [
      {
        title: "Long lists",
        blocks: [numbered(items(0, 3, numbered(items(1, 30, numbered(items(2, 42))))))],
      },
      { title: "Deep lists", blocks: [deep(0, 13)] },
    ],
  };
  const markers = (text: string) =>
    new Map(
      [...text.matchAll(/(\w+\.|[•◦▪]) *([LD]\d+ item \d+)/g)].map(([, marker, item]) => [
        item!,
        marker!,
      ]),
    );

  it("count past z and xxxix the same way: aa., bb., …, xl., xli.", () => {
    expect(listMarker(true, 26, 1)).toBe("z.");
    expect(listMarker(true, 27, 1)).toBe("aa.");
    expect(listMarker(true, 53, 1)).toBe("aaa.");
    expect(listMarker(true, 40, 2)).toBe("xl.");
    expect(listMarker(true, 1994, 2)).toBe("mcmxciv.");
    expect(listMarker(false, 1, 9)).toBe("•");
  });

  it("are the same in the PDF and the .docx, in lists of 42 and lists 13 levels deep", async () => {
    const pdf = markers(await pdfText(doc));
    const docx = markers(await docxText(doc));
    expect(pdf.size).toBe(3 + 30 + 42 + 13 * 2);
    expect(pdf.get("L1 item 27")).toBe("aa.");
    expect(pdf.get("L1 item 30")).toBe("dd.");
    expect(pdf.get("L2 item 40")).toBe("xl.");
    // Past the ninth level each list still restarts, with the marker of its depth.
    expect(pdf.get("D10 item 2")).toBe("b.");
    expect(pdf.get("D12 item 1")).toBe("1.");
    expect(pdf.get("D12 item 2")).toBe("2.");
    expect(Object.fromEntries(docx)).toEqual(Object.fromEntries(pdf));
  }, 120_000);
});
