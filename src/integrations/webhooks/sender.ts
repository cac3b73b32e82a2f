// The HTTP side of a delivery: one POST with node's fetch under a timeout that covers the whole
// exchange (connect, headers and the part of the body we keep). Redirects are not followed: a
// receiver that moved must be re-configured, and a 3xx counts as a failed attempt.
import { RESPONSE_EXCERPT_CHARS } from "../../domain/webhooks.js";

export interface SendRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

export interface SendResult {
  /** 2xx */
  ok: boolean;
  /** null when no response arrived (timeout, refused connection, DNS). */
  statusCode: number | null;
  /** The start of the response body (at most RESPONSE_EXCERPT_CHARS characters). */
  response: string | null;
  error: string | null;
}

export type HttpSender = (request: SendRequest) => Promise<SendResult>;

/** Bytes of the response read at most: enough for the excerpt in any UTF-8 text. */
const MAX_READ_BYTES = RESPONSE_EXCERPT_CHARS * 4;

export const fetchSender: HttpSender = async ({ url, headers, body, timeoutMs }) => {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const res = await fetch(url, {
      method: "POST",
      headers,
      body,
      redirect: "manual",
      signal: controller.signal,
    });
    const text = await readStart(res);
    const ok = res.status >= 200 && res.status < 300;
    return {
      ok,
      statusCode: res.status,
      response: text.slice(0, RESPONSE_EXCERPT_CHARS),
      error: ok ? null : `The receiver answered ${res.status}`,
    };
  } catch (e) {
    const error = controller.signal.aborted
      ? `No answer within ${timeoutMs / 1000} s (timeout)`
      : describeNetworkError(e);
    return { ok: false, statusCode: null, response: null, error };
  } finally {
    clearTimeout(timer);
  }
};

async function readStart(res: Response): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < MAX_READ_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return Buffer.concat(chunks).toString("utf8");
}

function describeNetworkError(e: unknown): string {
  const cause =
    e instanceof Error ? (e.cause as { code?: string; message?: string } | undefined) : undefined;
  const detail = cause?.code ?? cause?.message ?? (e instanceof Error ? e.message : String(e));
  return `Could not reach the receiver (${detail})`;
}
