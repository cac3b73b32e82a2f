import { describe, expect, it } from "vitest";
import { evaluate } from "./builtins/arithmetic.js";
import { toDecimal } from "./builtins/exact.js";
import { builtinTools } from "./builtins/index.js";
import { createToolRegistry } from "./registry.js";

const value = (expression: string) => toDecimal(evaluate(expression));
const registry = createToolRegistry({ builtins: builtinTools() });
const run = (args: unknown) =>
  registry.runGranted(["calculate"], "calculate", args, {
    signal: new AbortController().signal,
    inputs: [],
    now: () => new Date("2026-11-24T10:00:00Z"),
  });

describe("calculate: expressions", () => {
  it("is exact where floating point is not", () => {
    expect(value("0.1 + 0.2")).toBe("0.3");
    expect(value("100 / 3 * 3")).toBe("100");
    expect(value("1,200.50 * 3")).toBe("3601.5");
    expect(value("(1,200 + 300) * 2 / 3")).toBe("1000");
    expect(value("-(2 - 5) × 4 ÷ 2")).toBe("6");
  });

  it("reads percentages as a calculator does", () => {
    expect(value("12 * 850 + 15%")).toBe("11730"); // adds 15 % of 10,200
    expect(value("€12,000 - 10%")).toBe("10800");
    expect(value("20% * 4,500")).toBe("900");
    expect(value("4500 * 20%")).toBe("900");
    expect(value("15%")).toBe("0.15");
  });

  it("refuses anything but arithmetic, with where it stopped", () => {
    expect(() => evaluate("2 ** 3")).toThrow(/expected a number at character 4/);
    expect(() => evaluate("process.exit(1)")).toThrow(/Cannot read the expression at "process.exi/);
    expect(() => evaluate("(1 + 2")).toThrow(/a missing \)/);
    expect(() => evaluate("1/0")).toThrow("Division by zero.");
    expect(() => evaluate("1/(2-2)")).toThrow("Division by zero.");
  });

  it("shows the result, marking a rounded one", async () => {
    expect((await run({ expression: "12 * 850 + 15%" })).output).toBe("12 * 850 + 15% = 11,730");
    const third = await run({ expression: "10 / 3" });
    expect(third.output).toBe("10 / 3 = ≈ 3.3333333333");
    expect(third.data).toEqual({ value: "3.3333333333", exact: false });
  });
});

describe("calculate: line items", () => {
  it("totals a pricing table in exact cents with discount and tax, as Markdown", async () => {
    const r = await run({
      line_items: [
        { description: "Discovery workshop", quantity: 2, unit_price: 1450 },
        { description: "Design sprint", quantity: 3, unit_price: "0.10" },
        { description: "Pilot build | 3 stores", quantity: 1, unit_price: "12,000" },
      ],
      discount_percent: 10,
      tax_percent: 23,
      currency: "EUR",
    });
    expect(r.output).toBe(
      [
        "| Item | Qty | Unit price | Amount |",
        "| --- | ---: | ---: | ---: |",
        "| Discovery workshop | 2 | EUR 1,450.00 | EUR 2,900.00 |",
        "| Design sprint | 3 | EUR 0.10 | EUR 0.30 |",
        "| Pilot build \\| 3 stores | 1 | EUR 12,000.00 | EUR 12,000.00 |",
        "| Subtotal | | | EUR 14,900.30 |",
        "| Discount (10%) | | | −EUR 1,490.03 |",
        "| Tax (23%) | | | EUR 3,084.36 |",
        "| **Total** | | | **EUR 16,494.63** |",
      ].join("\n"),
    );
    expect(r.data).toMatchObject({
      subtotal: "14900.30",
      discount: "1490.03",
      tax: "3084.36",
      total: "16494.63",
    });
  });

  it("rounds each line half up to the cent and applies a line discount", async () => {
    const r = await run({
      line_items: [
        { description: "Strategy (half day)", quantity: 0.5, unit_price: "1,333.33" },
        { description: "Copy", quantity: 7, unit_price: 85, discount_percent: 15 },
      ],
    });
    // 666.665 → 666.67; 595 − 15 % = 505.75
    expect(r.data).toMatchObject({
      lines: [
        { description: "Strategy (half day)", amount: "666.67" },
        { description: "Copy", amount: "505.75" },
      ],
      total: "1172.42",
    });
    expect(r.output).toContain("| Copy (−15%) | 7 | 85.00 | 505.75 |");
  });

  it("asks for exactly one of expression and line_items, and valid numbers", async () => {
    await expect(run({})).rejects.toMatchObject({
      code: "invalid_args",
      message: expect.stringContaining("give either expression or line_items"),
    });
    await expect(
      run({
        line_items: [{ description: "Hosting", quantity: -1, unit_price: "12 euros" }],
        tax_percent: 120,
      }),
    ).rejects.toMatchObject({
      issues: [
        'line_items.0.quantity: "-1" is not a non-negative decimal number',
        'line_items.0.unit_price: "12 euros" is not a non-negative decimal number',
        "tax_percent: a percentage is at most 100",
      ],
    });
  });
});
