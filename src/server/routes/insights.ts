// Insights: hours saved in total and per completed workroom, and the same breakdown as CSV for
// owners and admins.
import { insights, insightsCsv } from "../../app/insights.js";
import { defineRoute, type Route } from "../route.js";
import { InsightsQuery, InsightsSchema, insightsRange, toInsightsView } from "../views/insights.js";

const tags = ["insights"] as const;

const getInsights = defineRoute({
  method: "GET",
  path: "/api/v1/insights",
  operationId: "getInsights",
  summary: "Estimated hours saved, in total and per completed workroom",
  tags,
  auth: "workspace",
  action: "workroom.read",
  query: InsightsQuery,
  response: { kind: "json", schema: InsightsSchema },
  handler: async ({ deps, actor, query }) =>
    toInsightsView(await insights(deps, actor, insightsRange(query))),
});

const getInsightsCsv = defineRoute({
  method: "GET",
  path: "/api/v1/insights.csv",
  operationId: "exportInsightsCsv",
  summary: "The per-workroom breakdown as CSV (owners and admins)",
  tags,
  auth: "workspace",
  action: "insights.export",
  query: InsightsQuery,
  response: {
    kind: "file",
    contentTypes: ["text/csv"],
    description:
      "A header row, then one row per completed workroom: workroom_id, title, client, completed_at, rounds, credits, hours_saved.",
  },
  handler: async ({ deps, actor, query }) => ({
    filename: `atelya-insights-${deps.clock.now().toISOString().slice(0, 10)}.csv`,
    mimeType: "text/csv; charset=utf-8",
    bytes: await insightsCsv(deps, actor, insightsRange(query)),
  }),
});

export const routes: readonly Route[] = [getInsights, getInsightsCsv];
