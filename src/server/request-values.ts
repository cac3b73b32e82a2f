// What every text of a request must be before a route sees it, checked once for the body, the
// path and the query: no NUL character (PostgreSQL cannot store one, so SQLite must not either, or
// data could not move between them), well-formed Unicode (a lone surrogate exports as garbage),
// no sealed-value marker, and JSON nested at most MAX_DEPTH deep. The walk uses its own stack, so
// a body nested 100,000 deep is refused instead of overflowing the call stack.
import { DomainError } from "../domain/errors.js";
import { isSealed } from "../store/crypto/cipher.js";

/** The deepest nesting of arrays and objects a JSON body may have. */
export const MAX_DEPTH = 64;

/** Where the values came from, as the error message names it. */
export type ValueSource = "body" | "path" | "query";

const WHERE: Record<ValueSource, string> = {
  body: "request body",
  path: "path",
  query: "query string",
};

function fieldName(source: ValueSource, path: readonly (string | number)[]): string {
  if (path.length === 0) return `the ${WHERE[source]}`;
  const name = path
    .map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`))
    .join("");
  return source === "body" ? `the field \`${name}\`` : `the ${source} parameter \`${name}\``;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why a text may not be stored, or null when it may. */
function textProblem(text: string): string | null {
  if (text.includes("\u0000"))
    return "contains the NUL character (U+0000), which Atelya cannot store; remove it";
  if (LONE_SURROGATE.test(text))
    return "contains a lone UTF-16 surrogate (half of a character, e.g. \\ud800); send well-formed Unicode";
  return null;
}

/** Throws `invalid_input` naming a field whose text or nesting Atelya refuses. */
export function checkRequestValues(value: unknown, source: ValueSource): void {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: v, path } = stack.pop()!;
    if (typeof v === "string") {
      const problem = textProblem(v);
      if (problem)
        throw new DomainError("invalid_input", `${fieldName(source, path)} ${problem}.`, [
          `${path.join(".") || source}: ${problem}`,
        ]);
      if (isSealed(v))
        throw new DomainError(
          "invalid_input",
          `${fieldName(source, path)} starts with the control character U+0001 followed by 'ay1:', which Atelya reserves for encrypted values; remove it.`,
        );
      continue;
    }
    if (typeof v !== "object" || v === null) continue;
    if (path.length >= MAX_DEPTH)
      throw new DomainError(
        "invalid_input",
        `The ${WHERE[source]} is nested more than ${MAX_DEPTH} levels deep; no Atelya request needs that many.`,
      );
    if (Array.isArray(v)) {
      v.forEach((item, i) => stack.push({ value: item, path: [...path, i] }));
      continue;
    }
    for (const [key, item] of Object.entries(v)) {
      if (key === "__proto__")
        throw new DomainError(
          "invalid_input",
          `The field name \`__proto__\` in ${fieldName(source, path)} is not allowed; remove it.`,
        );
      const problem = textProblem(key);
      if (problem)
        throw new DomainError(
          "invalid_input",
          `A field name in ${fieldName(source, path)} ${problem}.`,
        );
      stack.push({ value: item, path: [...path, key] });
    }
  }
}
