// calculate: safe arithmetic for pricing tables — an expression (+ − × ÷, parentheses, percentages)
// or line items (quantity × unit price, discount, tax) totalled in exact cents. Never eval.
import { z } from "zod";
import { parametersOf } from "../registry.js";
import { ToolError, type Tool } from "../types.js";

const LineItem = z.object({
  description: z.string().min(1).max(200),
  quantity: z.number().min(0),
  unit_price: z.number().min(0),
});
const Args = z
  .object({
    expression: z.string().min(1).max(500).optional(),
    line_items: z.array(LineItem).min(1).max(100).optional(),
    discount_percent: z.number().min(0).max(100).default(0),
    tax_percent: z.number().min(0).max(100).default(0),
    currency: z.string().max(8).default(""),
  })
  .refine(
    (a) => (a.expression === undefined) !== (a.line_items === undefined),
    "give either expression or line_items",
  );

/** Recursive-descent evaluation of + - * / ( ) and `n%` (n / 100). */
export function evaluate(expression: string): number {
  const src = expression
    .replace(/[×x]/g, "*")
    .replace(/÷/g, "/")
    .replace(/,(?=\d{3}\b)/g, "");
  let i = 0;
  const peek = () => src[i];
  const skip = () => {
    while (src[i] === " ") i++;
  };
  const fail = (what: string): never => {
    throw new ToolError(
      "invalid_args",
      `Cannot read the expression at position ${i + 1}: ${what}. Use numbers, + - * / ( ) and %.`,
    );
  };
  const number = (): number => {
    skip();
    const m = /^\d+(\.\d+)?/.exec(src.slice(i));
    if (!m) return fail("expected a number");
    i += m[0].length;
    skip();
    if (peek() === "%") {
      i++;
      return Number(m[0]) / 100;
    }
    return Number(m[0]);
  };
  const factor = (): number => {
    skip();
    if (peek() === "-") {
      i++;
      return -factor();
    }
    if (peek() === "(") {
      i++;
      const v = sum();
      skip();
      if (peek() !== ")") fail("missing )");
      i++;
      return v;
    }
    return number();
  };
  const product = (): number => {
    let v = factor();
    for (skip(); peek() === "*" || peek() === "/"; skip()) {
      const op = src[i++];
      const r = factor();
      if (op === "/" && r === 0) throw new ToolError("invalid_args", "Division by zero.");
      v = op === "*" ? v * r : v / r;
    }
    return v;
  };
  const sum = (): number => {
    let v = product();
    for (skip(); peek() === "+" || peek() === "-"; skip())
      v = src[i++] === "+" ? v + product() : v - product();
    return v;
  };
  const v = sum();
  skip();
  if (i < src.length) fail(`unexpected "${src[i]}"`);
  return Math.round(v * 1e10) / 1e10;
}

const cents = (n: number) => Math.round(n * 100);
const money = (c: number, cur: string) =>
  `${cur ? `${cur} ` : ""}${(c / 100).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

export const calculate: Tool = {
  name: "calculate",
  description:
    "Exact arithmetic for prices: an expression like '12 * 850 + 15%', or line items (quantity, unit price) with discount and tax, returned as a Markdown table with totals.",
  args: Args as unknown as Tool["args"],
  parameters: parametersOf(Args),
  async run(raw) {
    const a = Args.parse(raw);
    if (a.expression !== undefined) {
      const value = evaluate(a.expression);
      return { output: `${a.expression} = ${value}`, data: { value } };
    }
    const rows = a.line_items!.map((l) => ({
      ...l,
      total: Math.round(l.quantity * cents(l.unit_price)),
    }));
    const subtotal = rows.reduce((n, r) => n + r.total, 0);
    const discount = Math.round((subtotal * a.discount_percent) / 100);
    const tax = Math.round(((subtotal - discount) * a.tax_percent) / 100);
    const total = subtotal - discount + tax;
    const lines = [
      "| Item | Qty | Unit price | Amount |",
      "| --- | ---: | ---: | ---: |",
      ...rows.map(
        (r) =>
          `| ${r.description} | ${r.quantity} | ${money(cents(r.unit_price), a.currency)} | ${money(r.total, a.currency)} |`,
      ),
      `| Subtotal | | | ${money(subtotal, a.currency)} |`,
      ...(discount
        ? [`| Discount (${a.discount_percent}%) | | | −${money(discount, a.currency)} |`]
        : []),
      ...(tax ? [`| Tax (${a.tax_percent}%) | | | ${money(tax, a.currency)} |`] : []),
      `| **Total** | | | **${money(total, a.currency)}** |`,
    ];
    return {
      output: lines.join("\n"),
      data: {
        subtotal: subtotal / 100,
        discount: discount / 100,
        tax: tax / 100,
        total: total / 100,
      },
    };
  },
};
