// The expression language of `calculate`: numbers (1,200.50), + - * / (also × ÷ x), parentheses
// and percentages. "a + 15%" adds 15 % of a and "a - 10%" takes 10 % off, as on a calculator;
// "15% * a" or "a * 15%" is 15 % of a. Parsed by recursive descent; nothing is ever eval'd.
import { ToolError } from "../errors.js";
import { HUNDRED, add, div, exact, isZero, mul, parseDecimal, sub, type Exact } from "./exact.js";

export class ExpressionError extends ToolError {
  override name = "ExpressionError";
  constructor(message: string) {
    super("invalid_args", message);
  }
}

type Token = { kind: "num"; value: Exact; at: number } | { kind: "op"; op: string; at: number };

// Thousands separators only in groups of three ("1,200,000.5"); currency signs are ignored.
const NUMBER = /^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|^\.\d+/;

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i]!;
    if (/[\s€$£]/.test(ch)) i++;
    else if (/[+\-*/()%×÷xX−]/.test(ch)) {
      const op =
        ch === "×" || ch === "x" || ch === "X" ? "*" : ch === "÷" ? "/" : ch === "−" ? "-" : ch;
      tokens.push({ kind: "op", op, at: i++ });
    } else {
      const m = NUMBER.exec(src.slice(i));
      if (!m)
        throw new ExpressionError(
          `Cannot read the expression at "${src.slice(i, i + 12)}" (character ${i + 1}). Use numbers, + - * / ( ) and %.`,
        );
      tokens.push({ kind: "num", value: parseDecimal(m[0].replace(/,/g, ""))!, at: i });
      i += m[0].length;
    }
  }
  return tokens;
}

/** The exact value of an arithmetic expression. */
export function evaluate(expression: string): Exact {
  const tokens = tokenize(expression);
  let pos = 0;
  const peek = () => tokens[pos];
  const isOp = (op: string) => {
    const t = peek();
    return t?.kind === "op" && t.op === op;
  };
  const fail = (what: string): never => {
    const t = peek();
    throw new ExpressionError(
      `Cannot read the expression: ${what} ${t ? `at character ${t.at + 1}` : "at the end"}. Use numbers, + - * / ( ) and %.`,
    );
  };

  // A term remembers whether it is a bare percentage, which "+" and "-" read as "of the left side".
  type Term = { value: Exact; percent: boolean };

  const primary = (): Term => {
    const t = peek();
    let value: Exact;
    if (t?.kind === "num") {
      pos++;
      value = t.value;
    } else if (isOp("(")) {
      pos++;
      value = sum();
      if (!isOp(")")) fail("a missing )");
      pos++;
    } else return fail("expected a number");
    if (isOp("%")) {
      pos++;
      return { value: div(value, HUNDRED), percent: true };
    }
    return { value, percent: false };
  };
  const unary = (): Term => {
    if (isOp("-")) {
      pos++;
      const t = unary();
      return { value: sub(exact(0n), t.value), percent: t.percent };
    }
    if (isOp("+")) pos++;
    return primary();
  };
  const product = (): Term => {
    let left = unary();
    while (isOp("*") || isOp("/")) {
      const op = (tokens[pos++] as { op: string }).op;
      const right = unary();
      if (op === "/" && isZero(right.value)) throw new ExpressionError("Division by zero.");
      left = {
        value: op === "*" ? mul(left.value, right.value) : div(left.value, right.value),
        percent: false,
      };
    }
    return left;
  };
  function sum(): Exact {
    let value = product().value;
    while (isOp("+") || isOp("-")) {
      const op = (tokens[pos++] as { op: string }).op;
      const right = product();
      const amount = right.percent ? mul(value, right.value) : right.value;
      value = op === "+" ? add(value, amount) : sub(value, amount);
    }
    return value;
  }

  if (tokens.length === 0) throw new ExpressionError("The expression is empty.");
  const value = sum();
  if (pos < tokens.length) fail("unexpected text");
  return value;
}
