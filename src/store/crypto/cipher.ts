// Authenticated encryption of workspace content and secrets at rest (SPEC 10): AES-256-GCM under a
// per-workspace key derived by HKDF-SHA256 from the one master key. A sealed value is text, so it
// fits the TEXT columns it replaces on both dialects:
//
//   \u0001ay1:<workspace id>:<base64url(iv[12] ‖ tag[16] ‖ ciphertext)>
//
// The workspace id is in the envelope (the reader needs no context to pick the key) and is also the
// AAD, so an envelope whose workspace id was edited does not open.
import { createCipheriv, createDecipheriv, hkdfSync, randomFillSync } from "node:crypto";
import type { MasterKey } from "./master-key.js";

/** Starts every sealed value. U+0001 never occurs in text people type or paste through the API. */
export const SEALED_PREFIX = "\u0001ay1:";

const HKDF_INFO = Buffer.from("atelya workspace key v1", "utf8");
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Opened values kept by envelope (a sealed value never changes: a new write is a new envelope),
 *  so a value read again is not decrypted again. Sealing fills it too, so what a process reads
 *  back of its own writes (a plan's tasks, read right after they are inserted) is not decrypted
 *  either. In characters. */
const OPENED_CACHE_CHARS = 1_000_000;
/** Base64url characters of an envelope's binary part that key the opened values: 24 bytes. */
const CACHE_KEY_CHARS = 32;

/** A sealed value that does not open: tampered, truncated, or sealed under another key. */
export class SealedValueError extends Error {
  override name = "SealedValueError";
}

export interface Cipher {
  /** Seals `text` for the workspace; null stays null (nullable columns). */
  seal(workspaceId: string, text: string): string;
  seal(workspaceId: string, text: string | null): string | null;
  /** Opens a sealed value; text without the prefix (written before encryption) is returned as is.
   *  With `workspaceId`, a value sealed for any other workspace is refused. */
  open(value: string, workspaceId?: string): string;
}

export const isSealed = (value: string): boolean =>
  value.charCodeAt(0) === 1 && value.startsWith(SEALED_PREFIX);

/** The workspace a sealed value names, or undefined for plain text. */
export function sealedFor(value: string): string | undefined {
  if (!isSealed(value)) return undefined;
  const end = value.indexOf(":", SEALED_PREFIX.length);
  return end < 0 ? undefined : value.slice(SEALED_PREFIX.length, end);
}

export function createCipher(masterKey: MasterKey): Cipher {
  // Deriving costs a few microseconds; a process serves few workspaces, so keep them all, each with
  // its associated data (its id as bytes). Only a valid id is ever derived and kept.
  const keys = new Map<string, { key: Buffer; aad: Buffer }>();
  const keyOf = (workspaceId: string): { key: Buffer; aad: Buffer } => {
    let k = keys.get(workspaceId);
    if (!k) {
      if (!workspaceId || workspaceId.includes(":"))
        throw new Error(`Cannot seal for workspace id "${workspaceId}".`);
      const id = Buffer.from(workspaceId, "utf8");
      k = { key: Buffer.from(hkdfSync("sha256", masterKey.bytes, id, HKDF_INFO, 32)), aad: id };
      if (keys.size >= 10_000) keys.clear();
      keys.set(workspaceId, k);
    }
    return k;
  };
  // Random IVs drawn from a pool refilled 4 KB at a time: one RNG call per 341 seals, not one each.
  const ivPool = Buffer.alloc(IV_BYTES * 341);
  let ivAt = ivPool.length;
  const nextIv = (): Buffer => {
    if (ivAt === ivPool.length) {
      randomFillSync(ivPool);
      ivAt = 0;
    }
    ivAt += IV_BYTES;
    // A view, not a copy: the cipher takes the IV in at creation, and the envelope copies it.
    return ivPool.subarray(ivAt - IV_BYTES, ivAt);
  };
  // Opened values by the start of their envelope's binary part: its IV and most of its tag, 192
  // random bits, so no two envelopes share it in practice. Keyed by the whole envelope, every
  // lookup hashed a string of kilobytes, character by character, and cost more than a lookup
  // should. The entry keeps the envelope, and a hit must equal it whole, so only the very
  // envelope that was sealed or opened before is ever answered from here; any other (an altered
  // ciphertext behind the same IV and tag, say) is decrypted and authenticated like any value.
  const opened = new Map<string, { value: string; text: string }>();
  let openedChars = 0;
  const cacheKey = (value: string, workspaceId: string): string => {
    const at = SEALED_PREFIX.length + workspaceId.length + 1;
    return value.slice(at, at + CACHE_KEY_CHARS);
  };

  function seal(workspaceId: string, text: string): string;
  function seal(workspaceId: string, text: string | null): string | null;
  function seal(workspaceId: string, text: string | null): string | null {
    if (text === null) return null;
    const { key, aad } = keyOf(workspaceId);
    const iv = nextIv();
    const c = createCipheriv("aes-256-gcm", key, iv);
    c.setAAD(aad);
    const body = c.update(text, "utf8");
    c.final(); // empty: GCM is a stream mode
    const envelope = Buffer.allocUnsafe(IV_BYTES + TAG_BYTES + body.length);
    envelope.set(iv, 0);
    envelope.set(c.getAuthTag(), IV_BYTES);
    envelope.set(body, IV_BYTES + TAG_BYTES);
    const sealed = `${SEALED_PREFIX}${workspaceId}:${envelope.toString("base64url")}`;
    remember(sealed, workspaceId, text);
    return sealed;
  }

  function remember(value: string, workspaceId: string, text: string): void {
    if (openedChars + value.length + text.length > OPENED_CACHE_CHARS) {
      opened.clear();
      openedChars = 0;
    }
    opened.set(cacheKey(value, workspaceId), { value, text });
    openedChars += value.length + text.length;
  }

  function open(value: string, expected?: string): string {
    if (!isSealed(value)) return value;
    const workspaceId = sealedFor(value);
    if (!workspaceId) throw new SealedValueError("A sealed value has no workspace id.");
    if (expected !== undefined && workspaceId !== expected)
      throw new SealedValueError(
        `A value of workspace ${expected} is sealed for workspace ${workspaceId}; it was copied from another workspace.`,
      );
    const hit = opened.get(cacheKey(value, workspaceId));
    if (hit !== undefined && hit.value === value) return hit.text;
    const text = decrypt(value, workspaceId);
    remember(value, workspaceId, text);
    return text;
  }

  function decrypt(value: string, workspaceId: string): string {
    const packed = Buffer.from(
      value.slice(SEALED_PREFIX.length + workspaceId.length + 1),
      "base64url",
    );
    if (packed.length < IV_BYTES + TAG_BYTES)
      throw new SealedValueError(`A sealed value of workspace ${workspaceId} is truncated.`);
    try {
      const { key, aad } = keyOf(workspaceId);
      const d = createDecipheriv("aes-256-gcm", key, packed.subarray(0, IV_BYTES));
      d.setAAD(aad);
      d.setAuthTag(packed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([d.update(packed.subarray(IV_BYTES + TAG_BYTES)), d.final()]).toString(
        "utf8",
      );
    } catch {
      throw new SealedValueError(
        `A sealed value of workspace ${workspaceId} does not open: it was altered, or the master key is not the one it was sealed with (check ATELYA_MASTER_KEY / the key file).`,
      );
    }
  }

  return { seal, open };
}
