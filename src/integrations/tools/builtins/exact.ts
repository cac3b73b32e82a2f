// Exact decimal arithmetic for prices: numbers are fractions of BigInts, so 0.1 + 0.2 is 0.3 and
// 100 / 3 * 3 is 100. Rounding happens once, where a person would round (cents of a line, totals).

export interface Exact {
  readonly n: bigint;
  /** Always positive; the fraction is kept reduced. */
  readonly d: bigint;
}

const gcd = (a: bigint, b: bigint): bigint => {
  a = a < 0n ? -a : a;
  while (b) [a, b] = [b, b < 0n ? -(a % b) : a % b];
  return a;
};

export function exact(n: bigint, d = 1n): Exact {
  if (d === 0n) throw new RangeError("division by zero");
  if (d < 0n) [n, d] = [-n, -d];
  const g = gcd(n, d) || 1n;
  return { n: n / g, d: d / g };
}

export const ZERO = exact(0n);
export const HUNDRED = exact(100n);
export const add = (a: Exact, b: Exact) => exact(a.n * b.d + b.n * a.d, a.d * b.d);
export const sub = (a: Exact, b: Exact) => exact(a.n * b.d - b.n * a.d, a.d * b.d);
export const mul = (a: Exact, b: Exact) => exact(a.n * b.n, a.d * b.d);
export const div = (a: Exact, b: Exact) => exact(a.n * b.d, a.d * b.n);
export const isZero = (a: Exact) => a.n === 0n;

/** "1200.50", "-3", ".5" → exact value; anything else → undefined. */
export function parseDecimal(text: string): Exact | undefined {
  const m = /^([+-]?)(\d*)(?:\.(\d+))?$/.exec(text.trim());
  if (!m || (m[2] === "" && m[3] === undefined)) return undefined;
  const frac = m[3] ?? "";
  const n = BigInt(`${m[2] || "0"}${frac}`) * (m[1] === "-" ? -1n : 1n);
  return exact(n, 10n ** BigInt(frac.length));
}

/** Rounds half away from zero to `places` decimals (commercial rounding). */
export function round(a: Exact, places: number): Exact {
  const scale = 10n ** BigInt(places);
  const scaled = a.n * scale;
  const q = scaled / a.d;
  const r = scaled % a.d;
  const away = (r < 0n ? -r : r) * 2n >= a.d;
  return exact(away ? q + (scaled < 0n ? -1n : 1n) : q, scale);
}

/** The decimal digits of `a` if it ends within `maxPlaces` decimals. */
function terminating(a: Exact, maxPlaces: number): number | undefined {
  for (let p = 0; p <= maxPlaces; p++) if (10n ** BigInt(p) % a.d === 0n) return p;
  return undefined;
}

/** Plain decimal text: exact when it terminates within `maxPlaces`, else rounded there.
 *  `minPlaces` pads (2 for money). `group` adds thousands separators. */
export function toDecimal(
  a: Exact,
  o: { minPlaces?: number; maxPlaces?: number; group?: boolean } = {},
): string {
  const max = o.maxPlaces ?? 10;
  const places = Math.max(o.minPlaces ?? 0, terminating(a, max) ?? max);
  const r = round(a, places);
  const scaled = (r.n * 10n ** BigInt(places)) / r.d;
  const negative = scaled < 0n;
  const digits = (negative ? -scaled : scaled).toString().padStart(places + 1, "0");
  let whole = digits.slice(0, digits.length - places);
  if (o.group) whole = whole.replace(/\B(?=(\d{3})+$)/g, ",");
  const frac = places ? `.${digits.slice(-places)}` : "";
  return `${negative ? "-" : ""}${whole}${frac}`;
}

/** Whether `toDecimal(a, { maxPlaces })` shows the value exactly. */
export const isExactAt = (a: Exact, maxPlaces: number) => terminating(a, maxPlaces) !== undefined;
