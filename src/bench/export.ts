// Export benchmark: a ~30-page document to .docx and .pdf, median of several runs.
import type { Document, Section } from "../domain/document.js";
import { ExportProfileSchema } from "../domain/export-profile.js";
import { renderDocx } from "../export/docx.js";
import { renderPdf } from "../export/pdf.js";

function thirtyPages(): Document {
  const para = (n: number) => ({
    type: "paragraph" as const,
    inlines: [
      { text: `Paragraph ${n}. ` },
      { text: "Decisions", bold: true },
      { text: " are reviewed weekly with the client and recorded in the shared log. ".repeat(5) },
    ],
  });
  const section = (i: number): Section => ({
    title: `Workstream ${i + 1}`,
    blocks: [
      para(1),
      {
        type: "list",
        ordered: i % 2 === 0,
        items: [1, 2, 3].map((k) => ({ inlines: [{ text: `Deliverable ${i + 1}.${k}` }] })),
      },
      {
        type: "table",
        header: ["Item", "Owner", "Due"],
        rows: Array.from({ length: 6 }, (_, r) => [`Item ${r + 1}`, "Agency", `Week ${r + 1}`]),
      },
      para(2),
    ],
  });
  return {
    title: "Annual retainer report",
    sections: Array.from({ length: 50 }, (_, i) => section(i)),
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchExport(): Promise<{ docxMs: number; pdfMs: number; pages: number }> {
  const doc = thirtyPages();
  const profile = ExportProfileSchema.parse({ company_name: "Northwind Studio" });
  const time = async (fn: () => Promise<Buffer>) => {
    const runs: number[] = [];
    let last: Buffer = Buffer.alloc(0);
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      last = await fn();
      runs.push(performance.now() - t);
    }
    return { ms: median(runs), bytes: last };
  };
  const docx = await time(() => renderDocx(doc, profile));
  const pdf = await time(() => renderPdf(doc, profile));
  const pages = (pdf.bytes.toString("latin1").match(/\/Type \/Page\b/g) ?? []).length;
  return { docxMs: docx.ms, pdfMs: pdf.ms, pages };
}
