// Dates in agency text: ISO (2026-03-12), day-month ("12 March 2026", "12th of Mar"), month-day
// ("March 12, 2026"), month-year ("September 2026") and a few relative words ("today",
// "tomorrow", "next Friday") read against the injected clock. Ambiguous forms like 03/04/2026 are
// left out on purpose: a wrong date in a proposal is worse than a missing one.

export interface FoundDate {
  kind: "date";
  text: string;
  at: number;
  /** YYYY-MM-DD, or YYYY-MM for a month. */
  date: string;
  /** The year was not written and was taken as the one nearest to today. */
  yearInferred?: boolean;
  /** Computed from today's date ("next Friday"). */
  relative?: boolean;
}

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
const WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
// "sept" is common in British text; "may" has no abbreviation to confuse.
const MONTH =
  "(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?";
const DAY = "(\\d{1,2})(?:st|nd|rd|th)?";
const YEAR = "((?:19|20)\\d{2})";

const monthOf = (name: string) =>
  MONTHS.findIndex((m) => m.startsWith(name.toLowerCase().slice(0, 3)));
const pad = (n: number) => String(n).padStart(2, "0");
const DAY_MS = 86_400_000;

/** A real calendar date (no 31 April) as YYYY-MM-DD. */
function isoDate(year: number, month: number, day: number): string | undefined {
  const d = new Date(Date.UTC(year, month, day));
  return d.getUTCMonth() === month && d.getUTCDate() === day
    ? `${year}-${pad(month + 1)}-${pad(day)}`
    : undefined;
}

/** Without a year, the occurrence nearest to today: in November, "March 12" is next March. */
function nearestYear(month: number, day: number, now: Date): number {
  const y = now.getUTCFullYear();
  const distance = (year: number) => Math.abs(Date.UTC(year, month, day) - now.getTime());
  return [y - 1, y, y + 1].reduce((best, c) => (distance(c) < distance(best) ? c : best));
}

function relative(word: string, weekday: string | undefined, now: Date): string {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  let offset = 0;
  if (word === "tomorrow") offset = 1;
  else if (word === "yesterday") offset = -1;
  else if (weekday) {
    // "next Friday" and "this Friday": the first Friday after today.
    const want = WEEKDAYS.indexOf(weekday);
    offset = (want - now.getUTCDay() + 7) % 7 || 7;
  }
  return new Date(today + offset * DAY_MS).toISOString().slice(0, 10);
}

export function findDates(text: string, now: Date): FoundDate[] {
  const found: FoundDate[] = [];
  const add = (m: RegExpMatchArray, date: string | undefined, extra: Partial<FoundDate> = {}) => {
    if (date) found.push({ kind: "date", text: m[0], at: m.index ?? 0, date, ...extra });
  };
  for (const m of text.matchAll(/\b(\d{4})-(\d{2})-(\d{2})\b/g))
    add(m, isoDate(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  const dayMonth = new RegExp(`\\b${DAY}(?:\\s+of)?\\s+${MONTH}(?:,?\\s+${YEAR})?\\b`, "gi");
  for (const m of text.matchAll(dayMonth)) {
    const [day, month] = [Number(m[1]), monthOf(m[2]!)];
    const year = m[3] ? Number(m[3]) : nearestYear(month, day, now);
    add(m, isoDate(year, month, day), m[3] ? {} : { yearInferred: true });
  }
  const monthDay = new RegExp(`\\b${MONTH}\\s+${DAY}(?:,?\\s+${YEAR})?\\b(?!\\d)`, "gi");
  for (const m of text.matchAll(monthDay)) {
    const [month, day] = [monthOf(m[1]!), Number(m[2])];
    const year = m[3] ? Number(m[3]) : nearestYear(month, day, now);
    add(m, isoDate(year, month, day), m[3] ? {} : { yearInferred: true });
  }
  // "April 2027" alone, not the tail of a day-month date the calendar refused ("31 April 2027").
  const monthYear = new RegExp(
    `(?<!\\d(?:st|nd|rd|th)?(?:\\s+of)?\\s+)\\b${MONTH}\\s+${YEAR}\\b`,
    "gi",
  );
  for (const m of text.matchAll(monthYear)) add(m, `${m[2]}-${pad(monthOf(m[1]!) + 1)}`);
  const words = new RegExp(
    `\\b(today|tomorrow|yesterday|(?:next|this)\\s+(${WEEKDAYS.join("|")}))\\b`,
    "gi",
  );
  for (const m of text.matchAll(words)) {
    const word = m[1]!.toLowerCase();
    add(m, relative(word, m[2]?.toLowerCase(), now), { relative: true });
  }
  return found;
}
