// Money amounts with their currency (€1,200.50, USD 3k, 1.200,00 EUR, 40k euros) and durations
// (6 weeks, a 3-month retainer, 4–6 weeks, two sprints) in agency text. Values are exact decimals.
import { exact, mul, parseDecimal, toDecimal } from "./exact.js";

export interface FoundAmount {
  kind: "amount";
  text: string;
  at: number;
  /** Exact decimal, e.g. "1200.50". */
  amount: string;
  currency: string;
}

export interface FoundDuration {
  kind: "duration";
  text: string;
  at: number;
  value: number;
  /** Upper end of a range ("4–6 weeks"). */
  max?: number;
  unit: "hour" | "day" | "working day" | "week" | "sprint" | "month" | "quarter" | "year";
}

const SIGNS: Record<string, string> = { "€": "EUR", $: "USD", "£": "GBP", "¥": "JPY" };
const WORDS: Record<string, string> = { euro: "EUR", dollar: "USD", pound: "GBP" };
const CODES = "EUR|USD|GBP|CHF|CAD|AUD|JPY|SEK|NOK|DKK|PLN|CZK";
const NUM = "(\\d{1,3}(?:[.,'’]\\d{3})+(?:[.,]\\d{1,2})?|\\d+(?:[.,]\\d{1,2})?)";
const SCALE = "(?:\\s?(k|m|bn|thousand|million|billion)\\b)?";
const MULTIPLIER: Record<string, bigint> = {
  k: 1_000n,
  thousand: 1_000n,
  m: 1_000_000n,
  million: 1_000_000n,
  bn: 1_000_000_000n,
  billion: 1_000_000_000n,
};

/** "1.200,50" and "1,200.50" are both 1200.50: the last separator is the decimal one unless it is
 *  followed by exactly three digits (then every separator groups thousands). */
export function parseAmount(raw: string, scale?: string): string | undefined {
  const last = Math.max(raw.lastIndexOf("."), raw.lastIndexOf(","));
  const decimals = last >= 0 && raw.length - last - 1 !== 3;
  const whole = (decimals ? raw.slice(0, last) : raw).replace(/[.,'’]/g, "");
  const value = parseDecimal(decimals ? `${whole}.${raw.slice(last + 1)}` : whole);
  if (!value) return undefined;
  const scaled = mul(value, exact(MULTIPLIER[scale?.toLowerCase() ?? ""] ?? 1n));
  const integral = scaled.d === 1n;
  return toDecimal(scaled, { minPlaces: integral ? 0 : 2, maxPlaces: 6 });
}

export function findAmounts(text: string): FoundAmount[] {
  const found: FoundAmount[] = [];
  const add = (m: RegExpMatchArray, raw: string, scale: string | undefined, currency: string) => {
    const amount = parseAmount(raw, scale);
    if (amount) found.push({ kind: "amount", text: m[0], at: m.index ?? 0, amount, currency });
  };
  for (const m of text.matchAll(new RegExp(`([€$£¥])\\s?${NUM}${SCALE}`, "gi")))
    add(m, m[2]!, m[3], SIGNS[m[1]!]!);
  for (const m of text.matchAll(new RegExp(`\\b(${CODES})\\s?${NUM}${SCALE}`, "g")))
    add(m, m[2]!, m[3], m[1]!);
  const after = new RegExp(
    `\\b${NUM}${SCALE}\\s?(${CODES}|€|euros?\\b|dollars?\\b|pounds?\\b)`,
    "gi",
  );
  for (const m of text.matchAll(after)) {
    const unit = m[3]!;
    const currency =
      SIGNS[unit] ?? WORDS[unit.toLowerCase().replace(/s$/, "")] ?? unit.toUpperCase();
    add(m, m[1]!, m[2], currency);
  }
  return found;
}

const NUMBER_WORDS = [
  "one",
  "two",
  "three",
  "four",
  "five",
  "six",
  "seven",
  "eight",
  "nine",
  "ten",
  "eleven",
  "twelve",
];
const COUNT = `(\\d+(?:\\.\\d+)?|${NUMBER_WORDS.join("|")})`;
const UNIT = "(hour|day|working day|business day|week|sprint|month|quarter|year)s?";

const countOf = (w: string) =>
  /^\d/.test(w) ? Number(w) : NUMBER_WORDS.indexOf(w.toLowerCase()) + 1;

export function findDurations(text: string): FoundDuration[] {
  const pattern = new RegExp(`\\b${COUNT}(?:\\s?(?:-|–|to)\\s?${COUNT})?[\\s-]${UNIT}\\b`, "gi");
  return [...text.matchAll(pattern)].map((m) => {
    const unit = m[3]!.toLowerCase().replace("business", "working") as FoundDuration["unit"];
    return {
      kind: "duration" as const,
      text: m[0],
      at: m.index ?? 0,
      value: countOf(m[1]!),
      ...(m[2] ? { max: countOf(m[2]) } : {}),
      unit,
    };
  });
}
