// The one way the app talks to the server: openapi-fetch typed from the OpenAPI document
// (schema.d.ts, generated), same origin, session cookie. Writes carry the session's CSRF token;
// every failure becomes an ApiError whose message is the server's words for people.
import createClient, { type Middleware } from "openapi-fetch";
import { useRef } from "react";
import type { components, paths } from "./schema";

export type Schemas = components["schemas"];

/** What the session said: the CSRF token for writes, set by the session provider; and what to do
 *  when the server answers 401 to anything, which may mean the session ended under the page. */
const auth = { csrf: null as string | null, unauthorized: null as (() => void) | null };
export const setCsrfToken = (token: string | null) => void (auth.csrf = token);
export const onUnauthorized = (then: (() => void) | null) => void (auth.unauthorized = then);

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId?: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

const writes: Middleware = {
  onRequest({ request }) {
    if (request.method !== "GET" && request.method !== "HEAD" && auth.csrf)
      request.headers.set("x-csrf-token", auth.csrf);
    return request;
  },
};

/** A random Idempotency-Key for a write a retry must not repeat. getRandomValues, not randomUUID:
 *  a self-hosted server on a plain-http address is not a secure context, where randomUUID is absent. */
export const newIdempotencyKey = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) =>
    b.toString(16).padStart(2, "0"),
  ).join("");

/** One Idempotency-Key per version of what a write sends (`of`, compared by identity): pressing
 *  again after a lost answer repeats the request under its key, so the server answers the first
 *  one's result instead of doing it twice, while an edit brings a new key. `forget` after an answer
 *  that should not be replayed (a success the person may want to repeat, a refusal). */
export function useIdempotencyKey(of: unknown): { key: () => string; forget: () => void } {
  const held = useRef<{ of: unknown; key: string } | null>(null);
  return {
    key: () => {
      const current =
        held.current !== null && held.current.of === of
          ? held.current
          : { of, key: newIdempotencyKey() };
      held.current = current;
      return current.key;
    },
    forget: () => void (held.current = null),
  };
}

const refusals: Middleware = {
  onResponse({ response }) {
    if (response.status === 401) auth.unauthorized?.();
    return undefined;
  },
};

export const api = createClient<paths>({ baseUrl: "", credentials: "same-origin" });
api.use(writes, refusals);

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** A successful answer, or an ApiError with the server's message. */
async function answerOf<T>(pending: Promise<Answer<T>>): Promise<Answer<T>> {
  let answer: Answer<T>;
  try {
    answer = await pending;
  } catch (e) {
    if (e instanceof DOMException && e.name === "AbortError") throw e;
    throw new ApiError(
      0,
      "network",
      "Could not reach the Atelya server. Check your connection, then try again.",
    );
  }
  if (answer.response.ok) return answer;
  throw errorFrom(answer.response, answer.error);
}

/** The body of a successful answer, or an ApiError with the server's message. */
export async function call<T>(pending: Promise<Answer<T>>): Promise<T> {
  return (await answerOf(pending)).data as T;
}

/** A resource as read, with its version (the answer's ETag), which a write sends back as
 *  If-Match: a change someone saved since is then refused (412) instead of erased unseen. */
export interface Versioned<T> {
  data: T;
  etag: string | null;
}

/** Like `call`, keeping the answer's ETag. */
export async function callVersioned<T>(pending: Promise<Answer<T>>): Promise<Versioned<T>> {
  const answer = await answerOf(pending);
  return { data: answer.data as T, etag: answer.response.headers.get("etag") };
}

/** The If-Match header of a write made on the version `etag` (none if the read carried none). */
export const ifMatch = (etag: string | null): { "If-Match"?: string } =>
  etag ? { "If-Match": etag } : {};

/** A write refused because someone saved a change since the version it was made on. */
export const isStale = (e: unknown): boolean => e instanceof ApiError && e.status === 412;

export function errorFrom(response: Response, body: unknown): ApiError {
  const e = (body as { error?: Schemas["Error"]["error"] } | undefined)?.error;
  if (e?.message) return new ApiError(response.status, e.code, e.message, e.request_id, e.details);
  return new ApiError(
    response.status,
    "unexpected",
    `The server answered ${response.status} ${response.statusText || ""}without an explanation. Try again; if it keeps happening, tell your administrator.`.replace(
      "  ",
      " ",
    ),
  );
}

/** Uploads (multipart) and downloads go through fetch itself, with the same headers and errors. */
export async function rawFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.method && init.method !== "GET" && auth.csrf) headers.set("x-csrf-token", auth.csrf);
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers, credentials: "same-origin" });
  } catch {
    throw new ApiError(
      0,
      "network",
      "Could not reach the Atelya server. Check your connection, then try again.",
    );
  }
  if (response.ok) return response;
  if (response.status === 401) auth.unauthorized?.();
  const body: unknown = await response.json().catch(() => undefined);
  throw errorFrom(response, body);
}

/** A person-readable sentence for any error a query or mutation threw. */
export function describeError(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof Error) return e.message;
  return "Something went wrong. Try again.";
}
