// Real upload files made by the same libraries the export uses: a .docx written with `docx` and a
// .pdf written with `pdfkit`, so extraction is tested against files Word and PDF readers accept.
import { Document, Packer, Paragraph, TextRun } from "docx";
import PDFDocument from "pdfkit";

/** A .docx with one paragraph per line (the first one bold, like a heading). */
export async function makeDocx(lines: readonly string[]): Promise<Buffer> {
  const doc = new Document({
    sections: [
      {
        children: lines.map(
          (line, i) => new Paragraph({ children: [new TextRun({ text: line, bold: i === 0 })] }),
        ),
      },
    ],
  });
  return Packer.toBuffer(doc);
}

/** A .pdf with the given pages, each a list of lines, in the standard Helvetica font. */
export function makePdf(pages: readonly (readonly string[])[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const pdf = new PDFDocument({ autoFirstPage: false, compress: true });
    const chunks: Buffer[] = [];
    pdf.on("data", (c: Buffer) => chunks.push(c));
    pdf.on("end", () => resolve(Buffer.concat(chunks)));
    pdf.on("error", reject);
    for (const lines of pages) {
      pdf.addPage();
      pdf.font("Helvetica").fontSize(12);
      for (const line of lines) pdf.text(line);
    }
    pdf.end();
  });
}

/** A PDF with a page but no text on it, like a scan. */
export function makeEmptyPdf(): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const pdf = new PDFDocument();
    const chunks: Buffer[] = [];
    pdf.on("data", (c: Buffer) => chunks.push(c));
    pdf.on("end", () => resolve(Buffer.concat(chunks)));
    pdf.on("error", reject);
    pdf.rect(50, 50, 100, 100).fill("#888888");
    pdf.end();
  });
}
