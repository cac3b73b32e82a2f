// calculate: arithmetic for pricing tables, exact to the cent — an expression, or line items
// (quantity × unit price, discount, tax) returned as a Markdown table with totals.
import { z } from "zod";
import type { Tool } from "../types.js";
import { evaluate } from "./arithmetic.js";
import {
  HUNDRED,
  ZERO,
  add,
  div,
  isExactAt,
  mul,
  parseDecimal,
  round,
  sub,
  toDecimal,
  type Exact,
} from "./exact.js";

// Numbers arrive as JSON numbers or as text ("1,200.50"); both become exact decimals.
const Decimal = z.union([z.number(), z.string()]).transform((v, ctx): Exact => {
  const text = typeof v === "number" ? String(v) : v.replace(/,(?=\d{3}\b)/g, "");
  const parsed = /e/i.test(text) ? undefined : parseDecimal(text);
  if (parsed && parsed.n >= 0n) return parsed;
  ctx.addIssue({ code: "custom", message: `"${v}" is not a non-negative decimal number` });
  return z.NEVER;
});
const Percent = Decimal.refine((p) => p.n <= p.d * 100n, "a percentage is at most 100");

const LineItem = z.object({
  description: z.string().trim().min(1).max(200),
  quantity: Decimal,
  unit_price: Decimal,
  discount_percent: Percent.optional(),
});

const Args = z
  .object({
    expression: z.string().trim().min(1).max(500).optional(),
    line_items: z.array(LineItem).min(1).max(100).optional(),
    discount_percent: Percent.optional(),
    tax_percent: Percent.optional(),
    currency: z
      .string()
      .trim()
      .max(8)
      .optional()
      .describe("currency code or sign shown before amounts, e.g. EUR"),
  })
  .refine(
    (a) => (a.expression === undefined) !== (a.line_items === undefined),
    "give either expression or line_items",
  );

type Args = z.output<typeof Args>;

const percentOf = (amount: Exact, percent: Exact) => round(div(mul(amount, percent), HUNDRED), 2);

function lineItems(a: Args) {
  const currency = a.currency ? `${a.currency} ` : "";
  const money = (x: Exact) =>
    `${currency}${toDecimal(x, { minPlaces: 2, maxPlaces: 2, group: true })}`;
  const plain = (x: Exact) => toDecimal(x, { group: true });
  const rows = a.line_items!.map((l) => {
    const gross = round(mul(l.quantity, l.unit_price), 2);
    const off = l.discount_percent ? percentOf(gross, l.discount_percent) : ZERO;
    return { ...l, amount: sub(gross, off) };
  });
  const subtotal = rows.reduce((s, r) => add(s, r.amount), ZERO);
  const discount = a.discount_percent ? percentOf(subtotal, a.discount_percent) : ZERO;
  const tax = a.tax_percent ? percentOf(sub(subtotal, discount), a.tax_percent) : ZERO;
  const total = add(sub(subtotal, discount), tax);
  const cell = (s: string) => s.replace(/\|/g, "\\|");
  const table = [
    "| Item | Qty | Unit price | Amount |",
    "| --- | ---: | ---: | ---: |",
    ...rows.map(
      (r) =>
        `| ${cell(r.description)}${r.discount_percent ? ` (−${plain(r.discount_percent)}%)` : ""} | ${plain(r.quantity)} | ${money(r.unit_price)} | ${money(r.amount)} |`,
    ),
    `| Subtotal | | | ${money(subtotal)} |`,
    ...(a.discount_percent
      ? [`| Discount (${plain(a.discount_percent)}%) | | | −${money(discount)} |`]
      : []),
    ...(a.tax_percent ? [`| Tax (${plain(a.tax_percent)}%) | | | ${money(tax)} |`] : []),
    `| **Total** | | | **${money(total)}** |`,
  ];
  const dec = (x: Exact) => toDecimal(x, { minPlaces: 2, maxPlaces: 2 });
  return {
    output: table.join("\n"),
    data: {
      currency: a.currency ?? null,
      lines: rows.map((r) => ({ description: r.description, amount: dec(r.amount) })),
      subtotal: dec(subtotal),
      discount: dec(discount),
      tax: dec(tax),
      total: dec(total),
    },
  };
}

export const calculate: Tool<Args> = {
  name: "calculate",
  description:
    "Exact arithmetic for prices. Either `expression` (numbers, + - * / ( ) and %; 'a + 15%' adds 15 % of a, " +
    "'a - 10%' takes 10 % off) or `line_items` (description, quantity, unit_price, optional discount_percent) " +
    "with optional discount_percent, tax_percent and currency, returned as a Markdown table with totals rounded to the cent.",
  inputSchema: Args,
  async run(a) {
    if (a.line_items) return lineItems(a);
    const value = evaluate(a.expression!);
    const shown = toDecimal(value, { group: true });
    const approx = !isExactAt(value, 10);
    return {
      output: `${a.expression} = ${approx ? "≈ " : ""}${shown}`,
      data: { value: toDecimal(value), exact: !approx },
    };
  },
};
