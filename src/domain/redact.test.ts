import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { redactPii } from "./redact.js";

const NONE = { email: 0, phone: 0, card: 0, iban: 0 };

/** A card number of `length` digits whose last digit makes the Luhn sum a multiple of 10. */
function withLuhn(body: number[]): string {
  const digits = [...body, 0];
  for (let check = 0; check < 10; check++) {
    digits[digits.length - 1] = check;
    const sum = digits
      .slice()
      .reverse()
      .reduce((n, d, i) => n + (i % 2 === 1 ? (d * 2 > 9 ? d * 2 - 9 : d * 2) : d), 0);
    if (sum % 10 === 0) break;
  }
  return digits.join("");
}

/** An IBAN with correct mod-97 check digits for `country` and a numeric account part. */
function iban(country: string, bban: string): string {
  const numeric = (bban + country + "00").replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let rest = 0;
  for (const d of numeric) rest = (rest * 10 + Number(d)) % 97;
  return `${country}${String(98 - rest).padStart(2, "0")}${bban}`;
}

const digits = (n: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n });
const filler = fc.constantFrom("Call", "Reach Dana on", "Mobile:", "or", "—", "(office)");

describe("redact_pii", () => {
  it("masks e-mail addresses, phone numbers, card numbers and IBANs", () => {
    const r = redactPii(
      "Write to dana.reis@aurora.pt or call +351 912 345 678 / (555) 123-4567. Card 4111 1111 1111 1111, IBAN PT50 0002 0123 1234 5678 9015 4.",
    );
    expect(r.text).toBe("Write to [email] or call [phone] / [phone]. Card [card], IBAN [iban].");
    expect(r.counts).toEqual({ email: 1, phone: 2, card: 1, iban: 1 });
  });

  it("masks local formats and numbers a word marks as a phone", () => {
    const r = redactPii(
      "Office 020 7946 0958, mobile 06.12.34.56.78, desk 555-1234, tel 5551234567, lisbon 912 345 678.",
    );
    expect(r.text).toBe(
      "Office [phone], mobile [phone], desk [phone], tel [phone], lisbon [phone].",
    );
    expect(r.counts.phone).toBe(5);
  });

  it("masks UK, German and French numbers with long or single-digit groups", () => {
    const r = redactPii(
      "Mobile 07700 900123, or +44 7700 900123; Berlin office +49 30 901820; Paris +33 6 12 34 56 78; Lisbon +351912 345 678.",
    );
    expect(r.text).toBe(
      "Mobile [phone], or [phone]; Berlin office [phone]; Paris [phone]; Lisbon [phone].",
    );
    expect(r.counts.phone).toBe(5);
  });

  it("leaves ordinary numbers alone: years, quarters, prices, products, dates, counts", () => {
    const text =
      "Launch in Q4 2026 (or 2027), 3 × 4 shelves, €49.99 or 1 299 EUR, 24/11/2026 at 10:30, " +
      "2024 2025 2026 budgets, 12 stores and 45 000 visitors, version 2.4.1, room 12 of 40.";
    expect(redactPii(text)).toEqual({ text, counts: { email: 0, phone: 0, card: 0, iban: 0 } });
  });

  it("leaves dates, times, year ranges, amounts and order numbers alone", () => {
    const text =
      "Pilot on 2026-11-15 10:30 (or 15/11/2026, 15.11.26), budget €40,000 and €12.500.000, about " +
      "12 000 EUR per store, 1 250 000 visitors over 2024-2026; 3 stores; order 1234567; " +
      "invoice INV-2024-0001-3344; card-like 4111 1111 1111 1112 fails Luhn; v2.10.3.";
    expect(redactPii(text)).toEqual({ text, counts: NONE });
  });

  it("never leaves an e-mail address behind", () => {
    fc.assert(
      fc.property(fc.emailAddress(), fc.string(), (email, around) => {
        const r = redactPii(`${around} ${email} ${around}`);
        expect(r.text).not.toContain(email);
        expect(r.counts.email).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 500 },
    );
  });

  it("masks phone numbers in international and local formats, whatever surrounds them", () => {
    const phone = fc.oneof(
      // +CC then 3 groups: +44 20 7946 0958, +351 912-345-678
      fc
        .tuple(
          fc.integer({ min: 1, max: 998 }),
          digits(3),
          digits(3),
          digits(4),
          fc.constantFrom(" ", "-", "."),
        )
        .map(([cc, a, b, c, sep]) => `+${cc} ${a.join("")}${sep}${b.join("")}${sep}${c.join("")}`),
      // (AAA) BBB-CCCC
      fc
        .tuple(digits(3), digits(3), digits(4))
        .map(([a, b, c]) => `(${a.join("")}) ${b.join("")}-${c.join("")}`),
      // 0AA BBBB CCCC
      fc
        .tuple(digits(2), digits(4), digits(4))
        .map(([a, b, c]) => `0${a.join("")} ${b.join("")} ${c.join("")}`),
    );
    fc.assert(
      fc.property(filler, phone, (before, p) => {
        const r = redactPii(`${before} ${p}, thanks`);
        expect(r.text).toBe(`${before} [phone], thanks`);
        expect(r.counts).toEqual({ ...NONE, phone: 1 });
      }),
      { numRuns: 500 },
    );
  });

  it("masks every Luhn-valid card number, grouped or not", () => {
    fc.assert(
      fc.property(digits(15), fc.boolean(), (body, grouped) => {
        const card = withLuhn(body);
        const shown = grouped ? card.match(/.{1,4}/g)!.join(" ") : card;
        const r = redactPii(`Paid with ${shown}.`);
        expect(r.text).toBe("Paid with [card].");
        expect(r.counts.card).toBe(1);
      }),
      { numRuns: 500 },
    );
  });

  it("masks every IBAN with valid check digits", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("DE", "PT", "FR", "GB", "NL"),
        digits(18),
        fc.boolean(),
        (c, b, spaced) => {
          const value = iban(c, b.join(""));
          const shown = spaced ? value.match(/.{1,4}/g)!.join(" ") : value;
          const r = redactPii(`Transfer to ${shown} today`);
          expect(r.text).toBe("Transfer to [iban] today");
          expect(r.counts.iban).toBe(1);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("never changes dates, year ranges or amounts", () => {
    const safe = fc.oneof(
      fc
        .date({ min: new Date("1990-01-01"), max: new Date("2090-12-31"), noInvalidDate: true })
        .chain((d) =>
          fc.constantFrom(
            d.toISOString().slice(0, 10),
            d.toISOString().slice(0, 16).replace("T", " "),
            d.toLocaleDateString("en-GB"),
            d.toLocaleDateString("de-DE"),
          ),
        ),
      fc
        .tuple(fc.integer({ min: 1990, max: 2090 }), fc.integer({ min: 1990, max: 2090 }))
        .map(([a, b]) => `${a}-${b}`),
      fc
        .tuple(
          fc.integer({ min: 1, max: 999_999_999 }),
          fc.constantFrom("€", "$", "£"),
          fc.constantFrom("en-US", "de-DE", "fr-FR"),
        )
        .map(([n, cur, locale]) => `${cur}${n.toLocaleString(locale)}`),
      fc
        .integer({ min: 0, max: 9_999_999 })
        .map((n) => n.toLocaleString("fr-FR").replace(/\u202f/g, " ")),
    );
    fc.assert(
      fc.property(filler, safe, (before, value) => {
        const text = `${before} ${value} in total.`;
        expect(redactPii(text)).toEqual({ text, counts: NONE });
      }),
      { numRuns: 1_000 },
    );
  });
});
