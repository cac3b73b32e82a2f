// How counts and credits read wherever people see them: the web app, the CLI, the history in words.
const whole = new Intl.NumberFormat("en", { maximumFractionDigits: 0 });

export const number = (n: number): string => whole.format(n);
export const credits = (n: number): string => `${whole.format(n)} credit${n === 1 ? "" : "s"}`;
/** `n` things: "1 room", "3 rooms", "1 room was" / "2 rooms were" with `many` given. */
export const counted = (n: number, one: string, many = `${one}s`): string =>
  `${whole.format(n)} ${n === 1 ? one : many}`;
