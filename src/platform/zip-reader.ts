// A zip archive read from its bytes, each file checked as it is unpacked: its size and CRC-32
// against what the zip's central directory recorded when it was written. fflate's unzipSync
// checks neither, so one flipped bit in a compressed file unpacked to altered text without a
// word; fflate still does the inflating. Files stored (0) or deflated (8) are read, as every zip
// tool writes them; ZIP64 sizes and offsets are read too.
import { crc32 } from "node:zlib";
import { inflateSync, strFromU8 } from "fflate";

/** A file as the central directory lists it. */
export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated. */
  compression: number;
  compressedSize: number;
  /** Its size unpacked. */
  size: number;
  crc: number;
  /** Where its local header starts. */
  offset: number;
  /** Its name as the directory has it, to compare with its header's. */
  nameBytes: Uint8Array;
}

/** The bytes are not a zip at all (no end-of-directory record where a zip has one). */
export class NotAZipError extends Error {
  override name = "NotAZipError";
}

/** The zip is damaged: `entry` (a file's name, or "the zip's directory") is not as written. */
export class DamagedZipError extends Error {
  override name = "DamagedZipError";
  constructor(
    readonly entry: string,
    readonly reason: string,
  ) {
    super(`${entry}: ${reason}`);
  }
}

const DIRECTORY = "the zip's directory";
const END_OF_DIRECTORY = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_END = 0x06064b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const FULL = 0xffffffff;

const u16 = (d: Uint8Array, at: number): number => d[at]! | (d[at + 1]! << 8);
const u32 = (d: Uint8Array, at: number): number =>
  (d[at]! | (d[at + 1]! << 8) | (d[at + 2]! << 16) | (d[at + 3]! << 24)) >>> 0;
const u64 = (d: Uint8Array, at: number): number => u32(d, at) + u32(d, at + 4) * 2 ** 32;

/** A zip's files by name, from its central directory; `unpack` checks each file it unpacks. */
export class ZipReader {
  readonly entries: ReadonlyMap<string, ZipEntry>;

  constructor(private readonly bytes: Uint8Array) {
    this.entries = readDirectory(bytes);
  }

  /** The file `name` unpacked, checked against its size and CRC-32; DamagedZipError if not. */
  unpack(name: string): Uint8Array {
    const e = this.entries.get(name);
    if (!e) throw new Error(`the zip has no ${name}`);
    const d = this.bytes;
    if (e.offset + 30 > d.length || u32(d, e.offset) !== LOCAL_HEADER)
      throw new DamagedZipError(name, "its header is not where the zip's directory says");
    const nameLength = u16(d, e.offset + 26);
    if (nameLength !== e.nameBytes.length || !sameBytes(d, e.offset + 30, e.nameBytes))
      throw new DamagedZipError(name, "its header names another file than the zip's directory");
    const start = e.offset + 30 + nameLength + u16(d, e.offset + 28);
    const end = start + e.compressedSize;
    if (end > d.length) throw new DamagedZipError(name, "it is cut short");
    let data: Uint8Array;
    if (e.compression === 0) data = d.slice(start, end);
    else if (e.compression === 8)
      try {
        data = inflateSync(d.subarray(start, end), { out: new Uint8Array(e.size) });
      } catch (err) {
        throw new DamagedZipError(name, `its data does not unpack (${(err as Error).message})`);
      }
    else
      throw new DamagedZipError(
        name,
        `it is compressed with method ${e.compression}, which no workspace export uses`,
      );
    if (data.length !== e.size)
      throw new DamagedZipError(
        name,
        `it unpacks to ${data.length} bytes where the zip says ${e.size}`,
      );
    const crc = crc32(data) >>> 0;
    if (crc !== e.crc)
      throw new DamagedZipError(
        name,
        `its checksum does not match (CRC-32 ${hex(crc)} where the zip says ${hex(e.crc)})`,
      );
    return data;
  }
}

const sameBytes = (d: Uint8Array, at: number, bytes: Uint8Array): boolean =>
  at + bytes.length <= d.length && bytes.every((b, i) => d[at + i] === b);

const hex = (n: number) => n.toString(16).padStart(8, "0");

function readDirectory(d: Uint8Array): Map<string, ZipEntry> {
  // The end-of-directory record is the last 22 bytes, or before a comment of up to 64 KB.
  let end = d.length - 22;
  while (end >= 0 && u32(d, end) !== END_OF_DIRECTORY) {
    if (d.length - end > 22 + 0xffff) end = -1;
    else end--;
  }
  if (end < 0) throw new NotAZipError("no end-of-directory record");
  let count = u16(d, end + 10);
  let at = u32(d, end + 16);
  const zip64 = end >= 20 && u32(d, end - 20) === ZIP64_LOCATOR;
  if (zip64) {
    const z = u64(d, end - 12);
    if (z + 56 > d.length || u32(d, z) !== ZIP64_END)
      throw new DamagedZipError(DIRECTORY, "its ZIP64 record is not where it says");
    count = u64(d, z + 32);
    at = u64(d, z + 48);
  }
  const entries = new Map<string, ZipEntry>();
  for (let i = 0; i < count; i++) {
    if (at + 46 > d.length || u32(d, at) !== DIRECTORY_ENTRY)
      throw new DamagedZipError(DIRECTORY, `its entry ${i + 1} of ${count} is not where it says`);
    const nameLength = u16(d, at + 28);
    const extraLength = u16(d, at + 30);
    const next = at + 46 + nameLength + extraLength + u16(d, at + 32);
    if (next > d.length) throw new DamagedZipError(DIRECTORY, "it is cut short");
    // Bit 11: the name is UTF-8; otherwise it is read as fflate and most tools read it.
    const nameBytes = d.subarray(at + 46, at + 46 + nameLength);
    const name = strFromU8(nameBytes, !(u16(d, at + 8) & 0x800));
    const sizes = { compressed: u32(d, at + 20), size: u32(d, at + 24), offset: u32(d, at + 42) };
    if (zip64) zip64Sizes(d, at + 46 + nameLength, extraLength, sizes);
    if (entries.has(name)) throw new DamagedZipError(DIRECTORY, `it lists ${name} twice`);
    entries.set(name, {
      name,
      compression: u16(d, at + 10),
      compressedSize: sizes.compressed,
      size: sizes.size,
      crc: u32(d, at + 16),
      offset: sizes.offset,
      nameBytes,
    });
    at = next;
  }
  return entries;
}

/** Sizes and offset too large for 32 bits are in the ZIP64 extra field (id 1), in this order. */
function zip64Sizes(
  d: Uint8Array,
  at: number,
  length: number,
  s: { compressed: number; size: number; offset: number },
): void {
  for (let x = at; x + 4 <= at + length; x += 4 + u16(d, x + 2)) {
    if (u16(d, x) !== 1) continue;
    let field = x + 4;
    const take = () => {
      const v = u64(d, field);
      field += 8;
      return v;
    };
    if (s.size === FULL) s.size = take();
    if (s.compressed === FULL) s.compressed = take();
    if (s.offset === FULL) s.offset = take();
    return;
  }
}
