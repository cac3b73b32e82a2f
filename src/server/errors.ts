// One error shape for every failure the API returns: `{ "error": { code, message, request_id } }`,
// with the status taken from the domain error's code. Anything that is not a known error is a 500
// whose message hides the internals (they go to the log with the request id).
import { z } from "zod";
import { isDomainError, type ErrorCode } from "../domain/errors.js";
import { ModelError, ModelUnavailableError } from "../models/errors.js";
import { ConnectTimeoutError } from "../store/db.js";

export const HTTP_STATUS: Record<ErrorCode, number> = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  illegal_transition: 409,
  conflict: 409,
  budget: 409,
  insufficient_credits: 409,
  precondition_failed: 412,
  input_limit: 413,
  payload_too_large: 413,
  invalid_plan: 422,
  model_unavailable: 422,
  rate_limited: 429,
};

export const ErrorBodySchema = z
  .object({
    error: z.object({
      code: z.string().meta({ description: "Stable machine-readable code, e.g. not_found." }),
      message: z.string().meta({ description: "What went wrong and what to do next." }),
      request_id: z.string(),
      details: z.array(z.string()).optional(),
    }),
  })
  .meta({ id: "Error" });
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

export interface HttpError {
  status: number;
  code: string;
  message: string;
  details?: readonly string[];
  /** Seconds after which the same request may well succeed: sent as `Retry-After`. */
  retryAfter?: number;
  /** Set when the error is ours to fix, not the caller's: log it. */
  internal?: unknown;
}

/** How long a caller is asked to wait when the database is too busy to take the request. */
export const BUSY_RETRY_AFTER_S = 5;

/**
 * A refusal that belongs to HTTP rather than to the domain (a media type, a reused idempotency
 * key): thrown by the server layer with its status and code.
 */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Fastify's own request errors (bad JSON, wrong content type, body too large) as API errors. */
const FASTIFY_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    code: "invalid_input",
    message: "The request body is not valid JSON.",
  },
  FST_ERR_BAD_URL: {
    status: 400,
    code: "invalid_input",
    message: "The URL is not valid: a part of its path does not decode (check its %-escapes).",
  },
  FST_ERR_MAX_PARAM_LENGTH: {
    status: 414,
    code: "uri_too_long",
    message: "A part of the URL's path is too long to be an id; check the URL.",
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: "unsupported_media_type",
    message: "Send the body as application/json (or multipart/form-data for uploads).",
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    code: "payload_too_large",
    message: "The request body is over the size limit.",
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: "invalid_input",
    message: "The Content-Length header does not match the body.",
  },
  FST_INVALID_MULTIPART_CONTENT_TYPE: {
    status: 415,
    code: "unsupported_media_type",
    message: "Upload files as multipart/form-data.",
  },
  FST_REQ_FILE_TOO_LARGE: {
    status: 413,
    code: "payload_too_large",
    message: "An uploaded file is over the size limit.",
  },
  FST_FILES_LIMIT: {
    status: 413,
    code: "payload_too_large",
    message: "Too many files in one upload.",
  },
  FST_PARTS_LIMIT: {
    status: 413,
    code: "payload_too_large",
    message: "Too many parts in one upload.",
  },
};

/** The code of another framework error, by its status, where the status has one of its own. */
const CODE_OF_STATUS: Record<number, string> = {
  404: "not_found",
  413: "payload_too_large",
  414: "uri_too_long",
  415: "unsupported_media_type",
  429: "rate_limited",
};

function fastifyCode(err: unknown): string | undefined {
  if (typeof err !== "object" || err === null || !("code" in err)) return undefined;
  return typeof err.code === "string" ? err.code : undefined;
}

/** Maps anything thrown by a route to the status and body the client sees. */
export function toHttpError(err: unknown): HttpError {
  if (isDomainError(err))
    return {
      status: HTTP_STATUS[err.code],
      code: err.code,
      message: err.message,
      ...(err.details ? { details: err.details } : {}),
    };
  if (err instanceof ApiError) return { status: err.status, code: err.code, message: err.message };
  // A model that cannot serve this call (no provider key, an unknown model) is the caller's to
  // change; any other model failure is the provider's (502).
  if (err instanceof ModelUnavailableError)
    return { status: 422, code: "model_unavailable", message: err.message };
  if (err instanceof ModelError)
    return { status: 502, code: "model_error", message: err.message, internal: err };
  // No connection to PostgreSQL came free in time (every pooled one busy, or the server not
  // answering): the same request a little later may well go through. Logged, since it says the
  // database cannot keep up.
  if (err instanceof ConnectTimeoutError)
    return {
      status: 503,
      code: "unavailable",
      message: `The database is too busy to answer right now (it did not take the request within ${err.timeoutMs / 1000} s). Try again in a few seconds.`,
      retryAfter: BUSY_RETRY_AFTER_S,
      internal: err,
    };
  const known = FASTIFY_ERRORS[fastifyCode(err) ?? ""];
  if (known) return known;
  const status =
    typeof err === "object" && err !== null && "statusCode" in err ? err.statusCode : undefined;
  if (typeof status === "number" && status >= 400 && status < 500)
    return {
      status,
      code: CODE_OF_STATUS[status] ?? "invalid_input",
      message: err instanceof Error ? err.message : "The request is invalid.",
    };
  return {
    status: 500,
    code: "internal",
    message:
      "Something went wrong on the server; it has been logged. Try again, or report the request id.",
    internal: err,
  };
}

export function errorBody(e: HttpError, requestId: string): ErrorBody {
  return {
    error: {
      code: e.code,
      message: e.message,
      request_id: requestId,
      ...(e.details ? { details: [...e.details] } : {}),
    },
  };
}
