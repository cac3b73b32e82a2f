// The master key every workspace key is derived from: given in the environment (base64 or hex of
// 32 bytes), read from a key file, or — embedded mode, first run — generated into the data folder.
// Losing it loses every sealed value; there is no way around that, so it is said loudly in docs.
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { inspect } from "node:util";

export const MASTER_KEY_BYTES = 32;
export const MASTER_KEY_FILE_NAME = "master.key";

/** 32 secret bytes and where they came from; never printed, logged or serialised. */
export class MasterKey {
  constructor(
    readonly bytes: Buffer,
    /** "ATELYA_MASTER_KEY", or the key file's path. */
    readonly source: string,
    /** Made by this process, into the key file `source`, because there was none. */
    readonly created = false,
  ) {
    if (bytes.length !== MASTER_KEY_BYTES)
      throw new Error(`A master key is ${MASTER_KEY_BYTES} bytes, not ${bytes.length}.`);
  }
  toJSON(): string {
    return `[master key from ${this.source}]`;
  }
  toString(): string {
    return this.toJSON();
  }
  [inspect.custom](): string {
    return this.toJSON();
  }
}

/** A fresh random key, for tests and benchmarks that need no persistence. */
export const randomMasterKey = (): MasterKey =>
  new MasterKey(randomBytes(MASTER_KEY_BYTES), "random");

/** Base64 (standard or url-safe, padded or not) or hex of exactly 32 bytes. */
export function parseMasterKey(text: string, source: string): MasterKey {
  const t = text.trim();
  const bytes = /^[0-9a-fA-F]{64}$/.test(t)
    ? Buffer.from(t, "hex")
    : /^[A-Za-z0-9+/_-]{43}={0,1}$/.test(t)
      ? Buffer.from(t.replace(/-/g, "+").replace(/_/g, "/"), "base64")
      : undefined;
  if (!bytes || bytes.length !== MASTER_KEY_BYTES)
    throw new Error(
      `The master key in ${source} is not 32 bytes written as base64 or hex (it has ${t.length} characters). ` +
        "Make one with `openssl rand -base64 32`, or unset it to use the key file (see docs/security.md).",
    );
  return new MasterKey(bytes, source);
}

export interface MasterKeySource {
  /** ATELYA_MASTER_KEY */
  key?: string | undefined;
  /** ATELYA_MASTER_KEY_FILE: must exist. */
  keyFile?: string | undefined;
  /** Where `master.key` is kept (and created on first run) when neither is given. */
  dataDir: string;
  /** Several processes on one PostgreSQL database must all hold the same key. */
  sharedDatabase: boolean;
  warn: (message: string) => void;
}

/** The master key of this process, from the first of: ATELYA_MASTER_KEY, ATELYA_MASTER_KEY_FILE,
 *  `<data dir>/master.key` (created with mode 0600 when missing). */
export function loadMasterKey(s: MasterKeySource): MasterKey {
  if (s.key !== undefined && s.keyFile !== undefined)
    throw new Error(
      "Both ATELYA_MASTER_KEY and ATELYA_MASTER_KEY_FILE are set; keep one (see docs/security.md).",
    );
  if (s.key !== undefined) return parseMasterKey(s.key, "ATELYA_MASTER_KEY");
  if (s.keyFile !== undefined) return readKeyFile(s.keyFile, "ATELYA_MASTER_KEY_FILE");
  const file = join(s.dataDir, MASTER_KEY_FILE_NAME);
  const key = readOrCreate(file);
  if (process.platform !== "win32" && (statSync(file).mode & 0o077) !== 0)
    s.warn(`The master key file ${file} can be read by other users; run: chmod 600 ${file}`);
  if (s.sharedDatabase)
    s.warn(
      `No ATELYA_MASTER_KEY is set, so the key file ${file} is used. Every server replica and worker of this PostgreSQL database must use the same key: copy it to each, or set ATELYA_MASTER_KEY / ATELYA_MASTER_KEY_FILE everywhere. Back it up: without it the stored content cannot be read.`,
    );
  return key;
}

/** The key in `file` (base64 or hex), with a message naming the file if it cannot be read. */
export function readKeyFile(file: string, source = file): MasterKey {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new Error(`Cannot read the master key file ${file} (${source}): ${messageOf(e)}.`);
  }
  return parseMasterKey(text, file);
}

function readOrCreate(file: string): MasterKey {
  try {
    return readKeyFile(file, "the data folder");
  } catch (e) {
    if (!isMissing(file)) throw e;
  }
  try {
    return createKeyFile(file);
  } catch (e) {
    // If another process created it a moment ago, keep theirs rather than overwrite it.
    if (e instanceof KeyFileExistsError) return readKeyFile(file, "the data folder");
    throw e;
  }
}

class KeyFileExistsError extends Error {
  override name = "KeyFileExistsError";
}

/** Writes a fresh random key to `file` (mode 0600); never overwrites a file that exists. */
export function createKeyFile(file: string): MasterKey {
  mkdirSync(join(file, ".."), { recursive: true });
  const key = randomMasterKey();
  try {
    writeFileSync(file, `${key.bytes.toString("base64")}\n`, { mode: 0o600, flag: "wx" });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST")
      throw new KeyFileExistsError(`The key file ${file} exists already.`);
    throw new Error(`Cannot create the master key file ${file}: ${messageOf(e)}.`);
  }
  return new MasterKey(key.bytes, file, true);
}

function isMissing(file: string): boolean {
  try {
    statSync(file);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "ENOENT";
  }
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));
