// The pricing table: credits per token for each model. One credit is worth about a US cent of
// provider cost; rates are listed per million tokens for readability. Editable through config.
import type { ModelRates } from "../domain/credits.js";

export interface PriceEntry {
  /** Credits per million input tokens. */
  inPerMillion: number;
  /** Credits per million output tokens. */
  outPerMillion: number;
  /** Credits per million cached input tokens (defaults to inPerMillion). */
  cachedInPerMillion?: number;
}

export type PricingTable = Record<string, PriceEntry>;

/** Rates for a model not in the table (stated in docs/configuration.md). */
export const DEFAULT_PRICE: PriceEntry = { inPerMillion: 300, outPerMillion: 1500 };

export const DEFAULT_PRICING: PricingTable = {
  "anthropic:claude-sonnet-4-5": { inPerMillion: 300, outPerMillion: 1500, cachedInPerMillion: 30 },
  "anthropic:claude-haiku-4-5": { inPerMillion: 100, outPerMillion: 500, cachedInPerMillion: 10 },
  "anthropic:claude-opus-4-1": { inPerMillion: 1500, outPerMillion: 7500, cachedInPerMillion: 150 },
  "openai:gpt-4.1": { inPerMillion: 200, outPerMillion: 800, cachedInPerMillion: 50 },
  "openai:gpt-4.1-mini": { inPerMillion: 40, outPerMillion: 160, cachedInPerMillion: 10 },
  "openai:gpt-4o-mini": { inPerMillion: 15, outPerMillion: 60, cachedInPerMillion: 7.5 },
  // The scripted model costs what a mid-range hosted model would, so budgets behave realistically.
  scripted: { inPerMillion: 300, outPerMillion: 1500 },
};

/** Local models (embedded or OpenAI-compatible on this network) cost no provider money. */
const LOCAL_PRICE: PriceEntry = { inPerMillion: 0, outPerMillion: 0 };

export function priceOf(
  model: string,
  table: PricingTable = DEFAULT_PRICING,
  isLocal = false,
): PriceEntry {
  return table[model] ?? (isLocal ? LOCAL_PRICE : DEFAULT_PRICE);
}

export function ratesOf(entry: PriceEntry): ModelRates {
  return {
    inRate: entry.inPerMillion / 1e6,
    outRate: entry.outPerMillion / 1e6,
    cachedInRate: (entry.cachedInPerMillion ?? entry.inPerMillion) / 1e6,
  };
}
