// New ids: a kind prefix and 16 random bytes (base32, lower case), sortable by nothing on purpose.
import { randomBytes } from "node:crypto";
import { ID_PREFIX, type IdKind } from "../domain/ids.js";

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

export function newId<T extends string = string>(kind: IdKind): T {
  const bytes = randomBytes(16);
  let out = "";
  for (let i = 0; i < 16; i++) out += ALPHABET[bytes[i]! & 31];
  return `${ID_PREFIX[kind]}_${out}` as T;
}
