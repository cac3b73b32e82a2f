// How counts and credits read wherever people see them: the web app, the CLI, the history in words.
const whole = new Intl.NumberFormat("en", { maximumFractionDigits: 0 });

export const number = (n: number): string => whole.format(n);
export const credits = (n: number): string => `${whole.format(n)} credit${n === 1 ? "" : "s"}`;
