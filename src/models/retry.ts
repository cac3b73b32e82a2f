// Retries of transient provider failures in one place: 429 and 5xx, timeouts, connection resets and
// streams cut mid-way, with exponential backoff and full jitter, honouring Retry-After.
import { APICallError } from "@ai-sdk/provider";
import { withoutUserinfo } from "../domain/model-names.js";
import { CallAbortedError, ModelError, ProviderError } from "./errors.js";

export interface RetryPolicy {
  maxRetries: number;
  baseDelayMs: number;
  /** Cap of the exponential backoff (Retry-After may ask for more, up to `maxRetryAfterMs`). */
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the call fails at once saying when to try
   *  again (a worker should not sit on a lease for an hour). Default 120 s. */
  maxRetryAfterMs?: number;
  /** Injected for tests: resolves after `ms` unless the signal aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 4, baseDelayMs: 500, maxDelayMs: 30_000 };

const RETRYABLE_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
]);

function causeCode(e: unknown): string | undefined {
  for (
    let c: unknown = e, depth = 0;
    c && depth < 5;
    c = (c as { cause?: unknown }).cause, depth++
  ) {
    const code = (c as { code?: unknown }).code;
    if (typeof code === "string") return code;
  }
  return undefined;
}

/** Milliseconds a Retry-After header asks for (seconds or an HTTP date). */
export function retryAfterMs(
  headers: Record<string, string> | undefined,
  now = Date.now(),
): number | undefined {
  const raw = headers?.["retry-after"] ?? headers?.["Retry-After"];
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Turns any failure of a provider call into a ProviderError that says whether to retry; the other
 *  model errors (no key, no local file, abort) keep their class so the engine can tell them apart.
 *  A URL's user name and password are cut out of the message: it becomes the room's failure reason,
 *  which every member reads. */
export function classify(
  e: unknown,
  signal: AbortSignal | undefined,
  timedOut: boolean,
  timeoutMs: number,
): ModelError {
  if (signal?.aborted) return new CallAbortedError();
  if (timedOut)
    return new ProviderError(
      `The provider did not answer within ${timeoutMs / 1000} s`,
      true,
      undefined,
      undefined,
      { cause: e },
    );
  if (e instanceof ModelError) return e;
  if (APICallError.isInstance(e)) {
    const status = e.statusCode;
    // A 2xx that failed here is a body we could not read (garbage JSON from a proxy): transient.
    const retryable =
      status === undefined
        ? true
        : status < 300 || status === 408 || status === 409 || status === 429 || status >= 500;
    return new ProviderError(
      `${status ? `HTTP ${status}: ` : ""}${withoutUserinfo(e.message)}`,
      retryable,
      status,
      retryAfterMs(e.responseHeaders),
      { cause: e },
    );
  }
  const code = causeCode(e);
  const message = withoutUserinfo(e instanceof Error ? e.message : String(e));
  if (
    (code && RETRYABLE_CODES.has(code)) ||
    /fetch failed|socket hang up|terminated|premature close|other side closed|network error/i.test(
      message,
    )
  )
    return new ProviderError(`Connection problem: ${message}`, true, undefined, undefined, {
      cause: e,
    });
  return new ProviderError(message, false, undefined, undefined, { cause: e });
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CallAbortedError());
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CallAbortedError());
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export const DEFAULT_MAX_RETRY_AFTER_MS = 120_000;

/** Exponential backoff with full jitter (a random delay in [0, base × 2^(attempt−1)], capped), but
 *  never less than what Retry-After asked for. */
export function backoffMs(policy: RetryPolicy, attempt: number, retryAfter?: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = Math.floor((policy.random ?? Math.random)() * ceiling);
  return Math.max(jittered, retryAfter ?? 0);
}
