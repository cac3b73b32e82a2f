// Parsers of option values: a bad value stops the command with commander's one-line error
// ("option '--max-credits <n>' argument 'abc' is invalid. …") instead of being read as NaN.
import { InvalidArgumentError } from "commander";

/** A whole number of at least `min`. */
export const wholeNumber =
  (min: number) =>
  (value: string): number => {
    const n = /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < min)
      throw new InvalidArgumentError(`Expected a whole number of at least ${min}.`);
    return n;
  };

/** A number from `min` to `max`. */
export const numberBetween =
  (min: number, max: number) =>
  (value: string): number => {
    const n = /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : Number.NaN;
    if (!(n >= min && n <= max))
      throw new InvalidArgumentError(`Expected a number from ${min} to ${max}.`);
    return n;
  };
