// Pixel size of a PNG or JPEG logo, read from its header, so the .docx letterhead can scale it
// without stretching (Word needs the drawn size up front; pdfkit works it out itself).

export interface ImageSize {
  width: number;
  height: number;
}

function pngSize(b: Buffer): ImageSize | null {
  // Signature (8 bytes), then the IHDR chunk: length, "IHDR", width, height.
  if (b.length < 24 || b.readUInt32BE(0) !== 0x89504e47 || b.toString("ascii", 12, 16) !== "IHDR")
    return null;
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

function jpegSize(b: Buffer): ImageSize | null {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return null;
  let at = 2;
  while (at + 9 < b.length) {
    if (b[at] !== 0xff) return null;
    const marker = b[at + 1]!;
    // Start-of-frame markers C0–CF carry the size, except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker))
      return { height: b.readUInt16BE(at + 5), width: b.readUInt16BE(at + 7) };
    at += 2 + b.readUInt16BE(at + 2);
  }
  return null;
}

/**
 * A JPEG's EXIF orientation (1–8; 1 when it has none): how its stored pixels must be turned to be
 * seen upright. Phones store photos sideways and say so here; pdfkit and browsers apply it.
 */
export function jpegOrientation(b: Buffer): number {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return 1;
  let at = 2;
  while (at + 4 < b.length && b[at] === 0xff) {
    const marker = b[at + 1]!;
    const length = b.readUInt16BE(at + 2);
    // APP1 "Exif\0\0", then a TIFF header and its first directory (IFD0), which holds the tag.
    if (marker === 0xe1 && b.toString("ascii", at + 4, at + 10) === "Exif\0\0") {
      const tiff = at + 10;
      if (tiff + 8 > b.length) return 1;
      const le = b.toString("ascii", tiff, tiff + 2) === "II";
      const u16 = (o: number) => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
      const u32 = (o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
      const ifd = tiff + u32(tiff + 4);
      if (ifd + 2 > b.length) return 1;
      for (let i = 0, n = u16(ifd); i < n && ifd + 2 + i * 12 + 10 <= b.length; i++) {
        const entry = ifd + 2 + i * 12;
        if (u16(entry) === 0x0112) {
          const value = u16(entry + 8);
          return value >= 1 && value <= 8 ? value : 1;
        }
      }
      return 1;
    }
    // The image data starts at SOS: no EXIF comes after it.
    if (marker === 0xda) return 1;
    at += 2 + length;
  }
  return 1;
}

/** Orientations 5–8 turn the image a quarter: it is seen with its width and height swapped. */
export const isQuarterTurned = (orientation: number): boolean => orientation >= 5;

export function imageSize(data: Buffer): ImageSize | null {
  const size = pngSize(data) ?? jpegSize(data);
  return size && size.width > 0 && size.height > 0 ? size : null;
}

/** The size of a logo as it is seen: a JPEG's EXIF orientation may turn it a quarter. */
export function uprightSize(data: Buffer, mime: "image/png" | "image/jpeg"): ImageSize | null {
  const stored = imageSize(data);
  if (!stored || mime !== "image/jpeg" || !isQuarterTurned(jpegOrientation(data))) return stored;
  return { width: stored.height, height: stored.width };
}

/** The largest size with the image's proportions that fits in the box. */
export function fitInside(size: ImageSize, box: ImageSize): ImageSize {
  const scale = Math.min(box.width / size.width, box.height / size.height);
  return { width: Math.round(size.width * scale), height: Math.round(size.height * scale) };
}
