// The idempotency key of a charged or crediting request: the caller's `Idempotency-Key` header
// (or a body field), so a retry after a lost response changes nothing; a fresh key otherwise.
import { randomUUID } from "node:crypto";
import type { FastifyRequest } from "fastify";
import { DomainError } from "../domain/errors.js";

const KEY = /^[\x21-\x7e]{1,200}$/;

export function idempotencyKey(request: FastifyRequest, fromBody?: string): string {
  if (fromBody) return fromBody;
  const header = request.headers["idempotency-key"];
  if (typeof header !== "string" || header.trim() === "") return randomUUID();
  if (!KEY.test(header.trim()))
    throw new DomainError(
      "invalid_input",
      "Idempotency-Key: use up to 200 printable ASCII characters without spaces (a UUID is fine).",
    );
  return header.trim();
}
