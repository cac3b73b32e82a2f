// The wire shapes of the credit balance, the ledger and per-workroom cost (SPEC 5).
import { z } from "zod";
import type { BalanceView, RoomCost } from "../../app/credits.js";
import { crossesThreshold, MAX_TOPUP, THRESHOLD_FRACTION } from "../../domain/credits.js";
import { WORKROOM_STATES } from "../../domain/workroom.js";
import type { LedgerEntry } from "../../store/ledger.js";
import { NextBefore } from "./paging.js";

const iso = (ms: number) => new Date(ms).toISOString();

export const BalanceSchema = z
  .object({
    total: z.number().int().meta({ description: "Allowance left plus top-ups." }),
    allowance: z.number().int().meta({ description: "What is left of this month's allowance." }),
    topup: z.number().int().meta({ description: "Top-up credits (never expire)." }),
    monthly_allowance: z.number().int().meta({
      description:
        "The plan's allowance a month. A plan changed mid-month gives its allowance from the next month.",
    }),
    allowance_granted: z.number().int().meta({
      description:
        "What this month's grant gave: the plan's monthly allowance when the month began.",
    }),
    period: z.string().meta({ description: "The allowance month, e.g. 2026-11 (UTC)." }),
    allowance_notice: z.boolean().meta({
      description: `True once ${THRESHOLD_FRACTION * 100}% of this month's grant (allowance_granted) is spent.`,
    }),
  })
  .meta({ id: "CreditBalance" });

export const LedgerEntrySchema = z
  .object({
    id: z.number().int(),
    kind: z.enum(["allowance_grant", "allowance_expiry", "topup", "debit", "adjustment"]),
    credits: z.number().int().meta({ description: "Signed: a debit is negative." }),
    allowance_delta: z.number().int(),
    topup_delta: z.number().int(),
    workroom_id: z.string().nullable(),
    note: z.string(),
    at: z.iso.datetime(),
  })
  .meta({ id: "LedgerEntry" });

export const LedgerPageSchema = z
  .object({
    entries: z.array(LedgerEntrySchema),
    next_before: NextBefore,
  })
  .meta({ id: "LedgerPage" });

export const TopUpRequestSchema = z
  .object({
    amount: z
      .number()
      .int("a top-up is a whole number of credits")
      .positive("a top-up is a positive number of credits")
      .max(MAX_TOPUP, `a top-up is at most ${MAX_TOPUP} credits`),
    idempotency_key: z.string().min(1).max(200).optional().meta({
      description:
        "Or the Idempotency-Key header (both at once must be the same key, else 400): a retry with the same key adds once.",
    }),
  })
  .meta({ id: "TopUpRequest" });

export const RoomCostListSchema = z
  .object({
    workrooms: z.array(
      z.object({
        id: z.string(),
        title: z.string(),
        client: z.string().nullable(),
        state: z.enum(WORKROOM_STATES),
        credits_spent: z.number().int(),
        max_credits: z.number().int().nullable(),
      }),
    ),
  })
  .meta({ id: "WorkroomCostList" });

export const toBalanceView = (b: BalanceView): z.input<typeof BalanceSchema> => ({
  total: b.total,
  allowance: b.allowance,
  topup: b.topup,
  monthly_allowance: b.monthlyAllowance,
  allowance_granted: b.granted,
  period: b.period,
  // The same line the engine raises its threshold event at (from nothing spent to what is spent).
  allowance_notice: crossesThreshold(0, b.granted - b.allowance, b.granted),
});

export const toLedgerEntryView = (e: LedgerEntry): z.input<typeof LedgerEntrySchema> => ({
  id: e.id,
  kind: e.kind,
  credits: e.allowanceDelta + e.topupDelta,
  allowance_delta: e.allowanceDelta,
  topup_delta: e.topupDelta,
  workroom_id: e.workroomId,
  note: e.note,
  at: iso(e.at),
});

export const toRoomCostView = (r: RoomCost) => ({
  id: r.id,
  title: r.title,
  client: r.client,
  state: r.state,
  credits_spent: r.creditsSpent,
  max_credits: r.maxCredits,
});
