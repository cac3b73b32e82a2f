// Counted decompression of an upload's parts before a parser sees them. Sizes a file declares are
// not trusted: a .docx whose zip says a part is 5,000 bytes can inflate to gigabytes, and mammoth
// (through JSZip) or pdf.js would inflate it whole, in memory, before anything else looks at it.
// Here the inflater counts what it produces and stops past a limit, off the event loop.
import { createInflate, createInflateRaw } from "node:zlib";

/** The unpacked bytes went past the limit (the caller names the file and the limit). */
export class UnpackLimit extends Error {
  constructor(readonly limit: number) {
    super(`unpacks to more than ${limit} bytes`);
  }
}

/** A running total of unpacked bytes shared by every part of one file. */
export interface Budget {
  left: number;
  readonly limit: number;
}

export const budget = (limit: number): Budget => ({ left: limit, limit });

/**
 * Inflates `data` (raw deflate, or zlib when `zlib`), counting against `budget`; the bytes are kept
 * only when `keep`. Null when the data does not inflate (damaged or encrypted). zlib's streams run
 * on libuv's thread pool, so the event loop only sees the counted chunks go by.
 */
function inflateCounted(
  data: Uint8Array,
  budget: Budget,
  options: { zlib: boolean; keep: boolean },
): Promise<Uint8Array[] | null> {
  const inflater = options.zlib ? createInflate() : createInflateRaw();
  const out: Uint8Array[] = [];
  return new Promise((resolve, reject) => {
    inflater.on("data", (chunk: Buffer) => {
      budget.left -= chunk.length;
      if (budget.left >= 0) {
        if (options.keep) out.push(chunk);
        return;
      }
      inflater.destroy();
      reject(new UnpackLimit(budget.limit));
    });
    inflater.on("error", () => resolve(null));
    inflater.on("end", () => resolve(out));
    inflater.end(data);
  });
}

const concat = (parts: Uint8Array[]): Uint8Array => {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) all.set(p, (at += p.length) - p.length);
  return all;
};

interface ZipEntry {
  name: string;
  method: number;
  data: Uint8Array;
}

/** The entries of a zip, from its central directory; null when it is not a zip fflate could read
 *  back (no directory, ZIP64, an entry outside the file). */
function zipEntries(bytes: Uint8Array): ZipEntry[] | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end-of-directory record is in the last 22 bytes plus at most a 65,535-byte comment.
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 65_557); i--) {
    if (view.getUint32(i, true) !== 0x06054b50) continue;
    const entries: ZipEntry[] = [];
    let at = view.getUint32(i + 16, true);
    for (let n = view.getUint16(i + 10, true); n > 0; n--) {
      if (at + 46 > bytes.length || view.getUint32(at, true) !== 0x02014b50) return null;
      const size = view.getUint32(at + 20, true);
      const local = view.getUint32(at + 42, true);
      const nameLength = view.getUint16(at + 28, true);
      if (size === 0xffffffff || local + 30 > bytes.length) return null;
      const start =
        local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
      if (start + size > bytes.length) return null;
      entries.push({
        name: new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength)),
        method: view.getUint16(at + 10, true),
        data: bytes.subarray(start, start + size),
      });
      at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    }
    return entries;
  }
  return null;
}

/**
 * The XML parts of a .docx by name (all a raw-text reading needs: no media, fonts or embedded
 * files), inflated within `limit` bytes in all. Null when the file is not a zip this can read.
 * Throws UnpackLimit past the limit.
 */
export async function docxXmlParts(
  bytes: Uint8Array,
  limit: number,
): Promise<Record<string, Uint8Array> | null> {
  const entries = zipEntries(bytes);
  if (!entries) return null;
  const left = budget(limit);
  const parts: Record<string, Uint8Array> = {};
  for (const entry of entries) {
    if (!/\.(xml|rels)$/i.test(entry.name)) continue;
    let data: Uint8Array | null;
    if (entry.method === 0) {
      left.left -= entry.data.length;
      if (left.left < 0) throw new UnpackLimit(limit);
      data = entry.data;
    } else if (entry.method === 8) {
      const chunks = await inflateCounted(entry.data, left, { zlib: false, keep: true });
      data = chunks && concat(chunks);
    } else return null;
    if (!data) return null;
    parts[entry.name] = data;
  }
  return parts;
}

const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString("latin1");

/**
 * Counts, within `limit` bytes in all, what a PDF's Flate-compressed streams inflate to, keeping
 * nothing: pdf.js decodes a page's content stream whole, with no bound of its own. Image streams
 * are not counted (reading text never decodes them); streams that do not inflate (encrypted,
 * damaged, or under another filter first) are left to pdf.js and the reading thread's limits.
 * Throws UnpackLimit past the limit.
 */
export async function checkPdfStreams(bytes: Uint8Array, limit: number): Promise<void> {
  const file = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const left = budget(limit);
  for (let at = file.indexOf("stream"); at >= 0; at = file.indexOf("stream", at + 6)) {
    // A stream's data follows its dictionary's ">>", then "stream" and an end of line.
    const before = latin1(file.subarray(Math.max(0, at - 2048), at));
    if (!/>>\s*$/.test(before)) continue;
    const dict = before.slice(before.lastIndexOf("obj") + 3);
    if (!/\/Filter\s*\[?\s*\/(FlateDecode|Fl)\b/.test(dict) || /\/Subtype\s*\/Image\b/.test(dict))
      continue;
    let start = at + 6;
    if (file[start] === 0x0d) start++;
    if (file[start] === 0x0a) start++;
    const end = file.indexOf("endstream", start);
    await inflateCounted(file.subarray(start, end < 0 ? file.length : end), left, {
      zlib: true,
      keep: false,
    });
  }
}
