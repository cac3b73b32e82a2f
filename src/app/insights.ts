// Insights (SPEC 9): hours saved per completed room and in total, filtered by completion date, and
// a CSV export for owners and admins.
import { DomainError } from "../domain/errors.js";
import { poolExec } from "../engine/deps.js";
import { listWorkrooms } from "../store/workrooms.js";
import { authorize, type Actor, type AppDeps } from "./context.js";

export interface InsightRow {
  id: string;
  title: string;
  client: string | null;
  completedAt: number;
  rounds: number;
  credits: number;
  hoursSaved: number;
}

export interface Insights {
  totalHoursSaved: number;
  completedRooms: number;
  totalCredits: number;
  rows: InsightRow[];
}

/** Completed rooms with their estimated hours saved; `from`/`to` filter by completion date (inclusive). */
export async function insights(
  deps: AppDeps,
  actor: Actor,
  range: { from?: Date; to?: Date } = {},
): Promise<Insights> {
  authorize(actor, "workroom.read");
  if (range.from && range.to && range.from > range.to)
    throw new DomainError("invalid_input", "The start of the range is after its end.");
  const rooms = await listWorkrooms(poolExec(deps), actor.workspaceId);
  const rows = rooms
    .filter((r) => r.completedAt !== null && r.hoursSaved !== null)
    .filter(
      (r) =>
        (!range.from || r.completedAt! >= range.from.getTime()) &&
        (!range.to || r.completedAt! <= range.to.getTime()),
    )
    .map((r) => ({
      id: r.id,
      title: r.title,
      client: r.client,
      completedAt: r.completedAt!,
      rounds: r.finalRound,
      credits: r.creditsSpent,
      hoursSaved: r.hoursSaved!,
    }))
    .sort((a, b) => b.completedAt - a.completedAt);
  return {
    totalHoursSaved: Math.round(rows.reduce((n, r) => n + r.hoursSaved, 0) * 10) / 10,
    completedRooms: rows.length,
    totalCredits: rows.reduce((n, r) => n + r.credits, 0),
    rows,
  };
}

const csvCell = (v: string | number | null): string => {
  let s = v === null ? "" : String(v);
  // A text cell starting like a formula (=, +, -, @) would run as one in a spreadsheet: a room
  // title is typed by any member, the file is opened by an owner. Numbers stay numbers.
  if (typeof v === "string" && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** The breakdown as CSV (owners and admins). */
export async function insightsCsv(
  deps: AppDeps,
  actor: Actor,
  range: { from?: Date; to?: Date } = {},
): Promise<string> {
  authorize(actor, "insights.export");
  const { rows } = await insights(deps, actor, range);
  const lines = [
    ["workroom_id", "title", "client", "completed_at", "rounds", "credits", "hours_saved"].join(
      ",",
    ),
  ];
  for (const r of rows)
    lines.push(
      [
        r.id,
        r.title,
        r.client,
        new Date(r.completedAt).toISOString(),
        r.rounds,
        r.credits,
        r.hoursSaved,
      ]
        .map(csvCell)
        .join(","),
    );
  return `${lines.join("\n")}\n`;
}
