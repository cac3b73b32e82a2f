// A sanity check of a GGUF file's header before llama.cpp loads it: llama.cpp trusts the counts and
// lengths it reads, so a damaged file (a valid magic and version, then garbage) made it allocate
// without limit instead of failing. Every count and length is checked against what is left of the
// file before anything is read or allocated; the tensor data itself is not read.
import { open, type FileHandle } from "node:fs/promises";

/** The header of a file is implausible; the message says what is wrong with it. */
export class DamagedGgufError extends Error {
  override name = "DamagedGgufError";
}

/** Bytes of each fixed-size metadata value type (GGUF value types 0–7 and 10–12). */
const FIXED_SIZE: Record<number, number> = {
  0: 1, // uint8
  1: 1, // int8
  2: 2, // uint16
  3: 2, // int16
  4: 4, // uint32
  5: 4, // int32
  6: 4, // float32
  7: 1, // bool
  10: 8, // uint64
  11: 8, // int64
  12: 8, // float64
};
const STRING = 8;
const ARRAY = 9;
/** llama.cpp's GGML_MAX_DIMS. */
const MAX_DIMS = 4;
/** Nested arrays deeper than this are not a model's metadata. */
const MAX_DEPTH = 4;
const WINDOW = 1 << 20;

/** Reads a file forward through a 1 MB window, refusing to read past its end. */
class Reader {
  private window = Buffer.alloc(0);
  private windowAt = 0;
  pos = 0;

  constructor(
    private readonly file: FileHandle,
    readonly size: number,
  ) {}

  get left(): number {
    return this.size - this.pos;
  }

  /** The next `n` bytes; `what` names them in the error when the file ends first. */
  async take(n: number, what: string): Promise<Buffer> {
    if (n > this.left) throw new DamagedGgufError(`it ends before ${what}`);
    const end = this.pos + n;
    if (this.pos < this.windowAt || end > this.windowAt + this.window.length) {
      const length = Math.min(Math.max(n, WINDOW), this.left);
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await this.file.read(buffer, 0, length, this.pos);
      if (bytesRead < n) throw new DamagedGgufError(`it ends before ${what}`);
      this.window = buffer.subarray(0, bytesRead);
      this.windowAt = this.pos;
    }
    const bytes = this.window.subarray(this.pos - this.windowAt, end - this.windowAt);
    this.pos = end;
    return bytes;
  }

  /** Skips a string whose length is already in the window, without waiting (a vocabulary holds
   *  some 150,000); false when the length must be read from the file first. */
  skipStringInWindow(what: string): boolean {
    const at = this.pos - this.windowAt;
    if (at < 0 || at + 8 > this.window.length) return false;
    const n = this.window.readBigUInt64LE(at);
    if (n > BigInt(this.left - 8)) throw new DamagedGgufError(`it ends before ${what}`);
    this.pos += 8 + Number(n);
    return true;
  }

  /** Moves past `n` bytes without reading them. */
  skip(n: number, what: string): void {
    if (n > this.left) throw new DamagedGgufError(`it ends before ${what}`);
    this.pos += n;
  }

  async u32(what: string): Promise<number> {
    return (await this.take(4, what)).readUInt32LE(0);
  }

  /** A uint64 count or length, at most `max` (what is left of the file allows no more). */
  async count(what: string, max: number): Promise<number> {
    const n = (await this.take(8, what)).readBigUInt64LE(0);
    if (n > BigInt(max)) throw new DamagedGgufError(`${what} (${n}) does not fit in the file`);
    return Number(n);
  }

  /** A key or a tensor name: short, so a damaged length cannot make it allocate much. */
  async name(what: string): Promise<string> {
    const n = await this.count(`the length of ${what}`, Math.min(this.left, 65_536));
    return (await this.take(n, what)).toString("utf8");
  }
}

/** Skips one metadata value of `type`, checking every length inside it against the file. */
async function skipValue(r: Reader, type: number, what: string, depth = 0): Promise<void> {
  const fixed = FIXED_SIZE[type];
  if (fixed !== undefined) return r.skip(fixed, what);
  if (type === STRING) return r.skip(await r.count(`the length of ${what}`, r.left), what);
  if (type !== ARRAY || depth >= MAX_DEPTH)
    throw new DamagedGgufError(`${what} has an unknown value type (${type})`);
  const itemType = await r.u32(`the item type of ${what}`);
  const itemSize = FIXED_SIZE[itemType];
  if (itemSize !== undefined) {
    const n = await r.count(`the length of ${what}`, Math.floor(r.left / itemSize));
    return r.skip(n * itemSize, what);
  }
  // Strings take at least their 8-byte length, arrays at least their type and length.
  const n = await r.count(`the length of ${what}`, Math.floor(r.left / 8));
  for (let i = 0; i < n; i++)
    if (itemType !== STRING || !r.skipStringInWindow(what))
      await skipValue(r, itemType, what, depth + 1);
}

/** The file's `general.alignment`, read as its uint32 value (32 when absent). */
async function readMetadata(r: Reader, kvCount: number): Promise<number> {
  let alignment = 32;
  for (let i = 0; i < kvCount; i++) {
    const key = await r.name(`metadata key ${i + 1}`);
    const type = await r.u32(`the type of ${key}`);
    if (key === "general.alignment" && type === 4) {
      alignment = (await r.take(4, key)).readUInt32LE(0);
      if (alignment === 0 || (alignment & (alignment - 1)) !== 0)
        throw new DamagedGgufError(`its alignment (${alignment}) is not a power of two`);
    } else await skipValue(r, type, `the value of ${key}`);
  }
  return alignment;
}

/**
 * Checks that `path` looks like a whole GGUF model: the magic, version 2 or 3, tensor and metadata
 * counts the file can hold, every metadata key and value inside the file, and every tensor's
 * dimensions and data offset plausible. Throws DamagedGgufError saying what is wrong.
 */
export async function checkGgufFile(path: string): Promise<void> {
  const file = await open(path, "r");
  try {
    const r = new Reader(file, (await file.stat()).size);
    const magic = await r.take(4, "its magic number");
    if (magic.toString("latin1") !== "GGUF")
      throw new DamagedGgufError("it does not start with the GGUF magic number");
    const version = await r.u32("its version");
    if (version !== 2 && version !== 3)
      throw new DamagedGgufError(`its GGUF version is ${version}, not 2 or 3`);
    // A tensor's description takes at least 33 bytes, a metadata entry at least 14.
    const tensors = await r.count("its tensor count", Math.floor(r.left / 33));
    const kvCount = await r.count("its metadata count", Math.floor(r.left / 14));
    const alignment = await readMetadata(r, kvCount);
    const offsets: number[] = [];
    for (let i = 0; i < tensors; i++) {
      const name = await r.name(`the name of tensor ${i + 1}`);
      const dims = await r.u32(`the dimensions of ${name}`);
      if (dims < 1 || dims > MAX_DIMS)
        throw new DamagedGgufError(`tensor ${name} has ${dims} dimensions`);
      for (let d = 0; d < dims; d++)
        await r.count(`dimension ${d + 1} of ${name}`, Number.MAX_SAFE_INTEGER);
      await r.u32(`the type of ${name}`);
      offsets.push(await r.count(`the data offset of ${name}`, Number.MAX_SAFE_INTEGER));
    }
    const dataAt = Math.ceil(r.pos / alignment) * alignment;
    const beyond = offsets.find((o) => dataAt + o > r.size);
    if (beyond !== undefined || (tensors > 0 && dataAt >= r.size))
      throw new DamagedGgufError("its tensor data ends early (is the file cut short?)");
  } finally {
    await file.close();
  }
}
