// JSON Schema → GBNF grammar for the embedded model, so it can only write answers that pass the
// zod schema. node-llama-cpp's own converter ignores numeric ranges and makes every key required;
// small local models then waste re-asks on `"ordinal": 0`. This one covers what zod's
// toJSONSchema emits for our schemas: objects with optional keys, records, arrays with bounds,
// strings with length bounds, enums, consts, date-times, integer ranges, anyOf, $ref (recursion).
// Anything else (patterns, allOf, multipleOf …) returns undefined and the caller falls back.

type Schema = Record<string, unknown>;

class Unsupported extends Error {}

const PRIMITIVES: Record<string, string> = {
  ws: '" "?',
  char: '[^"\\\\\\x7F\\x00-\\x1F] | "\\\\" (["\\\\/bfnrt] | "u" [0-9a-fA-F]{4})',
  // In length-bounded strings: no characters beyond the BMP, which JavaScript (and so zod's
  // max length) counts as two.
  bchar:
    '[^"\\\\\\x7F\\x00-\\x1F\\U00010000-\\U0010FFFF] | "\\\\" (["\\\\/bfnrt] | "u" [0-9a-fA-F]{4})',
  string: '"\\"" char* "\\""',
  int: '"-"? ("0" | [1-9] [0-9]{0,14})',
  number: 'int ("." [0-9]{1,15})?',
  boolean: '"true" | "false"',
  null: '"null"',
  value: "object | array | string | number | boolean | null",
  object: '"{" ws (string ws ":" ws value ("," ws string ws ":" ws value)*)? ws "}"',
  array: '"[" ws (value ("," ws value)*)? ws "]"',
  // Days stop at 28 so every month accepts them (zod checks real calendar dates).
  datetime:
    '"\\"" [0-9]{4} "-" ("0" [1-9] | "1" [0-2]) "-" ("0" [1-9] | "1" [0-9] | "2" [0-8]) "T" ([01] [0-9] | "2" [0-3]) ":" [0-5] [0-9] ":" [0-5] [0-9] "Z" "\\""',
  // An http(s) address that WHATWG URL parsing accepts.
  uri: '"\\"" "http" "s"? "://" [a-z0-9] [a-z0-9.-]{0,62} ("/" [a-zA-Z0-9._~/-]{0,200})? "\\""',
  date: '"\\"" [0-9]{4} "-" ("0" [1-9] | "1" [0-2]) "-" ("0" [1-9] | "1" [0-9] | "2" [0-8]) "\\""',
};

const literal = (s: string) =>
  `"${s
    .replace(/[\\"]/g, (m) => `\\${m}`)
    .replace(/\n/g, "\\n")
    .replace(/\r/g, "\\r")
    .replace(/\t/g, "\\t")}"`;

const digitClass = (a: number, b: number) => (a === b ? `"${a}"` : `[${a}-${b}]`);
const anyDigits = (n: number) => (n === 0 ? "" : n === 1 ? " [0-9]" : ` [0-9]{${n}}`);

/** Sequences matching the digit strings from `x` to `y` (same length, x ≤ y, leading zeros kept). */
function sameLength(x: string, y: string): string[] {
  const n = x.length;
  const [x0, y0] = [Number(x[0]), Number(y[0])];
  if (n === 1) return [digitClass(x0, y0)];
  const [xr, yr] = [x.slice(1), y.slice(1)];
  if (x0 === y0) return sameLength(xr, yr).map((p) => `"${x0}" ${p}`);
  // x0 followed by anything from xr up, then whole digits between, then y0 followed by up to yr.
  const lowFull = /^0+$/.test(xr);
  const highFull = /^9+$/.test(yr);
  const out = lowFull ? [] : sameLength(xr, "9".repeat(n - 1)).map((p) => `"${x0}" ${p}`);
  const tail = highFull ? [] : sameLength("0".repeat(n - 1), yr).map((p) => `"${y0}" ${p}`);
  const [lo, hi] = [lowFull ? x0 : x0 + 1, highFull ? y0 : y0 - 1];
  if (lo <= hi) out.push(`${digitClass(lo, hi)}${anyDigits(n - 1)}`);
  return [...out, ...tail];
}

/** Integers stay below 10^15, where every value is a safe integer (zod's .int() checks that);
 *  bounds beyond it count as no bound. */
const MAX_DIGITS = 15;
const HUGE = 10 ** MAX_DIGITS;

/** Non-negative integers in [a, b] (b undefined: unbounded), without leading zeros. */
function naturals(a: number, b: number | undefined): string[] {
  const out: string[] = [];
  const la = String(a).length;
  const lb = b === undefined ? la : String(b).length;
  for (let d = la; d <= lb; d++) {
    const lo = Math.max(a, d === 1 ? 0 : 10 ** (d - 1));
    const hi = b === undefined ? 10 ** d - 1 : Math.min(b, 10 ** d - 1);
    out.push(...sameLength(String(lo), String(hi)));
  }
  if (b === undefined && la < MAX_DIGITS) out.push(`[1-9] [0-9]{${la},${MAX_DIGITS - 1}}`);
  return out;
}

/** Integers in [lo, hi], either bound optional. */
export function integerRange(low: number | undefined, high: number | undefined): string {
  const lo = low !== undefined && low > -HUGE ? low : undefined;
  const hi = high !== undefined && high < HUGE ? high : undefined;
  if (lo === undefined && hi === undefined) return "int";
  if (lo !== undefined && hi !== undefined && lo > hi) throw new Unsupported("empty range");
  const alts: string[] = [];
  if (lo === undefined || lo < 0) {
    const top = Math.min(hi ?? -1, -1); // the negative part is -(1…) mirrored
    alts.push(...naturals(-top, lo === undefined ? undefined : -lo).map((p) => `"-" ${p}`));
  }
  if (hi === undefined || hi >= 0) alts.push(...naturals(Math.max(lo ?? 0, 0), hi));
  return `(${alts.map((a) => `(${a})`).join(" | ")})`;
}

class Generator {
  readonly rules = new Map<string, string>(Object.entries(PRIMITIVES));
  private readonly refs = new Map<string, string>();
  private count = 0;

  constructor(private readonly root: Schema) {}

  private readonly byBody = new Map<string, string>();

  /** A named rule for `body` (one per distinct body). Repetitions must repeat a name, not an
   *  inline expression: llama.cpp copies what it repeats and refuses grammars that grow too large. */
  private rule(hint: string, body: string): string {
    if (/^[a-z][a-z0-9-]*$/.test(body) && this.rules.has(body)) return body;
    const known = this.byBody.get(body);
    if (known) return known;
    const name = `${hint.replace(/[^a-zA-Z0-9]+/g, "-").replace(/^-|-$/g, "") || "r"}-${++this.count}`;
    this.rules.set(name, body);
    this.byBody.set(body, name);
    return name;
  }

  private ref(ref: string): string {
    const known = this.refs.get(ref);
    if (known) return known;
    let target: unknown = this.root;
    if (ref !== "#") {
      if (!ref.startsWith("#/")) throw new Unsupported(`remote $ref ${ref}`);
      for (const key of ref.slice(2).split("/"))
        target = (target as Schema | undefined)?.[key.replace(/~1/g, "/").replace(/~0/g, "~")];
    }
    if (!target || typeof target !== "object") throw new Unsupported(`unresolved $ref ${ref}`);
    // Reserve the name before visiting, so a recursive schema refers to itself.
    const name = `ref-${++this.count}`;
    this.refs.set(ref, name);
    this.rules.set(name, this.visit(target as Schema, name));
    return name;
  }

  visit(s: Schema | boolean, hint: string): string {
    if (s === true || (typeof s === "object" && Object.keys(s).length === 0)) return "value";
    if (s === false) throw new Unsupported("false schema");
    for (const key of ["allOf", "not", "if", "multipleOf", "prefixItems", "patternProperties"])
      if (key in s) throw new Unsupported(key);
    // A pattern beside a format we encode (zod adds one to date-times) is already satisfied.
    if ("pattern" in s && s.format !== "date-time" && s.format !== "date")
      throw new Unsupported("pattern");
    if (typeof s.$ref === "string") return this.ref(s.$ref);
    if ("const" in s) return literal(JSON.stringify(s.const));
    if (Array.isArray(s.enum))
      return `(${s.enum.map((v) => literal(JSON.stringify(v))).join(" | ")})`;
    const union = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
    if (Array.isArray(union))
      return `(${union.map((b, i) => this.visit(b, `${hint}-${i}`)).join(" | ")})`;
    if (Array.isArray(s.type))
      return `(${s.type.map((t) => this.visit({ ...s, type: t }, hint)).join(" | ")})`;
    switch (s.type) {
      case "string":
        return this.string(s);
      case "integer":
      case "number":
        return this.number(s);
      case "boolean":
        return "boolean";
      case "null":
        return "null";
      case "array":
        return this.array(s, hint);
      case "object":
        return this.object(s, hint);
      case undefined:
        return "value";
      default:
        throw new Unsupported(`type ${String(s.type)}`);
    }
  }

  private string(s: Schema): string {
    if (s.format === "date-time") return "datetime";
    if (s.format === "date") return "date";
    if (s.format === "uri") return "uri";
    if (s.format !== undefined) throw new Unsupported(`format ${String(s.format)}`);
    const min = typeof s.minLength === "number" ? s.minLength : 0;
    const max = typeof s.maxLength === "number" ? s.maxLength : undefined;
    if (min === 0 && max === undefined) return "string";
    return this.rule(`str-${min}-${max ?? "n"}`, `"\\"" bchar{${min},${max ?? ""}} "\\""`);
  }

  private number(s: Schema): string {
    const num = (k: string) => (typeof s[k] === "number" ? (s[k] as number) : undefined);
    const [min, max, exMin, exMax] = [
      num("minimum"),
      num("maximum"),
      num("exclusiveMinimum"),
      num("exclusiveMaximum"),
    ];
    const bounded = [min, max, exMin, exMax].some((b) => b !== undefined);
    if (!bounded) return s.type === "integer" ? "int" : "number";
    // Bounded numbers are written as integers in range: narrower than the schema, always valid.
    const lo =
      min !== undefined ? Math.ceil(min) : exMin !== undefined ? Math.floor(exMin) + 1 : undefined;
    const hi =
      max !== undefined ? Math.floor(max) : exMax !== undefined ? Math.ceil(exMax) - 1 : undefined;
    return integerRange(lo, hi);
  }

  private array(s: Schema, hint: string): string {
    if (Array.isArray(s.items)) throw new Unsupported("tuple items");
    const item = this.rule(
      `${hint}-item`,
      this.visit((s.items as Schema | undefined) ?? {}, `${hint}-item`),
    );
    const min = typeof s.minItems === "number" ? s.minItems : 0;
    const max = typeof s.maxItems === "number" ? s.maxItems : undefined;
    if (max === 0) return '"[" ws "]"';
    const more = `("," ws ${item}){${Math.max(min - 1, 0)},${max === undefined ? "" : max - 1}}`;
    const items = `${item} ${more}`;
    return `"[" ws ${min === 0 ? `(${items})?` : items} ws "]"`;
  }

  private object(s: Schema, hint: string): string {
    const props = Object.entries((s.properties as Record<string, Schema> | undefined) ?? {});
    if (props.length === 0) {
      const extra = s.additionalProperties;
      if (extra === false) return '"{" ws "}"';
      const value =
        extra && typeof extra === "object" ? this.visit(extra as Schema, `${hint}-value`) : "value";
      const pair = `string ws ":" ws ${value}`;
      return `"{" ws (${pair} ("," ws ${pair})*)? ws "}"`;
    }
    const required = new Set((s.required as string[] | undefined) ?? []);
    const pairs = props.map(
      ([k, v]) => `${literal(JSON.stringify(k))} ws ":" ws ${this.visit(v, `${hint}-${k}`)}`,
    );
    // rest(i, first): the keys from i on, in order, optional ones skippable, commas only between.
    const memo = new Map<string, string>();
    const rest = (i: number, first: boolean): string => {
      if (i === props.length) return "";
      const key = `${i}-${first}`;
      const known = memo.get(key);
      if (known !== undefined) return known;
      const sep = first ? "" : '"," ws ';
      const take = `${sep}${pairs[i]} ${rest(i + 1, false)}`.trim();
      const skip = rest(i + 1, first);
      const body = required.has(props[i]![0]) ? take : skip ? `(${take}) | ${skip}` : `(${take})?`;
      const name = this.rule(`${hint}-k${i}`, body);
      memo.set(key, name);
      return name;
    };
    return `"{" ws ${rest(0, true)} ws "}"`;
  }
}

/** The GBNF grammar of a JSON schema, or undefined when the schema uses what it cannot express. */
export function jsonSchemaToGbnf(schema: Schema): string | undefined {
  try {
    const g = new Generator(schema);
    const root = g.visit(schema, "root");
    return [`root ::= ${root}`, ...[...g.rules].map(([name, body]) => `${name} ::= ${body}`)].join(
      "\n",
    );
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
}
