import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  allowanceDue,
  allowancePeriod,
  callCost,
  checkReservation,
  reservationFor,
  revisionCost,
  splitDebit,
} from "./credits.js";

const rates = { inRate: 0.003, outRate: 0.015 };

describe("credit arithmetic", () => {
  it("charges a call max(1, ceil(in × in_rate + out × out_rate))", () => {
    expect(callCost({ inputTokens: 1000, outputTokens: 200 }, rates)).toBe(6); // 3 + 3
    expect(callCost({ inputTokens: 1001, outputTokens: 200 }, rates)).toBe(7);
    expect(callCost({ inputTokens: 0, outputTokens: 0 }, rates)).toBe(1);
    expect(callCost({ inputTokens: 10, outputTokens: 1 }, rates)).toBe(1);
  });

  it("bills cached input at its own rate", () => {
    expect(
      callCost(
        { inputTokens: 1000, outputTokens: 0, cachedInputTokens: 1000 },
        { ...rates, cachedInRate: 0.0003 },
      ),
    ).toBe(1);
  });

  it("prices a revision round at max(5, ceil(base × 0.4))", () => {
    expect(revisionCost(0)).toBe(5);
    expect(revisionCost(12)).toBe(5);
    expect(revisionCost(13)).toBe(6);
    expect(revisionCost(100)).toBe(40);
    expect(revisionCost(101)).toBe(41);
  });

  it("spends the monthly allowance before top-ups", () => {
    expect(splitDebit({ allowance: 10, topup: 50 }, 25)).toEqual({ allowance: 10, topup: 15 });
    expect(splitDebit({ allowance: 30, topup: 50 }, 25)).toEqual({ allowance: 25, topup: 0 });
  });

  it("debits the whole amount: what neither bucket covers overdraws the allowance", () => {
    expect(splitDebit({ allowance: 3, topup: 4 }, 10)).toEqual({ allowance: 6, topup: 4 });
    expect(splitDebit({ allowance: -2, topup: 4 }, 10)).toEqual({ allowance: 6, topup: 4 });
    fc.assert(
      fc.property(fc.integer({ min: -50, max: 50 }), fc.nat(50), fc.nat(100), (a, t, amount) => {
        const split = splitDebit({ allowance: a, topup: t }, amount);
        return split.allowance + split.topup === amount && split.topup <= t && split.topup >= 0;
      }),
    );
  });

  it("refuses a reservation that would cross the cap, then the balance", () => {
    const h = { maxCredits: 100, spent: 90, reserved: 5, balance: 1000, balanceReserved: 5 };
    expect(checkReservation(h, 5)).toEqual({ ok: true });
    expect(checkReservation(h, 6)).toEqual({ ok: false, reason: "budget" });
    expect(checkReservation({ ...h, maxCredits: null, balance: 10 }, 6)).toEqual({
      ok: false,
      reason: "insufficient_credits",
    });
  });

  it("names allowance periods by UTC month", () => {
    expect(allowancePeriod(new Date("2026-11-30T23:59:59Z"))).toBe("2026-11");
    expect(allowancePeriod(new Date("2026-12-01T00:00:00Z"))).toBe("2026-12");
  });

  it("moves the allowance to a later month only, never back", () => {
    expect(allowanceDue("2026-11", new Date("2026-12-01T00:00:00Z"))).toBe(true);
    expect(allowanceDue("2026-12", new Date("2027-01-01T00:00:00Z"))).toBe(true);
    expect(allowanceDue("2026-12", new Date("2026-12-15T00:00:00Z"))).toBe(false);
    expect(allowanceDue("2026-12", new Date("2026-11-30T23:59:59.900Z"))).toBe(false);
  });

  it("never lets random usage streams push spent credits past the cap", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }),
        fc.array(
          fc.record({
            prompt: fc.nat(5000),
            maxOut: fc.integer({ min: 1, max: 4000 }),
            used: fc.double({ min: 0, max: 1.5, noNaN: true }),
            extraIn: fc.nat(500),
          }),
          {
            maxLength: 80,
          },
        ),
        (cap, calls) => {
          let spent = 0;
          for (const c of calls) {
            const reserved = reservationFor(c.prompt, c.maxOut, rates);
            if (
              !checkReservation(
                { maxCredits: cap, spent, reserved: 0, balance: Infinity, balanceReserved: 0 },
                reserved,
              ).ok
            )
              continue;
            // The provider may report more prompt tokens than we counted; charging is capped at the reservation.
            const actual = callCost(
              {
                inputTokens: c.prompt + c.extraIn,
                outputTokens: Math.floor(c.maxOut * Math.min(1, c.used)),
              },
              rates,
            );
            spent += Math.min(actual, reserved);
            expect(spent).toBeLessThanOrEqual(cap);
          }
        },
      ),
      { numRuns: 1_000 },
    );
  });
});
