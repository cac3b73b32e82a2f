// Credit arithmetic of SPEC 5: the cost of a call, of a revision round, reservations against the
// room's cap and the workspace balance, and how a debit is split between allowance and top-ups.

/** Credits per token for one model. */
export interface ModelRates {
  inRate: number;
  outRate: number;
  /** Cached input tokens are billed at this rate; defaults to inRate. */
  cachedInRate?: number;
}

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  /** Of inputTokens, how many were served from the provider's prompt cache. */
  cachedInputTokens?: number;
}

/** `max(1, ceil(input × in_rate + output × out_rate))`, cached input at its own rate. */
export function callCost(usage: TokenUsage, rates: ModelRates): number {
  const cached = Math.min(usage.cachedInputTokens ?? 0, usage.inputTokens);
  const raw =
    (usage.inputTokens - cached) * rates.inRate +
    cached * (rates.cachedInRate ?? rates.inRate) +
    usage.outputTokens * rates.outRate;
  // Rates are decimals: round away float noise before ceil so 0.1+0.2 tokens-worth is not 1 credit too many.
  return Math.max(1, Math.ceil(Math.round(raw * 1e9) / 1e9));
}

/** A revision round costs `max(5, ceil(base × 0.4))`, base being the room's original run. */
export function revisionCost(baseCredits: number): number {
  return Math.max(5, Math.ceil(Math.round(baseCredits * 0.4 * 1e9) / 1e9));
}

/** The worst case of a call before it is made: counted prompt tokens and the full output budget. */
export function reservationFor(
  promptTokens: number,
  maxOutputTokens: number,
  rates: ModelRates,
): number {
  return callCost({ inputTokens: promptTokens, outputTokens: maxOutputTokens }, rates);
}

export interface Headroom {
  /** The room's cap; null for no cap. */
  maxCredits: number | null;
  spent: number;
  /** Reservations of calls in flight in this room. */
  reserved: number;
  /** Workspace balance (allowance + top-ups) and its reservations in flight. */
  balance: number;
  balanceReserved: number;
}

export type ReservationVerdict =
  { ok: true } | { ok: false; reason: "budget" | "insufficient_credits" };

/** May a call reserving `amount` go ahead? Spent + reserved never crosses the cap or the balance. */
export function checkReservation(h: Headroom, amount: number): ReservationVerdict {
  if (h.maxCredits !== null && h.spent + h.reserved + amount > h.maxCredits)
    return { ok: false, reason: "budget" };
  if (h.balanceReserved + amount > h.balance) return { ok: false, reason: "insufficient_credits" };
  return { ok: true };
}

export interface Balance {
  allowance: number;
  topup: number;
}

/**
 * Splits a debit: the monthly allowance is spent first, then top-ups. The parts always add up to
 * `amount`: what a room is charged is what the ledger debits. Reservations keep a charge within
 * the balance; a charge that still exceeds it (a call reserved before the month turned to a
 * smaller grant) overdraws the allowance, and the next month's grant pays the overdraft back.
 */
export function splitDebit(balance: Balance, amount: number): { allowance: number; topup: number } {
  const fromAllowance = Math.min(Math.max(balance.allowance, 0), amount);
  const fromTopup = Math.min(Math.max(balance.topup, 0), amount - fromAllowance);
  return { allowance: amount - fromTopup, topup: fromTopup };
}

/** The allowance period a moment falls in (calendar month, UTC), e.g. "2026-11". */
export function allowancePeriod(at: Date): string {
  return at.toISOString().slice(0, 7);
}

/**
 * Whether a workspace whose allowance belongs to `stored` moves on to the month of `at`. Only ever
 * forward: a clock a moment behind the one that turned the month (another process, an NTP step
 * back, a transaction begun just before midnight) must not take the allowance back a month, which
 * would expire the new month's grant. Periods are "YYYY-MM", so they sort as text.
 */
export function allowanceDue(stored: string, at: Date): boolean {
  return allowancePeriod(at) > stored;
}

/** The fraction at which a room or workspace notice is raised (SPEC: 80%). */
export const THRESHOLD_FRACTION = 0.8;

/** The most credits one top-up adds (a typo's extra zeros are refused, and balances stay exact). */
export const MAX_TOPUP = 100_000_000;

/** True when going from `before` to `after` spent crosses 80% of `limit`. */
export function crossesThreshold(before: number, after: number, limit: number | null): boolean {
  if (limit === null || limit <= 0) return false;
  const line = limit * THRESHOLD_FRACTION;
  return before < line && after >= line;
}

/** Flat credit costs of platform actions that are not plain workroom model calls. */
export const ACTION_CREDIT_COSTS = {
  style_extraction: 3,
} as const;
