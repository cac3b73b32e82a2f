// How numbers, money-like credits, dates and sizes read everywhere in the app.
const oneDecimal = new Intl.NumberFormat("en", { maximumFractionDigits: 1 });

export { credits, number } from "../../../src/domain/format";
export const hours = (n: number) => `${oneDecimal.format(n)} h`;

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${oneDecimal.format(n / 1024)} KB`;
  return `${oneDecimal.format(n / 1024 / 1024)} MB`;
}

const dateFmt = new Intl.DateTimeFormat("en", { dateStyle: "medium" });
const dateTimeFmt = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" });
const timeFmt = new Intl.DateTimeFormat("en", { timeStyle: "medium" });

export const date = (iso: string) => dateFmt.format(new Date(iso));
export const dateTime = (iso: string) => dateTimeFmt.format(new Date(iso));

/** The time of day for a moment of today; the date with it for any other day. */
export function timeOrDate(iso: string, now = new Date()): string {
  const at = new Date(iso);
  return at.toDateString() === now.toDateString() ? timeFmt.format(at) : dateTimeFmt.format(at);
}

const rtf = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
export function ago(iso: string, now = Date.now()): string {
  const s = Math.round((new Date(iso).getTime() - now) / 1000);
  const abs = Math.abs(s);
  if (abs < 45) return rtf.format(Math.round(s), "second");
  if (abs < 2700) return rtf.format(Math.round(s / 60), "minute");
  if (abs < 64800) return rtf.format(Math.round(s / 3600), "hour");
  return rtf.format(Math.round(s / 86400), "day");
}

/** "2 days left" / "due today" / "3 days late" for a YYYY-MM-DD deadline. */
export function deadline(day: string, now = new Date()): { text: string; late: boolean } {
  const today = Date.UTC(now.getFullYear(), now.getMonth(), now.getDate());
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const days = Math.round((Date.UTC(y, m - 1, d) - today) / 86_400_000);
  if (days === 0) return { text: "due today", late: false };
  if (days > 0) return { text: `${days} day${days === 1 ? "" : "s"} left`, late: false };
  return { text: `${-days} day${days === -1 ? "" : "s"} late`, late: true };
}
