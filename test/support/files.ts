// Real upload files made by the same libraries the export uses: a .docx written with `docx` and a
// .pdf written with `pdfkit`, so extraction is tested against files Word and PDF readers accept.
import { deflateSync } from "node:zlib";
import { Document, Packer, Paragraph, TextRun } from "docx";
import { unzipSync, zipSync } from "fflate";
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

/** A one-page PDF written by hand whose content stream is `content`, Flate-compressed, with
 *  `extra` added to the stream's dictionary: small files that unpack to a lot. */
export function makeStreamPdf(content: Buffer, extra = ""): Buffer {
  const data = deflateSync(content, { level: 9 });
  const parts: Buffer[] = [Buffer.from("%PDF-1.4\n")];
  const offsets: number[] = [];
  let length = parts[0]!.length;
  const object = (body: Buffer) => {
    offsets.push(length);
    const b = Buffer.concat([
      Buffer.from(`${offsets.length} 0 obj\n`),
      body,
      Buffer.from("\nendobj\n"),
    ]);
    parts.push(b);
    length += b.length;
  };
  object(Buffer.from("<< /Type /Catalog /Pages 2 0 R >>"));
  object(Buffer.from("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"));
  object(
    Buffer.from(
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    ),
  );
  object(
    Buffer.concat([
      Buffer.from(`<< /Length ${data.length}${extra} /Filter /FlateDecode >>\nstream\n`),
      data,
      Buffer.from("\nendstream"),
    ]),
  );
  object(Buffer.from("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"));
  const xref = offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("");
  parts.push(
    Buffer.from(
      `xref\n0 6\n0000000000 65535 f \n${xref}trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n${length}\n%%EOF\n`,
    ),
  );
  return Buffer.concat(parts);
}

/** `megabytes` of PDF comment lines, then a line of text ("Hello"): what a page bomb draws. */
export const commentedContent = (megabytes: number): Buffer =>
  Buffer.concat([
    Buffer.from(("%" + "x".repeat(98) + "\n").repeat(10_486 * megabytes)),
    Buffer.from("BT /F1 12 Tf 72 720 Td (Hello) Tj ET\n"),
  ]);

/**
 * The .docx written by makeDocx with its document.xml holding `megabytes` of "A " in one
 * paragraph, and the zip declaring (in the local header and the central directory) that the part
 * unpacks to 5,000 bytes: a bomb that lies about its size.
 */
export async function makeLyingDocx(megabytes: number): Promise<Buffer> {
  const files = unzipSync(await makeDocx(["Small text."]));
  const xml = Buffer.from(files["word/document.xml"]!).toString();
  files["word/document.xml"] = Buffer.from(
    xml.replace("Small text.", "A ".repeat(megabytes * 524_288)),
  );
  const zip = Buffer.from(zipSync(files, { level: 9 }));
  const name = Buffer.from("word/document.xml");
  for (let at = zip.indexOf(name); at >= 0; at = zip.indexOf(name, at + 1)) {
    if (zip.readUInt32LE(at - 30) === 0x04034b50) zip.writeUInt32LE(5000, at - 30 + 22);
    if (zip.readUInt32LE(at - 46) === 0x02014b50) zip.writeUInt32LE(5000, at - 46 + 24);
  }
  return zip;
}
