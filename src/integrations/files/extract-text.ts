// Uploaded files as text (SPEC 2: "Uploading .txt/.md/.docx/.pdf files turns them into text
// blocks"). Text only: formatting, images and fonts are dropped. A .docx or .pdf is first unpacked
// here within a counted limit (unpack.ts), then parsed in the reading thread (reader-thread.ts):
// PDFs with the pdf.js legacy build (nothing is fetched: no fonts, no CMaps, no eval), .docx with
// mammoth's raw-text extraction.
import { extname } from "node:path";
import { DomainError } from "../../domain/errors.js";
import {
  DEFAULT_READ_LIMITS,
  readInThread,
  type ReadJob,
  type ReadLimits,
} from "./reader-thread.js";
import { checkPdfStreams, docxXmlParts, UnpackLimit } from "./unpack.js";

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

/** Limits on reading one .docx or .pdf: what its parts may unpack to (counted as they inflate,
 *  whatever sizes the file declares), and the reading thread's time and memory. */
export interface ExtractLimits extends ReadLimits {
  /** The XML parts of a .docx, inflated; media and fonts are not read. */
  docxUnpackedBytes: number;
  /** A PDF's compressed streams other than images, inflated. */
  pdfUnpackedBytes: number;
}

export const DEFAULT_EXTRACT_LIMITS: ExtractLimits = {
  docxUnpackedBytes: 64 * 1_048_576,
  pdfUnpackedBytes: 128 * 1_048_576,
  ...DEFAULT_READ_LIMITS,
};

const megabytes = (bytes: number) => `${Math.round((bytes / 1_048_576) * 10) / 10} MB`;

/** What the reading thread may open: the .docx's XML parts unpacked, or the PDF as it is. */
async function unpacked(
  filename: string,
  type: "docx" | "pdf",
  bytes: Uint8Array,
  maxChars: number,
  limits: ExtractLimits,
): Promise<ReadJob> {
  try {
    if (type === "pdf") {
      await checkPdfStreams(bytes, limits.pdfUnpackedBytes);
      return { type, bytes, maxChars };
    }
    const parts = await docxXmlParts(bytes, limits.docxUnpackedBytes);
    if (!parts) throw unreadable(filename, "it is not a valid .docx (Word) document.");
    return { type, parts };
  } catch (e) {
    if (!(e instanceof UnpackLimit)) throw e;
    throw unreadable(
      filename,
      `its ${type === "pdf" ? "pages unpack" : "text and markup unpack"} to more than ${megabytes(e.limit)}. Paste its text instead, or upload a shorter part of it.`,
    );
  }
}

async function parsedText(
  filename: string,
  type: "docx" | "pdf",
  bytes: Uint8Array,
  maxChars: number,
  limits: ExtractLimits,
): Promise<string> {
  const outcome = await readInThread(
    await unpacked(filename, type, bytes, maxChars, limits),
    limits,
  );
  switch (outcome.kind) {
    case "text":
      return outcome.text;
    case "password":
      throw unreadable(filename, "the PDF is password-protected.");
    case "invalid":
      throw unreadable(
        filename,
        type === "pdf" ? "it is not a valid PDF." : "it is not a valid .docx (Word) document.",
      );
    case "too_slow":
      throw unreadable(
        filename,
        `reading it took longer than ${limits.timeoutMs / 1000} seconds. Paste its text instead, or upload a shorter part of it.`,
      );
    case "too_large":
      throw unreadable(
        filename,
        "reading it needs more memory than a file may take. Paste its text instead, or upload a shorter part of it.",
      );
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
  options: { maxBytes?: number; limits?: Partial<ExtractLimits> } = {},
): Promise<string> {
  const type = uploadTypeOf(filename);
  const max = options.maxBytes ?? Infinity;
  const limits = { ...DEFAULT_EXTRACT_LIMITS, ...options.limits };
  const raw =
    type === "text"
      ? decodeText(filename, bytes)
      : await parsedText(filename, type, bytes, max, limits);
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
