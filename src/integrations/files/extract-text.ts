// Uploaded files as text (SPEC 2: "Uploading .txt/.md/.docx/.pdf files turns them into text
// blocks"). Text only: formatting, images and fonts are dropped. PDFs are read in-process with the
// pdf.js legacy build (its "fake worker" runs on this thread; nothing is fetched: no fonts, no
// CMaps, no eval), .docx with mammoth's raw-text extraction.
import { extname } from "node:path";
import { DomainError } from "../../domain/errors.js";

export const UPLOAD_TYPES = {
  ".txt": "text",
  ".md": "text",
  ".markdown": "text",
  ".docx": "docx",
  ".pdf": "pdf",
} as const;
type UploadType = (typeof UPLOAD_TYPES)[keyof typeof UPLOAD_TYPES];

export const SUPPORTED_UPLOADS = ".txt, .md, .docx and .pdf";

/** The kind of reader a file name asks for, or a 400 naming the supported types. */
export function uploadTypeOf(filename: string): UploadType {
  const ext = extname(filename).toLowerCase();
  const type = (UPLOAD_TYPES as Record<string, UploadType>)[ext];
  if (!type)
    throw new DomainError(
      "invalid_input",
      `Cannot read "${filename}": the supported file types are ${SUPPORTED_UPLOADS}.`,
    );
  return type;
}

const unreadable = (filename: string, why: string) =>
  new DomainError("invalid_input", `Cannot read "${filename}": ${why}`);

function decodeText(filename: string, bytes: Uint8Array): string {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw unreadable(filename, "it is not UTF-8 text. Save it as UTF-8 and upload it again.");
  }
  // A NUL byte means a binary file renamed to .txt; its "text" would be noise to the models.
  if (text.includes("\u0000")) throw unreadable(filename, "it looks like a binary file, not text.");
  return text;
}

/** A .docx whose parts unzip to more than this is refused before mammoth inflates it in memory. */
export const MAX_DOCX_UNZIPPED_BYTES = 200 * 1_048_576;

/**
 * The total size the zip's central directory declares for its entries: Infinity for ZIP64 sizes,
 * null when there is no readable directory (mammoth then says the file is damaged). Declared sizes
 * are what an ordinary zip bomb shows; a zip that lies about them is caught by the inflater, which
 * checks each entry's size.
 */
export function declaredUnzippedBytes(bytes: Uint8Array): number | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end-of-directory record is in the last 22 bytes plus at most a 65,535-byte comment.
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 65_557); i--) {
    if (view.getUint32(i, true) !== 0x06054b50) continue;
    const entries = view.getUint16(i + 10, true);
    let at = view.getUint32(i + 16, true);
    let total = 0;
    for (let n = 0; n < entries; n++) {
      if (at + 46 > bytes.length || view.getUint32(at, true) !== 0x02014b50) return null;
      const size = view.getUint32(at + 24, true);
      if (size === 0xffffffff) return Infinity;
      total += size;
      at +=
        46 +
        view.getUint16(at + 28, true) +
        view.getUint16(at + 30, true) +
        view.getUint16(at + 32, true);
    }
    return total;
  }
  return null;
}

async function docxText(filename: string, bytes: Uint8Array): Promise<string> {
  const unzipped = declaredUnzippedBytes(bytes);
  if (unzipped !== null && unzipped > MAX_DOCX_UNZIPPED_BYTES)
    throw unreadable(
      filename,
      `it unpacks to more than ${MAX_DOCX_UNZIPPED_BYTES / 1_048_576} MB. Save it without embedded media, or paste its text.`,
    );
  const mammoth = await import("mammoth");
  try {
    const result = await mammoth.extractRawText({ buffer: Buffer.from(bytes) });
    return result.value;
  } catch {
    throw unreadable(filename, "it is not a valid .docx (Word) document.");
  }
}

async function pdfText(filename: string, bytes: Uint8Array, maxChars: number): Promise<string> {
  const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const task = pdfjs.getDocument({
    // pdf.js takes ownership of (and detaches) the buffer it is given: give it a copy.
    data: new Uint8Array(bytes),
    useWorkerFetch: false,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    stopAtErrors: false,
    verbosity: 0,
  });
  try {
    const doc = await task.promise;
    const pages: string[] = [];
    let chars = 0;
    // A long PDF is read only as far as the text could still be accepted.
    for (let n = 1; n <= doc.numPages && chars <= maxChars; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      let text = "";
      for (const item of content.items)
        if ("str" in item) text += item.str + (item.hasEOL ? "\n" : "");
      pages.push(text.trim());
      chars += text.length;
      page.cleanup();
    }
    return pages.filter(Boolean).join("\n\n");
  } catch (e) {
    const why =
      e instanceof Error && e.name === "PasswordException"
        ? "the PDF is password-protected."
        : "it is not a valid PDF.";
    throw unreadable(filename, why);
  } finally {
    await task.destroy();
  }
}

/** Normalises line endings and trims; blank runs of more than one empty line are collapsed. */
const tidy = (text: string): string =>
  text
    .replace(/\r\n?/g, "\n")
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();

/**
 * The text of an uploaded file, or a 400 (`invalid_input`) saying why it cannot be read: an
 * unsupported type, a damaged file, or a file with no text in it (a scanned PDF). Text over
 * `maxBytes` is a 413 (`input_limit`); a PDF is then read no further than needed to know it.
 */
export async function extractText(
  filename: string,
  bytes: Uint8Array,
  options: { maxBytes?: number } = {},
): Promise<string> {
  const type = uploadTypeOf(filename);
  const max = options.maxBytes ?? Infinity;
  const raw =
    type === "text"
      ? decodeText(filename, bytes)
      : type === "docx"
        ? await docxText(filename, bytes)
        : await pdfText(filename, bytes, max);
  const text = tidy(raw);
  const size = Buffer.byteLength(text, "utf8");
  if (size > max)
    throw new DomainError(
      "input_limit",
      `The text of "${filename}" alone is over the ${max.toLocaleString("en-US")} bytes a workroom takes (${type === "pdf" ? "at least " : ""}${size.toLocaleString("en-US")} bytes). Upload a shorter part of it.`,
    );
  if (!text)
    throw unreadable(
      filename,
      type === "pdf"
        ? "the PDF has no text layer (a scan?). Paste its text instead."
        : "the file has no text in it.",
    );
  return text;
}
