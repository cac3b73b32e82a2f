import { describe, expect, it } from "vitest";
import { extractAll } from "./builtins/extract-dates-amounts.js";
import { parseAmount } from "./builtins/find-amounts.js";
import { builtinTools } from "./builtins/index.js";
import { createToolRegistry } from "./registry.js";

const TUESDAY = new Date("2026-11-24T10:00:00Z");
const found = (text: string) => extractAll(text, TUESDAY).map(({ at: _at, ...f }) => f);

describe("extract_dates_amounts", () => {
  it("reads the dates of a proposal in every robust format", () => {
    expect(
      found(
        "Kick-off 2026-12-01, workshop 12th of January 2027, review March 3, 2027, launch in September 2027.",
      ).map((f) => (f.kind === "date" ? [f.text, f.date] : f)),
    ).toEqual([
      ["2026-12-01", "2026-12-01"],
      ["12th of January 2027", "2027-01-12"],
      ["March 3, 2027", "2027-03-03"],
      ["September 2027", "2027-09"],
    ]);
  });

  it("takes a date without a year as the one nearest today, and relative words from the clock", () => {
    expect(
      found("We met on 20 Nov; the pilot starts March 12. Call me next Friday or tomorrow."),
    ).toEqual([
      { kind: "date", text: "20 Nov", date: "2026-11-20", yearInferred: true },
      { kind: "date", text: "March 12", date: "2027-03-12", yearInferred: true },
      { kind: "date", text: "next Friday", date: "2026-11-27", relative: true },
      { kind: "date", text: "tomorrow", date: "2026-11-25", relative: true },
    ]);
    expect(found("31 April 2027 and 2026-02-30")).toEqual([]); // no such days
  });

  it("reads money in the ways agencies and clients write it", () => {
    const amounts = found(
      "Fee €1,200.50, licences 1.200,00 EUR, ads USD 3k, print £2.5m, hosting CHF 1'450, extras 40k euros.",
    ).map((f) => (f.kind === "amount" ? `${f.amount} ${f.currency}` : f.text));
    expect(amounts).toEqual([
      "1200.50 EUR",
      "1200 EUR",
      "3000 USD",
      "2500000 GBP",
      "1450 CHF",
      "40000 EUR",
    ]);
    expect(parseAmount("1.200")).toBe("1200");
    expect(parseAmount("12,5")).toBe("12.50");
  });

  it("reads durations, ranges and number words", () => {
    expect(
      found(
        "A 6-week pilot, then 4–6 weeks of rollout, two sprints and 10 working days of QA.",
      ).map((f) => (f.kind === "duration" ? [f.value, f.max ?? null, f.unit] : f.text)),
    ).toEqual([
      [6, null, "week"],
      [4, 6, "week"],
      [2, null, "sprint"],
      [10, null, "working day"],
    ]);
  });

  it("lists what it found in the room's material, grouped, with the block it came from", async () => {
    const registry = createToolRegistry({ builtins: builtinTools() });
    const r = await registry.runGranted(
      ["extract_dates_amounts"],
      "extract_dates_amounts",
      {},
      {
        signal: new AbortController().signal,
        now: () => TUESDAY,
        inputs: [
          {
            kind: "brief",
            label: "Client brief",
            content: "Budget is €40,000 and the pilot starts 15 November 2026 in three stores.",
          },
          { kind: "meeting_notes", content: "Rollout takes 6 weeks after the pilot." },
        ],
      },
    );
    expect(r.output).toBe(
      [
        "Dates:",
        "- 15 November 2026 → 2026-11-15 [Client brief]",
        "",
        "Amounts:",
        "- €40,000 → EUR 40,000 [Client brief]",
        "",
        "Durations:",
        "- 6 weeks → 6 weeks [meeting_notes]",
      ].join("\n"),
    );
    const none = await registry.runGranted(
      ["extract_dates_amounts"],
      "extract_dates_amounts",
      { text: "No numbers here." },
      { signal: new AbortController().signal, now: () => TUESDAY, inputs: [] },
    );
    expect(none.output).toBe("No dates, money amounts or durations were found.");
  });
});
