// The grammar converter: integer ranges are exact (checked by turning the GBNF alternatives into a
// regular expression), and unsupported schemas are reported rather than half-converted.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { integerRange, jsonSchemaToGbnf } from "./local-grammar.js";

/** The GBNF of integerRange uses only literals, digit classes, repetition and alternation. */
function asRegExp(gbnf: string): RegExp {
  const body = gbnf
    .replace(/\s+/g, "")
    .replace(/"([^"]*)"/g, (_, lit: string) => lit.replace(/-/g, "\\-"))
    .replace(/^int$/, "-?(0|[1-9][0-9]{0,14})");
  return new RegExp(`^(?:${body})$`);
}

describe("integer ranges in the grammar", () => {
  it("match exactly the integers between the bounds", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -100_000, max: 100_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: -300_000, max: 300_000 }),
        (lo, width, n) => {
          const re = asRegExp(integerRange(lo, lo + width));
          expect(re.test(String(n))).toBe(n >= lo && n <= lo + width);
          expect(re.test(String(lo))).toBe(true);
          expect(re.test(String(lo + width))).toBe(true);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it("handle one open bound, never allowing leading zeros", () => {
    const atLeastOne = asRegExp(integerRange(1, undefined));
    expect(["1", "9", "10", "4500", "123456789012345"].every((n) => atLeastOne.test(n))).toBe(true);
    expect(["0", "-1", "01", "1234567890123456"].some((n) => atLeastOne.test(n))).toBe(false);
    const upTo = asRegExp(integerRange(undefined, -5));
    expect(["-5", "-6", "-1000"].every((n) => upTo.test(n))).toBe(true);
    expect(["-4", "0", "5"].some((n) => upTo.test(n))).toBe(false);
  });
});

describe("jsonSchemaToGbnf", () => {
  it("gives up on what it cannot express, so the caller falls back", () => {
    expect(jsonSchemaToGbnf({ type: "string", pattern: "^[a-z]+$" })).toBeUndefined();
    expect(jsonSchemaToGbnf({ allOf: [{ type: "string" }] })).toBeUndefined();
    expect(jsonSchemaToGbnf({ type: "string", format: "email" })).toBeUndefined();
  });

  it("lets optional keys be left out and refers to recursive definitions by name", () => {
    const g = jsonSchemaToGbnf({
      $defs: {
        node: {
          type: "object",
          properties: { kids: { type: "array", items: { $ref: "#/$defs/node" } } },
        },
      },
      $ref: "#/$defs/node",
    })!;
    expect(g).toMatch(/^root ::= ref-1$/m);
    expect(g).toMatch(/ref-1 ::= "\{" ws \S+ ws "\}"/);
    expect(g).toMatch(/\("\\"kids\\"" ws ":" ws "\[" .*\)\?/);
  });
});
