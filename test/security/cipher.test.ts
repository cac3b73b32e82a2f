// The envelope: AES-256-GCM under per-workspace keys derived from the master key, with the
// workspace id as AAD; plain text written before encryption reads back unchanged.
import { describe, expect, it } from "vitest";
import {
  createCipher,
  isSealed,
  sealedFor,
  SealedValueError,
  SEALED_PREFIX,
} from "../../src/store/crypto/cipher.js";
import { randomMasterKey } from "../../src/store/crypto/master-key.js";
import { TEST_MASTER_KEY } from "../support/keys.js";

const cipher = createCipher(TEST_MASTER_KEY);
const TEXT = "Aurora Coffee's loyalty budget is €40k — pilot in three stores by mid-November. 🚀";

/** The envelope with one byte of its binary part flipped. */
function flipped(sealed: string, at: number): string {
  const head = sealed.slice(0, sealed.lastIndexOf(":") + 1);
  const bytes = Buffer.from(sealed.slice(head.length), "base64url");
  bytes[at] = bytes[at]! ^ 0x01;
  return head + bytes.toString("base64url");
}

describe("sealing", () => {
  it("opens what it sealed, for any text, and keeps null as null", () => {
    for (const text of [TEXT, "", "x".repeat(100_000), '{"a":[1,2]}'])
      expect(cipher.open(cipher.seal("ws_a", text))).toBe(text);
    expect(cipher.seal("ws_a", null)).toBeNull();
  });

  it("writes a versioned envelope naming the workspace, never the text", () => {
    const sealed = cipher.seal("ws_a", TEXT);
    expect(sealed.startsWith(`${SEALED_PREFIX}ws_a:`)).toBe(true);
    expect(isSealed(sealed)).toBe(true);
    expect(sealedFor(sealed)).toBe("ws_a");
    expect(sealed).not.toContain("Aurora");
  });

  it("uses a fresh IV every time", () => {
    expect(cipher.seal("ws_a", TEXT)).not.toBe(cipher.seal("ws_a", TEXT));
  });

  it("returns text without the prefix unchanged (rows written before encryption)", () => {
    expect(cipher.open(TEXT)).toBe(TEXT);
    expect(cipher.open("")).toBe("");
  });
});

describe("refusals", () => {
  it("does not open a value whose workspace was edited to another one (AAD and key)", () => {
    const sealed = cipher.seal("ws_a", TEXT);
    const moved = sealed.replace(`${SEALED_PREFIX}ws_a:`, `${SEALED_PREFIX}ws_b:`);
    expect(() => cipher.open(moved)).toThrow(SealedValueError);
  });

  it("refuses a value copied into another workspace's row", () => {
    const sealed = cipher.seal("ws_a", TEXT);
    expect(cipher.open(sealed, "ws_a")).toBe(TEXT);
    expect(() => cipher.open(sealed, "ws_b")).toThrow(/copied from another workspace/);
  });

  it("refuses a tampered IV, tag or ciphertext, and a truncated value", () => {
    const sealed = cipher.seal("ws_a", TEXT);
    for (const at of [0, 11, 12, 27, 28, 40])
      expect(() => cipher.open(flipped(sealed, at))).toThrow(SealedValueError);
    expect(() => cipher.open(sealed.slice(0, sealed.length - 30))).toThrow(SealedValueError);
    expect(() => cipher.open(`${SEALED_PREFIX}ws_a:AAAA`)).toThrow(/truncated/);
  });

  it("authenticates an altered value even right after opening the original", () => {
    // Opened values are remembered by their IV and tag; a value that keeps those and alters the
    // ciphertext behind them must still be refused, and the original still open.
    const sealed = cipher.seal("ws_a", TEXT);
    expect(cipher.open(sealed)).toBe(TEXT);
    const altered = flipped(sealed, 30);
    expect(altered.slice(0, 50)).toBe(sealed.slice(0, 50));
    expect(() => cipher.open(altered)).toThrow(SealedValueError);
    expect(cipher.open(sealed)).toBe(TEXT);
  });

  it("does not open under another master key", () => {
    const sealed = cipher.seal("ws_a", TEXT);
    expect(() => createCipher(randomMasterKey()).open(sealed)).toThrow(/master key/);
  });
});
