// PNG files made in the tests, so no test needs an image file: a solid one, or one of noise that
// does not compress (to reach a size limit with a real image).
import { crc32, deflateSync } from "node:zlib";

function encode(width: number, height: number, pixels: (row: number) => Buffer, level = 6) {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const rows = Array.from({ length: height }, (_, y) =>
    Buffer.concat([Buffer.from([0]), pixels(y)]),
  );
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(Buffer.concat(rows), { level })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** A solid RGB PNG of the given size and colour (grey unless told). */
export function png(
  width: number,
  height: number,
  [r, g, b]: readonly [number, number, number] = [0x40, 0x40, 0x40],
): Buffer {
  const row = Buffer.from(Array.from({ length: width }, () => [r, g, b]).flat());
  return encode(width, height, () => row);
}

/** An RGB PNG of deterministic noise, stored uncompressed: about width × height × 3 bytes. */
export function noisePng(width: number, height: number): Buffer {
  let seed = 1;
  const next = () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
  return encode(width, height, () => Buffer.from(Array.from({ length: width * 3 }, next)), 0);
}
