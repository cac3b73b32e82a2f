// New ids: a kind prefix and 16 random bytes (base32, lower case), sortable by nothing on purpose.
import { randomFillSync } from "node:crypto";
import { ID_PREFIX, type IdKind } from "../domain/ids.js";

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
const ID_BYTES = 16;

// Random bytes drawn from a pool refilled 4 KB at a time: one RNG call per 256 ids, not one each
// (the engine makes several ids per step). Every byte is used once.
const pool = Buffer.alloc(ID_BYTES * 256);
let at = pool.length;

export function newId<T extends string = string>(kind: IdKind): T {
  if (at === pool.length) {
    randomFillSync(pool);
    at = 0;
  }
  let out = "";
  for (let i = at; i < at + ID_BYTES; i++) out += ALPHABET[pool[i]! & 31];
  at += ID_BYTES;
  return `${ID_PREFIX[kind]}_${out}` as T;
}
