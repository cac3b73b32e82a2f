// Optimistic concurrency over HTTP: a version (app/versions.ts) goes out as a strong ETag, and comes
// back in If-Match on a write, which the use case checks under its lock (412 when it has moved on).
import { ApiError } from "./errors.js";

/** What the description of a write with `etag` says about concurrent edits. */
export const IF_MATCH =
  "Send the ETag of the GET your edit started from as `If-Match`: when someone saved a change since, the answer is 412 `precondition_failed` and nothing changes (without `If-Match`, or with `*`, the write applies to whatever is current). The answer carries the new ETag.";

/** A version as an ETag header value. */
export const entityTag = (version: string): string => `"${version}"`;

/**
 * The versions an If-Match header accepts; undefined without the header or with `*` (the write
 * goes through as without it). A weak tag (`W/"…"`) never matches: the comparison is strong.
 */
export function parseIfMatch(header: string | string[] | undefined): string[] | undefined {
  if (header === undefined) return undefined;
  const items = (Array.isArray(header) ? header.join(",") : header)
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 1 && items[0] === "*") return undefined;
  if (items.length === 0)
    throw new ApiError(
      400,
      "invalid_input",
      "If-Match is empty: send an ETag a GET answered, or *.",
    );
  const strong: string[] = [];
  for (const item of items) {
    const tag = /^(W\/)?"([\x21\x23-\x7e]*)"$/.exec(item);
    if (!tag)
      throw new ApiError(
        400,
        "invalid_input",
        `If-Match takes the ETag exactly as a GET answered it, quotes included ("…"), or *; got ${item.slice(0, 80)}.`,
      );
    if (!tag[1]) strong.push(tag[2]!);
  }
  // Only weak tags: an empty list, which no version matches (412).
  return strong;
}
