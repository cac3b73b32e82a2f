// How counts, credits and moments read wherever people see them: the web app, the CLI, the history in words.
const whole = new Intl.NumberFormat("en", { maximumFractionDigits: 0 });

export const number = (n: number): string => whole.format(n);
export const credits = (n: number): string => `${whole.format(n)} credit${n === 1 ? "" : "s"}`;
/** `n` things: "1 room", "3 rooms", "1 room was" / "2 rooms were" with `many` given. */
export const counted = (n: number, one: string, many = `${one}s`): string =>
  `${whole.format(n)} ${n === 1 ? one : many}`;

/** A moment in UTC to the second, rounded up (the engine acts on it no sooner):
 *  "2026-03-02 14:04:30 UTC". */
export function utcTime(ms: number): string {
  const iso = new Date(Math.ceil(ms / 1000) * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}
