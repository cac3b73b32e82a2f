// `atelya show <id>` and `atelya resume <id>`.
import type { Command } from "commander";
import { control, getWorkroom, setMaxCredits, workroomHistory } from "../../app/workrooms.js";
import { wholeNumber } from "../options.js";
import { describeEvent } from "../../domain/event-text.js";
import { credits, utcTime } from "../../domain/format.js";
import { isRestingState, type WorkroomState } from "../../domain/workroom.js";
import { poolExec } from "../../engine/deps.js";
import { listMembers } from "../../store/users.js";
import { CliError } from "../errors.js";
import { withRoomSession, type Session } from "../session.js";
import { finish } from "./run.js";

/** Why a room at rest (other than paused) has nothing to resume, and what to do instead. */
const AT_REST: Partial<Record<WorkroomState, string>> = {
  draft: "has not started (start it in the web app or the API)",
  completed: "is completed (revise it with `atelya revise`)",
  failed: "failed (plan it again with `atelya replan`, then resume)",
  cancelled: "was cancelled for good",
};

export function registerRooms(program: Command): void {
  program
    .command("show <id>")
    .description("show a workroom: state, plan, drafts and history")
    .action((id: string) =>
      withRoomSession(id, async (s) => {
        const d = await getWorkroom(s.runtime.deps, s.actor, id, { drafts: false });
        const out = process.stdout;
        const r = d.room;
        out.write(
          `${r.title}  [${r.state}${r.pauseReason ? `: ${r.pauseReason}` : ""}]  ${r.id}\n`,
        );
        out.write(`goal: ${r.goal}\ndeliverables: ${r.deliverables.join(", ")}\n`);
        out.write(
          `credits: ${r.creditsSpent}${r.maxCredits ? ` of ${r.maxCredits}` : ""}; round ${r.finalRound}\n`,
        );
        if (r.resumeAt !== null)
          out.write(
            r.resumeAt > s.runtime.deps.clock.now().getTime()
              ? `resumes by itself at ${utcTime(r.resumeAt)}, when the model provider's wait is over (\`atelya resume\` sooner: the call still waits until then)\n`
              : `the model provider's wait ended at ${utcTime(r.resumeAt)}: it resumes as soon as a worker runs (\`atelya serve\`, \`atelya worker\` or \`atelya resume\`)\n`,
          );
        if (r.failureReason) out.write(`failure: ${r.failureReason}\n`);
        out.write("\nplan:\n");
        for (const t of d.tasks)
          out.write(
            `  ${t.ordinal}. ${t.title} (${t.type}) ${t.dependsOn.length ? `after ${t.dependsOn.join(", ")} ` : ""}— ${t.status}${t.credits ? `, ${credits(t.credits)}` : ""}\n`,
          );
        if (d.rounds.length)
          out.write(`\ndrafts: ${d.rounds.map((x) => `round ${x.round}`).join(", ")}\n`);
        out.write("\nhistory:\n");
        const members = await listMembers(poolExec(s.runtime.deps), s.workspace.id);
        const context = {
          tasks: d.tasks,
          agents: d.agents,
          // What was done from this command line is the reader's own doing.
          people: new Map([
            ...members.map((m) => [m.user.id, m.user.name] as const),
            ["cli", "You"],
          ]),
        };
        for (const e of await workroomHistory(s.runtime.deps, s.actor, id)) {
          const { text, detail } = describeEvent(e, context);
          out.write(
            `  ${String(e.seq).padStart(4)} ${new Date(e.at).toISOString().slice(11, 19)}  ${text}\n`,
          );
          if (detail) out.write(`                 “${clip(detail, 300)}”\n`);
        }
      }),
    );

  program
    .command("resume <id>")
    .description(
      "resume a paused workroom, or finish one whose worker stopped, following it to the end",
    )
    .option("--max-credits <n>", "raise (or set) the room's credit cap first", wholeNumber(1))
    .option("-o, --out <dir>", "where to write the deliverable", ".")
    .action((id: string, o: { out: string; maxCredits?: number }) =>
      withRoomSession(
        id,
        async (s) => {
          const { room } = await getWorkroom(s.runtime.deps, s.actor, id, { drafts: false });
          if (room.state !== "paused" && isRestingState(room.state))
            throw new CliError(`${room.title} ${AT_REST[room.state]}; nothing to resume.`);
          if (o.maxCredits !== undefined) {
            const capped = await setMaxCredits(s.runtime.deps, s.actor, id, o.maxCredits);
            process.stdout.write(
              `Credit cap: ${capped.maxCredits} (was ${room.maxCredits ?? "none"}).\n`,
            );
          }
          if (room.state === "paused")
            await control(s.runtime.deps, s.actor, id, { type: "resume" });
          const held = await heldElsewhere(s, id);
          if (held) process.stdout.write(`${held}\n`);
          await finish(s, id, o.out);
        },
        { tools: true },
      ),
    );
}

/**
 * What another process holds of the room (a step claimed, its lease running), in words: a process
 * killed mid-step keeps its hold until the lease runs out, and `resume` would otherwise wait that
 * long in silence. Read before this command starts a worker, so no hold is its own.
 */
async function heldElsewhere(s: Session, roomId: string): Promise<string | undefined> {
  const now = s.runtime.deps.clock.now().getTime();
  const step = await s.runtime.deps.store.db
    .selectFrom("steps")
    .leftJoin("tasks", "tasks.id", "steps.task_id")
    .select(["steps.kind", "steps.lease_expires_at", "tasks.ordinal", "tasks.title"])
    .where("steps.workroom_id", "=", roomId)
    .where("steps.status", "=", "claimed")
    .where("steps.lease_expires_at", ">", now)
    .orderBy("steps.lease_expires_at", "desc")
    .executeTakeFirst();
  if (!step?.lease_expires_at) return undefined;
  const what =
    step.ordinal !== null ? `Task ${step.ordinal} (${step.title})` : `Its ${step.kind} step`;
  const until = new Date(step.lease_expires_at).toISOString().slice(11, 19);
  const seconds = Math.ceil((step.lease_expires_at - now) / 1000);
  return `${what} is held by another worker until ${until} UTC (${seconds} s from now): if that process stopped, this one takes it over then; following meanwhile.`;
}

/** One line of at most `max` characters. */
function clip(text: string, max: number): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
