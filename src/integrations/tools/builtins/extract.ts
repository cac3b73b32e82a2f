// extract_dates_amounts: finds dates, money amounts and durations in text or in the room's
// material, so agents quote deadlines and budgets exactly.
import { z } from "zod";
import { parametersOf } from "../registry.js";
import type { Tool } from "../types.js";

const Args = z.object({ text: z.string().max(200_000).optional() });

const MONTHS = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];
const MONTH = `(${MONTHS.map((m) => `${m[0]!.toUpperCase()}${m.slice(1)}|${m.slice(0, 3).replace(/^./, (c) => c.toUpperCase())}`).join("|")})\\.?`;
const CURRENCY: Record<string, string> = {
  "€": "EUR",
  $: "USD",
  "£": "GBP",
  EUR: "EUR",
  USD: "USD",
  GBP: "GBP",
  CHF: "CHF",
};

export interface Found {
  kind: "date" | "amount" | "duration";
  text: string;
  /** ISO date (YYYY-MM-DD), or a number with its currency or unit. */
  value: string;
}

const iso = (y: number, m: number, d: number) =>
  `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
const monthIndex = (name: string) =>
  MONTHS.findIndex((m) => m.startsWith(name.toLowerCase().slice(0, 3))) + 1;

/** A number written as 1,200.50 or 1.200,50 or 3k. */
function parseAmount(raw: string, suffix?: string): number {
  let s = raw;
  if (/^\d{1,3}(\.\d{3})+(,\d{1,2})?$/.test(s)) s = s.replace(/\./g, "").replace(",", ".");
  else s = s.replace(/,/g, "");
  const n = Number(s);
  const mult =
    suffix?.toLowerCase() === "k" ? 1_000 : suffix?.toLowerCase() === "m" ? 1_000_000 : 1;
  return n * mult;
}

export function extractAll(text: string, now: Date): Found[] {
  const found: (Found & { at: number })[] = [];
  const year = now.getUTCFullYear();
  const add = (m: RegExpMatchArray, kind: Found["kind"], value: string) =>
    found.push({ kind, text: m[0].trim(), value, at: m.index ?? 0 });
  for (const m of text.matchAll(/\b(\d{4})-(\d{2})-(\d{2})\b/g)) add(m, "date", m[0]);
  for (const m of text.matchAll(
    new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)? ${MONTH}(?:,? (\\d{4}))?`, "g"),
  ))
    add(m, "date", iso(m[3] ? Number(m[3]) : year, monthIndex(m[2]!), Number(m[1])));
  for (const m of text.matchAll(
    new RegExp(`\\b${MONTH} (\\d{1,2})(?:st|nd|rd|th)?(?:,? (\\d{4}))?\\b`, "g"),
  ))
    add(m, "date", iso(m[3] ? Number(m[3]) : year, monthIndex(m[1]!), Number(m[2])));
  const num = "(\\d[\\d.,]*\\d|\\d)";
  for (const m of text.matchAll(new RegExp(`([€$£])\\s?${num}\\s?([kKmM])?\\b`, "g")))
    add(m, "amount", `${parseAmount(m[2]!, m[3])} ${CURRENCY[m[1]!]}`);
  for (const m of text.matchAll(new RegExp(`\\b(EUR|USD|GBP|CHF)\\s?${num}\\s?([kKmM])?\\b`, "g")))
    add(m, "amount", `${parseAmount(m[2]!, m[3])} ${m[1]}`);
  for (const m of text.matchAll(
    new RegExp(`\\b${num}\\s?([kKmM])?\\s?(EUR|USD|GBP|CHF|€)(?![\\w])`, "g"),
  ))
    add(m, "amount", `${parseAmount(m[1]!, m[2])} ${CURRENCY[m[3]!]}`);
  for (const m of text.matchAll(/\b(\d+(?:\.\d+)?)[ -](day|week|month|year|hour)s?\b/gi))
    add(m, "duration", `${m[1]} ${m[2]!.toLowerCase()}s`);
  // Overlapping matches (a date inside a longer one): keep the earliest, longest.
  found.sort((a, b) => a.at - b.at || b.text.length - a.text.length);
  return found
    .filter((f, i) => !found.slice(0, i).some((g) => f.at >= g.at && f.at < g.at + g.text.length))
    .map(({ at: _at, ...f }) => f);
}

export const extractDatesAmounts: Tool = {
  name: "extract_dates_amounts",
  description:
    "List the dates, money amounts and durations in a text, or in the workroom's material when no text is given.",
  args: Args as unknown as Tool["args"],
  parameters: parametersOf(Args),
  async run(raw, ctx) {
    const { text } = Args.parse(raw);
    const sources =
      text !== undefined
        ? [{ source: "text", content: text }]
        : ctx.inputs.map((i) => ({ source: i.label ?? i.kind, content: i.content }));
    const items = sources.flatMap((s) =>
      extractAll(s.content, ctx.now()).map((f) => ({ ...f, source: s.source })),
    );
    if (items.length === 0) return { output: "No dates, amounts or durations found.", data: [] };
    const label = { date: "Date", amount: "Amount", duration: "Duration" } as const;
    return {
      output: items
        .map((f) => `- ${label[f.kind]}: ${f.text} → ${f.value} (${f.source})`)
        .join("\n"),
      data: items,
    };
  },
};
