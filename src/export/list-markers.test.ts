// Regression: a PDF list marker was drawn in a 14 pt column, so "10." and "viii." wrapped their
// last characters onto the next line; the column is now as wide as the list's widest marker.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Document, List, ListItem } from "../domain/document.js";
import { profile } from "../../test/support/documents.js";
import { renderPdf } from "./pdf.js";

const steps = (n: number, firstChild?: List): ListItem[] =>
  Array.from({ length: n }, (_, i) => ({
    inlines: [{ text: `Step ${i + 1} of the rollout` }],
    ...(i === 0 && firstChild ? { children: firstChild } : {}),
  }));
const numbered = (items: ListItem[]): List => ({ type: "list", ordered: true, items });

async function pdfText(doc: Document): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), "atelya-markers-")), "list.pdf");
  writeFileSync(path, await renderPdf(doc, profile()));
  return execFileSync("pdftotext", ["-layout", path, "-"], { encoding: "utf8" });
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
