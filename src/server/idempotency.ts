// The idempotency key of a charged or crediting request: the caller's `Idempotency-Key` header
// (or a body field), so a retry after a lost response changes nothing; a fresh key otherwise.
import { randomUUID } from "node:crypto";
import type { FastifyRequest } from "fastify";
import { DomainError } from "../domain/errors.js";

const KEY = /^[\x21-\x7e]{1,200}$/;

/** The header's key, or the body field's; both at once must agree (which one would win is a
 *  guess a retry must not depend on). Undefined when the caller sent none. */
export function givenIdempotencyKey(
  request: FastifyRequest,
  fromBody?: string,
): string | undefined {
  const header = request.headers["idempotency-key"];
  const given = typeof header === "string" && header.trim() !== "" ? header.trim() : undefined;
  if (given !== undefined && !KEY.test(given))
    throw new DomainError(
      "invalid_input",
      "Idempotency-Key: use up to 200 printable ASCII characters without spaces (a UUID is fine).",
    );
  if (given !== undefined && fromBody && given !== fromBody)
    throw new DomainError(
      "invalid_input",
      `The Idempotency-Key header (${given}) and the idempotency_key field (${fromBody}) differ: send one key, in either place.`,
    );
  return fromBody || given;
}

/** The caller's key (`givenIdempotencyKey`), or a fresh one. */
export const idempotencyKey = (request: FastifyRequest, fromBody?: string): string =>
  givenIdempotencyKey(request, fromBody) ?? randomUUID();
