// Whether a letterhead logo's bytes are a whole PNG or JPEG, checked when it is saved: a file with
// the right first bytes but cut short or damaged was accepted, and pdfkit then refused it on every
// PDF export of the workspace ("Incomplete or corrupt PNG file", a 500).
import { crc32, inflateSync } from "node:zlib";
import type { ExportProfile } from "../domain/export-profile.js";

export type LogoMime = "image/png" | "image/jpeg";

/** The most pixels a logo may have on a side, and in all. A letterhead draws it a few centimetres
 *  wide, and the check and every export decode it whole: a small file can claim an image of
 *  gigabytes, and the largest allowed (4 megapixels of 16-bit RGBA: 33 MB) decodes in a fraction
 *  of a second. A wide banner (4,000 × 1,000) fits; a 4,096-pixel square does not. */
export const MAX_LOGO_SIDE = 4096;
export const MAX_LOGO_PIXELS = 4 * 1024 * 1024;

/** An image of more pixels than a logo may have, found in its header. */
class Oversized {
  constructor(
    readonly width: number,
    readonly height: number,
  ) {}
}

const oversized = (width: number, height: number) =>
  width > MAX_LOGO_SIDE || height > MAX_LOGO_SIDE || width * height > MAX_LOGO_PIXELS
    ? new Oversized(width, height)
    : null;

/** Bits per pixel of each PNG colour type, by bit depth allowed for it. */
const PNG_CHANNELS: Record<number, { channels: number; depths: number[] }> = {
  0: { channels: 1, depths: [1, 2, 4, 8, 16] },
  2: { channels: 3, depths: [8, 16] },
  3: { channels: 1, depths: [1, 2, 4, 8] },
  4: { channels: 2, depths: [8, 16] },
  6: { channels: 4, depths: [8, 16] },
};

/** Bytes of filtered image data: a filter byte and the packed pixels of each row (of each pass). */
function pngDataLength(width: number, height: number, bitsPerPixel: number, interlaced: boolean) {
  const rows = (w: number, h: number) => (w && h ? h * (1 + Math.ceil((w * bitsPerPixel) / 8)) : 0);
  if (!interlaced) return rows(width, height);
  // Adam7: each pass takes every n-th pixel from an offset, in both directions.
  const passes = [
    [0, 0, 8, 8],
    [4, 0, 8, 8],
    [0, 4, 4, 8],
    [2, 0, 4, 4],
    [0, 2, 2, 4],
    [1, 0, 2, 2],
    [0, 1, 1, 2],
  ] as const;
  return passes.reduce(
    (sum, [x, y, dx, dy]) => sum + rows(Math.ceil((width - x) / dx), Math.ceil((height - y) / dy)),
    0,
  );
}

/** How many bytes the zlib stream in `parts` inflates to, up to `enough` (past it, inflating
 *  stops: a header that claims a small image cannot make this inflate gigabytes), or null when it
 *  is not a zlib stream. zlib runs natively: a JavaScript inflater took seconds of the event loop
 *  for the largest logo allowed (the memory it holds is at most `enough`, the image's own size). */
function inflatedLength(parts: Buffer[], enough: number): number | null {
  try {
    return inflateSync(Buffer.concat(parts), { maxOutputLength: Math.max(1, enough) }).length;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE" ? enough : null;
  }
}

function pngProblem(b: Buffer): string | Oversized | null {
  let at = 8;
  let header: { width: number; height: number; bits: number; interlaced: boolean } | null = null;
  const data: Buffer[] = [];
  while (at + 12 <= b.length) {
    const length = b.readUInt32BE(at);
    const type = b.toString("latin1", at + 4, at + 8);
    if (at + 12 + length > b.length) break;
    if (b.readUInt32BE(at + 8 + length) !== crc32(b.subarray(at + 4, at + 8 + length)))
      return `its ${type} chunk is damaged`;
    const body = b.subarray(at + 8, at + 8 + length);
    if (type === "IHDR") {
      const colour = PNG_CHANNELS[body[9]!];
      if (length !== 13 || !colour || !colour.depths.includes(body[8]!))
        return "its header is not one a PNG can have";
      header = {
        width: body.readUInt32BE(0),
        height: body.readUInt32BE(4),
        bits: colour.channels * body[8]!,
        interlaced: body[12] === 1,
      };
      const large = oversized(header.width, header.height);
      if (large) return large;
    } else if (type === "IDAT") data.push(body);
    else if (type === "IEND") {
      if (!header || !header.width || !header.height) return "it has no image size";
      const needed = pngDataLength(header.width, header.height, header.bits, header.interlaced);
      const inflated = inflatedLength(data, needed);
      if (inflated === null) return "its image data does not decompress";
      return inflated < needed ? "its image data is incomplete" : null;
    }
    at += 12 + length;
  }
  return "the file ends before the image does (it was cut short)";
}

function jpegProblem(b: Buffer): string | Oversized | null {
  let at = 2;
  let sized = false;
  let scanned = false;
  while (at + 2 <= b.length) {
    if (b[at] !== 0xff) return "its structure is damaged";
    const marker = b[at + 1]!;
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    if (marker === 0xd9)
      return !sized ? "it has no image size" : !scanned ? "it has no image data" : null;
    if (at + 4 > b.length) break;
    const length = b.readUInt16BE(at + 2);
    if (length < 2 || at + 2 + length > b.length) break;
    // Start-of-frame markers C0–CF carry the size, except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
      if (length < 8 || !b.readUInt16BE(at + 5) || !b.readUInt16BE(at + 7))
        return "it has no image size";
      const large = oversized(b.readUInt16BE(at + 7), b.readUInt16BE(at + 5));
      if (large) return large;
      sized = true;
    }
    at += 2 + length;
    if (marker === 0xda) {
      // Entropy-coded data runs to the next marker that is not a stuffed 00 or a restart D0–D7.
      while (
        at + 1 < b.length &&
        !(b[at] === 0xff && b[at + 1] !== 0 && (b[at + 1]! & 0xf8) !== 0xd0)
      )
        at++;
      scanned = true;
    }
  }
  return "the file ends before the image does (it was cut short)";
}

/**
 * Why the logo cannot be drawn, and what to do about it, or null when it is a whole image of the
 * type given and of a letterhead's size: every PNG chunk is intact and its pixels decompress in
 * full; a JPEG runs from its header to its end marker.
 */
export function logoProblem(mime: LogoMime, bytes: Buffer): string | null {
  const png = bytes.length >= 8 && bytes.readUInt32BE(0) === 0x89504e47;
  const jpeg = bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  const problem =
    mime === "image/png"
      ? png
        ? pngProblem(bytes)
        : "it is not a PNG"
      : jpeg
        ? jpegProblem(bytes)
        : "it is not a JPEG";
  if (problem instanceof Oversized)
    return `the logo is ${problem.width}×${problem.height} pixels; a logo may have at most ${MAX_LOGO_SIDE} on a side and 4 megapixels in all: scale it down (a few hundred pixels is plenty) and set it again`;
  return (
    problem &&
    `the logo file is damaged (${problem}): open it in an image editor, export it again as PNG or JPEG and set it again`
  );
}

/** The last logo `drawableLogo` checked, and whether it can be drawn: an export asks twice (to
 *  warn, and to render), and every export of a workspace asks of the same logo, which a check
 *  decodes and decompresses whole. */
let lastChecked: { mime: LogoMime; base64: string; drawable: boolean } | undefined;

/** The logo if it can be drawn: a damaged one saved before the check is left out of exports. */
export function drawableLogo(p: ExportProfile): ExportProfile["logo"] {
  const logo = p.logo;
  if (!logo) return null;
  if (lastChecked?.mime !== logo.mime || lastChecked.base64 !== logo.base64)
    lastChecked = {
      ...logo,
      drawable: !logoProblem(logo.mime, Buffer.from(logo.base64, "base64")),
    };
  return lastChecked.drawable ? logo : null;
}
