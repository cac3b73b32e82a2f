// Errors of model calls. Adapters throw these; the engine decides from `retryable` and the class.

/** Base of every model failure. */
export class ModelError extends Error {
  override name = "ModelError";
  constructor(
    message: string,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The provider refused or failed (HTTP status, reset, timeout, cut stream). */
export class ProviderError extends ModelError {
  override name = "ProviderError";
  constructor(
    message: string,
    retryable: boolean,
    readonly status?: number,
    /** Milliseconds the provider asked us to wait (Retry-After). */
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, retryable, options);
  }
}

/** The provider asked to wait longer than the gateway waits (a 429's or 503's Retry-After): the
 *  call is given up, not failed for good; the engine pauses the room until then. */
export class RateLimitedError extends ProviderError {
  override name = "RateLimitedError";
  constructor(
    message: string,
    readonly model: string,
    status: number | undefined,
    /** Milliseconds the provider asked us to wait. */
    readonly waitMs: number,
    options?: { cause?: unknown },
  ) {
    super(message, false, status, waitMs, options);
  }
}

/** The model's output did not match the schema after the allowed re-asks. */
export class InvalidOutputError extends ModelError {
  override name = "InvalidOutputError";
  constructor(
    message: string,
    readonly issues: readonly string[],
  ) {
    super(message, false);
  }
}

/** The model's answer stopped at the output limit even after it was asked again with a larger one:
 *  an answer cut off mid-way is never used. */
export class OutputCutOffError extends ModelError {
  override name = "OutputCutOffError";
  constructor(
    message: string,
    /** The output limit (tokens) of the last answer. */
    readonly limit: number,
  ) {
    super(message, false);
  }
}

/** The call was aborted (pause/replan/cancel, lost lease, shutdown). Never retried. */
export class CallAbortedError extends ModelError {
  override name = "CallAbortedError";
  constructor(reason = "the call was aborted") {
    super(reason, false);
  }
}

/** The model cannot be used for this room or workspace (unknown provider, missing key or file,
 *  or not local under local_models_only). */
export class ModelUnavailableError extends ModelError {
  override name = "ModelUnavailableError";
  constructor(message: string) {
    super(message, false);
  }
}

export const isAbort = (e: unknown): boolean =>
  e instanceof CallAbortedError || (e instanceof Error && e.name === "AbortError");
