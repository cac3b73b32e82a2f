// Versions of what two people may edit at once (the letterhead, the tools, the model settings, an
// agent with its Style Memory): a short hash of the resource as reading shows it. A change names
// the version it was made on (If-Match over HTTP) and is refused, under the same lock as the write,
// when the resource has changed since: a colleague's change is never erased unseen.
import { createHash } from "node:crypto";
import { DomainError } from "../domain/errors.js";

/** JSON with object keys sorted and undefined left out: equal values give equal text. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonical(v ?? null)).join(",")}]`;
  if (value !== null && typeof value === "object")
    return `{${Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(",")}}`;
  return JSON.stringify(value);
}

/** The version of a resource as reading shows it (22 URL-safe characters). */
export const versionOf = (shown: unknown): string =>
  createHash("sha256").update(canonical(shown)).digest("base64url").slice(0, 22);

/**
 * Refuses a change made on another version than `current` (precondition_failed). `expected`
 * absent: the caller did not say (an API client that does not send If-Match), and the change
 * applies to whatever is current. `changed` starts the message: "Someone changed the letterhead
 * since you opened it".
 */
export function checkVersion(
  current: string,
  expected: readonly string[] | undefined,
  changed: string,
): void {
  if (expected !== undefined && !expected.includes(current))
    throw new DomainError(
      "precondition_failed",
      `${changed}: reload to see their change, then make yours again.`,
    );
}
