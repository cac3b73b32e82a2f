// `atelya insights [--from date] [--to date] [--csv]`.
import type { Command } from "commander";
import { insights, insightsCsv } from "../../app/insights.js";
import { counted, credits } from "../../domain/format.js";
import { CliError } from "../errors.js";
import { withSession } from "../session.js";

const date = (v: string | undefined, end = false): Date | undefined => {
  if (v === undefined) return undefined;
  const d = new Date(`${v}T${end ? "23:59:59.999" : "00:00:00"}Z`);
  if (Number.isNaN(d.getTime())) throw new CliError(`"${v}" is not a date; use YYYY-MM-DD.`);
  return d;
};

export function registerInsights(program: Command): void {
  program
    .command("insights")
    .description("estimated hours saved, per completed room and in total")
    .option("--from <date>", "completed on or after (YYYY-MM-DD)")
    .option("--to <date>", "completed on or before (YYYY-MM-DD)")
    .option("--csv", "print the breakdown as CSV")
    .action((o: { from?: string; to?: string; csv?: boolean }) =>
      withSession(async (s) => {
        const from = date(o.from);
        const to = date(o.to, true);
        const range = { ...(from ? { from } : {}), ...(to ? { to } : {}) };
        if (o.csv)
          return void process.stdout.write(await insightsCsv(s.runtime.deps, s.actor, range));
        const i = await insights(s.runtime.deps, s.actor, range);
        process.stdout.write(
          `${i.totalHoursSaved} hours saved over ${counted(i.completedRooms, "completed room")} (${credits(i.totalCredits)})\n`,
        );
        for (const r of i.rows)
          process.stdout.write(
            `  ${new Date(r.completedAt).toISOString().slice(0, 10)}  ${String(r.hoursSaved).padStart(5)} h  ${r.title}${r.client ? ` — ${r.client}` : ""}\n`,
          );
      }),
    );
}
