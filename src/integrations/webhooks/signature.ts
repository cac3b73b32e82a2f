// Signing of webhook bodies (HMAC-SHA256 over "<timestamp>.<raw body>") and the check a receiver
// runs. `verifySignature` is deterministic (the time is passed in) and has no Atelya dependencies
// beyond the header format, so receivers written in TypeScript can import it or copy it.
import { createHmac, timingSafeEqual } from "node:crypto";
import {
  DELIVERY_HEADER,
  EVENT_HEADER,
  SIGNATURE_HEADER,
  SIGNATURE_TOLERANCE_SECONDS,
  TIMESTAMP_HEADER,
  signedContent,
} from "../../domain/webhooks.js";

/** `sha256=<hex>` of the signed content. */
export function signBody(secret: string, timestamp: number, body: string | Buffer): string {
  const mac = createHmac("sha256", secret);
  // Equal to signing signedContent(timestamp, body), without copying a large body.
  mac.update(signedContent(timestamp, ""), "utf8").update(body);
  return `sha256=${mac.digest("hex")}`;
}

/** The headers of one attempt: signed at send time, so the timestamp is fresh on every retry. */
export function deliveryHeaders(
  secret: string,
  d: { deliveryId: string; eventType: string; body: string; contentType: string; now: Date },
): Record<string, string> {
  const timestamp = Math.floor(d.now.getTime() / 1000);
  return {
    "Content-Type": d.contentType,
    "User-Agent": "Atelya-Webhooks/1",
    [SIGNATURE_HEADER]: signBody(secret, timestamp, d.body),
    [TIMESTAMP_HEADER]: String(timestamp),
    [EVENT_HEADER]: d.eventType,
    [DELIVERY_HEADER]: d.deliveryId,
  };
}

/**
 * True when `signature` (the X-Atelya-Signature header) is the HMAC of `timestamp` and the raw
 * `body` under `secret`, and the timestamp is within `toleranceSeconds` of `now`. Pass the body
 * exactly as received (the bytes, not a re-serialised parse).
 */
export function verifySignature(
  secret: string,
  timestamp: string | number,
  body: string | Buffer,
  signature: string,
  now: Date,
  toleranceSeconds: number = SIGNATURE_TOLERANCE_SECONDS,
): boolean {
  const ts = typeof timestamp === "number" ? timestamp : Number(timestamp);
  if (!Number.isInteger(ts)) return false;
  if (Math.abs(now.getTime() / 1000 - ts) > toleranceSeconds) return false;
  const expected = Buffer.from(signBody(secret, ts, body));
  const given = Buffer.from(signature.trim());
  return expected.length === given.length && timingSafeEqual(expected, given);
}
