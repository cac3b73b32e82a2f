import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { redactPii } from "./redact.js";

describe("redact_pii", () => {
  it("masks e-mail addresses, phone numbers, card numbers and IBANs", () => {
    const r = redactPii(
      "Write to dana.reis@aurora.pt or call +351 912 345 678 / (555) 123-4567. Card 4111 1111 1111 1111, IBAN PT50 0002 0123 1234 5678 9015 4.",
    );
    expect(r.text).toBe("Write to [email] or call [phone] / [phone]. Card [card], IBAN [iban].");
    expect(r.counts).toEqual({ email: 1, phone: 2, card: 1, iban: 1 });
  });

  it("leaves dates, amounts, years and ordinary numbers alone", () => {
    const text =
      "Pilot on 2026-11-15, budget €40,000 (about 12 000 EUR per store) in 2027; 3 stores; order 1234567.";
    expect(redactPii(text)).toEqual({ text, counts: { email: 0, phone: 0, card: 0, iban: 0 } });
  });

  it("never leaves an e-mail address behind", () => {
    fc.assert(
      fc.property(fc.emailAddress(), fc.string(), (email, around) => {
        expect(redactPii(`${around} ${email} ${around}`).text).not.toContain(email);
      }),
      { numRuns: 500 },
    );
  });
});
