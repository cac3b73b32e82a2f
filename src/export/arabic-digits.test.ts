// Regression: Arabic-Indic (٠-٩) and Persian (۰-۹) digits came out of the PDF backwards, on the
// page and in its text layer (٢٠٢٧ read ٧٢٠٢, ١٢٬٥٠٠ read ٠٠٥٬٢١), while Western digits in the
// same line were right. fontkit takes those digits for Arabic script and reverses them, though the
// bidi algorithm keeps a number left to right inside right-to-left text.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Document } from "../domain/document.js";
import { profile } from "../../test/support/documents.js";
import { renderPdf } from "./pdf.js";

const TITLE = "تقرير ٢٠٢٧ — الميزانية ١٢٬٥٠٠ ريال و 2027 ۱۴۰۳";

const document: Document = {
  title: TITLE,
  sections: [
    {
      title: "الفصل ٣ من ۱۲",
      blocks: [
        { type: "paragraph", inlines: [{ text: "النسبة ٣٫٧٥ والمجموع ٩٨٬٧٦٥ في عام ۱۴۰۲" }] },
        { type: "heading", level: 2, text: "البنود ٤٥٦" },
        {
          type: "list",
          ordered: true,
          items: [{ inlines: [{ text: "البند الأول ٨٠٩ ريال" }] }],
        },
        { type: "table", header: ["البند", "المبلغ"], rows: [["التصميم", "٦٥٬٤٣٢"]] },
        { type: "paragraph", inlines: [{ text: "An English line with ٥٦٧٨ and ۹۸۷۶ in it." }] },
      ],
    },
  ],
};

describe("Arabic-Indic and Persian digits in the PDF", () => {
  let text = "";
  beforeAll(async () => {
    const path = join(mkdtempSync(join(tmpdir(), "atelya-digits-")), "digits.pdf");
    writeFileSync(path, await renderPdf(document, profile()));
    text = execFileSync("pdftotext", [path, "-"], { encoding: "utf8" });
  });

  it("keeps each number in its own order in the title, with its group separator", () => {
    for (const n of ["٢٠٢٧", "١٢٬٥٠٠", "2027", "۱۴۰۳"]) expect(text).toContain(n);
    for (const reversed of ["٧٢٠٢", "٠٠٥٬٢١", "۳۰۴۱"]) expect(text).not.toContain(reversed);
  });

  it("keeps numbers the right way round in section titles, headings, paragraphs, lists and tables", () => {
    for (const n of ["٣", "۱۲", "٣٫٧٥", "٩٨٬٧٦٥", "۱۴۰۲", "٤٥٦", "٨٠٩", "٦٥٬٤٣٢", "٥٦٧٨", "۹۸۷۶"])
      expect(text).toContain(n);
    for (const reversed of ["۲۱", "٥٧٫٣", "٥٦٧٬٨٩", "۲۰۴۱", "٦٥٤", "٩٠٨", "٢٣٤٬٥٦", "٨٧٦٥", "۶۷۸۹"])
      expect(text).not.toContain(reversed);
  });
});
