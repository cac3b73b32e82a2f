// Passwords and bearer tokens, with node:crypto only. Passwords: scrypt (memory-hard) in a
// self-describing string `scrypt$N$r$p$salt$hash`, so the cost can rise later without breaking old
// hashes. Tokens (sessions, invites, API keys) are random; only their SHA-256 is ever stored —
// they carry 256 bits of entropy, so a fast hash is enough and lookups stay one indexed query.
import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";

const PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, o: ScryptOptions): Promise<Buffer> {
  // scrypt needs 128·N·r bytes; maxmem leaves room above that (the default 32 MiB is just short).
  const maxmem = 256 * (o.N ?? PARAMS.N) * (o.r ?? PARAMS.r);
  return new Promise((resolve, reject) =>
    scrypt(password.normalize("NFC"), salt, KEY_LENGTH, { ...o, maxmem }, (e, key) =>
      e ? reject(e) : resolve(key),
    ),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, PARAMS);
  const { N, r, p } = PARAMS;
  return `scrypt$${N}$${r}$${p}$${salt.toString("base64url")}$${key.toString("base64url")}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64url");
  const key = await derive(password, Buffer.from(salt, "base64url"), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

let dummy: Promise<string> | undefined;
/** A hash to verify against when the e-mail is unknown, so that case costs the same time. */
export const dummyPasswordHash = (): Promise<string> =>
  (dummy ??= hashPassword(randomBytes(16).toString("hex")));

/** 32 random bytes, base64url (43 characters). */
export const newToken = (): string => randomBytes(32).toString("base64url");

export const tokenHash = (token: string): string =>
  createHash("sha256").update(token).digest("base64url");

/** Compares two strings in constant time (for the CSRF token). */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
