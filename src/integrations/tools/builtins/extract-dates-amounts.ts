// extract_dates_amounts: the dates, money amounts and durations in a text or in the room's
// material, so agents quote deadlines and budgets exactly instead of paraphrasing them.
import { z } from "zod";
import type { Tool } from "../types.js";
import {
  findAmounts,
  findDurations,
  type FoundAmount,
  type FoundDuration,
} from "./find-amounts.js";
import { findDates, type FoundDate } from "./find-dates.js";

const Args = z.object({
  text: z
    .string()
    .max(200_000)
    .optional()
    .describe("text to read; without it, every paste block of the workroom is read"),
});
type Args = z.output<typeof Args>;

export type Found = FoundDate | FoundAmount | FoundDuration;
/** A match as reported: where it was found instead of its offset. */
export type Extracted = Found extends infer F
  ? F extends Found
    ? Omit<F, "at"> & { source: string }
    : never
  : never;

/** Everything found in `text`, in reading order; where two matches overlap the longer one wins
 *  ("12 March 2026" rather than "March 2026"). */
export function extractAll(text: string, now: Date): Found[] {
  const all: Found[] = [...findDates(text, now), ...findAmounts(text), ...findDurations(text)];
  all.sort((a, b) => a.at - b.at || b.text.length - a.text.length);
  const kept: Found[] = [];
  for (const f of all) {
    const last = kept[kept.length - 1];
    if (!last || f.at >= last.at + last.text.length) kept.push(f);
  }
  return kept;
}

const formatAmount = (a: Pick<FoundAmount, "amount" | "currency">) => {
  const [whole, frac] = a.amount.split(".");
  return `${a.currency} ${whole!.replace(/\B(?=(\d{3})+$)/g, ",")}${frac ? `.${frac}` : ""}`;
};

function describe(f: Extracted): string {
  switch (f.kind) {
    case "date":
      return `${f.text} → ${f.date}${f.relative ? " (from today's date)" : f.yearInferred ? " (year assumed)" : ""}`;
    case "amount":
      return `${f.text} → ${formatAmount(f)}`;
    case "duration":
      return `${f.text} → ${f.value}${f.max ? `–${f.max}` : ""} ${f.unit}${(f.max ?? f.value) === 1 ? "" : "s"}`;
  }
}

const HEADINGS = { date: "Dates", amount: "Amounts", duration: "Durations" } as const;

export const extractDatesAmounts: Tool<Args> = {
  name: "extract_dates_amounts",
  description:
    "List the dates (ISO, '12 March 2026', 'March 12', 'next Friday'), money amounts with currency (€1,200.50, USD 3k, 1.200,00 EUR) and durations ('6 weeks') in a text, or in all of the workroom's material when no text is given.",
  inputSchema: Args,
  async run(a, ctx) {
    const now = ctx.now();
    const sources =
      a.text !== undefined
        ? [{ source: "text", content: a.text }]
        : ctx.inputs.map((i) => ({ source: i.label ?? i.kind, content: i.content }));
    const items: Extracted[] = sources.flatMap((s) =>
      extractAll(s.content, now).map(({ at: _at, ...f }) => ({ ...f, source: s.source })),
    );
    if (!items.length)
      return { output: "No dates, money amounts or durations were found.", data: [] };
    const many = sources.length > 1;
    const sections = (["date", "amount", "duration"] as const).flatMap((kind) => {
      const of = items.filter((i) => i.kind === kind);
      return of.length
        ? [
            `${HEADINGS[kind]}:\n${of.map((i) => `- ${describe(i)}${many ? ` [${i.source}]` : ""}`).join("\n")}`,
          ]
        : [];
    });
    return { output: sections.join("\n\n"), data: items };
  },
};
