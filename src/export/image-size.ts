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

export function imageSize(data: Buffer): ImageSize | null {
  const size = pngSize(data) ?? jpegSize(data);
  return size && size.width > 0 && size.height > 0 ? size : null;
}

/** The largest size with the image's proportions that fits in the box. */
export function fitInside(size: ImageSize, box: ImageSize): ImageSize {
  const scale = Math.min(box.width / size.width, box.height / size.height);
  return { width: Math.round(size.width * scale), height: Math.round(size.height * scale) };
}
