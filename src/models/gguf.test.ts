// The GGUF header check on the real fixture and on damaged copies of it: each is refused at once,
// saying what is wrong, and the whole model passes.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkGgufFile, DamagedGgufError } from "./gguf.js";

const GGUF = fileURLToPath(new URL("../../test/fixtures/tiny-random-llama.gguf", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "atelya-gguf-"));
const fileOf = (name: string, bytes: Buffer): string => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};
const model = readFileSync(GGUF);
/** The fixture with its bytes from `at` on replaced by `bytes`. */
const patched = (at: number, bytes: Buffer) => {
  const copy = Buffer.from(model);
  bytes.copy(copy, at);
  return copy;
};
const u64 = (n: bigint) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(n);
  return b;
};

describe("the GGUF header check", () => {
  it("passes a whole model", async () => {
    await expect(checkGgufFile(GGUF)).resolves.toBeUndefined();
  });

  it.each<[string, Buffer, RegExp]>([
    [
      "the magic and a version, then garbage",
      Buffer.from("GGUF\x03\x00\x00\x00garbage", "latin1"),
      /ends before its tensor count/,
    ],
    ["another magic number", Buffer.from("GGML\x03\x00\x00\x00", "latin1"), /GGUF magic/],
    ["version 7", patched(4, Buffer.from([7, 0, 0, 0])), /version is 7, not 2 or 3/],
    ["a tensor count past the file", patched(8, u64(1n << 40n)), /tensor count .* does not fit/],
    ["a metadata count past the file", patched(16, u64(1n << 62n)), /metadata count/],
    ["a first key's length past the file", patched(24, u64(1n << 50n)), /metadata key 1/],
    ["half the model", model.subarray(0, model.length / 2), /ends|cut short/],
  ])("refuses %s, saying what is wrong", async (_, bytes, problem) => {
    const failure = await checkGgufFile(fileOf("damaged.gguf", bytes)).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DamagedGgufError);
    expect((failure as Error).message).toMatch(problem);
  });

  it("refuses random bytes after a whole header's counts without reading past the file", async () => {
    for (let seed = 1; seed <= 20; seed++) {
      const bytes = Buffer.from(model.subarray(0, 24));
      const garbage = Buffer.alloc(4_096);
      for (let i = 0; i < garbage.length; i++) garbage[i] = (seed * 7919 + i * 104_729) % 251;
      const path = fileOf(`random-${seed}.gguf`, Buffer.concat([bytes, garbage]));
      await expect(checkGgufFile(path)).rejects.toBeInstanceOf(DamagedGgufError);
    }
  });
});
