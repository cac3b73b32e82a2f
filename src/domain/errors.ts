// Errors as values at the domain edge: a stable code (mapped to an HTTP status by the server, to
// one line by the CLI) and a message that says what to do next.

export const ERROR_CODES = [
  "invalid_input", // the request is malformed or breaks a rule of the shape (400)
  "unauthorized", // no valid session or API key (401)
  "input_limit", // a size or count limit was exceeded (413)
  "not_found", // unknown id, or an id of another workspace (404)
  "forbidden", // the caller's role does not allow this (403)
  "illegal_transition", // the command is not allowed in the room's current state (409)
  "conflict", // the request collides with concurrent work or a unique value (409)
  "precondition_failed", // the resource changed since the version the change is based on (412)
  "invalid_plan", // the plan does not validate (422)
  "budget", // the room's credit cap would be crossed (402-like; 409 in the API)
  "insufficient_credits", // the workspace balance would be crossed
  "model_unavailable", // no usable model for the call
  "rate_limited", // too many attempts; try again later (429)
  "payload_too_large", // a request body or upload over its size limit (413)
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class DomainError extends Error {
  override readonly name = "DomainError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: readonly string[],
  ) {
    super(message);
  }
}

export function isDomainError(err: unknown): err is DomainError {
  return err instanceof DomainError;
}

/** A result at the domain edge: success with a value, or a DomainError. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: DomainError };
export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const err = <T = never>(
  code: ErrorCode,
  message: string,
  details?: readonly string[],
): Result<T> => ({
  ok: false,
  error: new DomainError(code, message, details),
});

/** Throws the error of a failed Result; for callers that treat failure as exceptional. */
export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw result.error;
  return result.value;
}

export function assertNever(value: never, what = "value"): never {
  throw new Error(`Unhandled ${what}: ${JSON.stringify(value)}`);
}
