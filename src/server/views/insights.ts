// The wire shapes of insights (SPEC 9): estimated hours saved, in total and per completed workroom.
import { z } from "zod";
import type { Insights } from "../../app/insights.js";

/** A day (`2026-11-01`) or a moment (`2026-11-01T09:00:00Z`). */
const DateOrTime = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

export const InsightsQuery = z.object({
  from: DateOrTime.optional().meta({
    description: "Completed on or after this day (UTC) or moment.",
  }),
  to: DateOrTime.optional().meta({
    description: "Completed on or before this day (the whole day, UTC) or moment.",
  }),
});

export const InsightsSchema = z
  .object({
    total_hours_saved: z.number(),
    completed_workrooms: z.number().int(),
    total_credits: z.number().int(),
    workrooms: z.array(
      z.object({
        id: z.string(),
        title: z.string(),
        client: z.string().nullable(),
        completed_at: z.iso.datetime(),
        rounds: z.number().int(),
        credits: z.number().int(),
        hours_saved: z.number(),
      }),
    ),
  })
  .meta({ id: "Insights" });

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The range of the query as dates; a bare `to` day includes that whole day. */
export function insightsRange(q: { from?: string | undefined; to?: string | undefined }) {
  const end = (s: string) => new Date(DAY.test(s) ? `${s}T23:59:59.999Z` : s);
  return {
    ...(q.from ? { from: new Date(DAY.test(q.from) ? `${q.from}T00:00:00.000Z` : q.from) } : {}),
    ...(q.to ? { to: end(q.to) } : {}),
  };
}

export const toInsightsView = (i: Insights): z.input<typeof InsightsSchema> => ({
  total_hours_saved: i.totalHoursSaved,
  completed_workrooms: i.completedRooms,
  total_credits: i.totalCredits,
  workrooms: i.rows.map((r) => ({
    id: r.id,
    title: r.title,
    client: r.client,
    completed_at: new Date(r.completedAt).toISOString(),
    rounds: r.rounds,
    credits: r.credits,
    hours_saved: r.hoursSaved,
  })),
});
