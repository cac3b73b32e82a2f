// `atelya run`: a whole workroom headless from files and flags, with live progress; writes the
// composed document as Markdown and prints a cost summary.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Command } from "commander";
import { wholeNumber } from "../options.js";
import { getDraft } from "../../app/revisions.js";
import { createWorkroom, startWorkroom, type WorkroomDetail } from "../../app/workrooms.js";
import { INPUT_KINDS, type InputBlock, type InputKind } from "../../domain/inputs.js";
import { exportFilename } from "../../domain/naming.js";
import { renderMarkdown } from "../../export/markdown.js";
import { configFromEnv } from "../config.js";
import { followRoom } from "../follow.js";
import { readTextFile } from "../files.js";
import { openSession, type Session } from "../session.js";
import { isModelName, NAME_HINT } from "../../domain/model-names.js";
import { poolExec } from "../../engine/deps.js";
import { roomUsage } from "../../store/ledger.js";
import { counted, credits, number, utcTime } from "../../domain/format.js";
import { CliError, FAILED, STOPPED_SHORT } from "../errors.js";
import { assertNever } from "../../domain/errors.js";
import { exportTo } from "./export.js";

const collect = (v: string, all: string[]) => [...all, v];

export async function readInput(spec: string): Promise<InputBlock> {
  const at = spec.indexOf(":");
  const kind = spec.slice(0, at);
  const path = spec.slice(at + 1);
  if (at < 1 || !path)
    throw new CliError(`--input takes kind:path (e.g. brief:./brief.md); got "${spec}".`);
  if (!(INPUT_KINDS as readonly string[]).includes(kind))
    throw new CliError(`Unknown input kind "${kind}"; use one of ${INPUT_KINDS.join(", ")}.`);
  const content = await readTextFile(path);
  return { kind: kind as InputKind, label: path.split("/").pop()!, content };
}

/** Refuses a name no provider serves before anything is made. */
export function checkModelName(name: string): void {
  if (!isModelName(name)) throw new CliError(`Unknown model "${name}": ${NAME_HINT}.`);
}

export async function writeDeliverable(
  s: Session,
  d: WorkroomDetail,
  dir: string,
  out: NodeJS.WriteStream,
): Promise<string> {
  if (d.room.finalRound < 1) throw new CliError("The room has no finished draft to write.");
  const draft = await getDraft(s.runtime.deps, s.actor, d.room.id, d.room.finalRound);
  await mkdir(dir, { recursive: true });
  const file = join(dir, exportFilename(d.room.title, draft.round, "md"));
  await writeFile(file, renderMarkdown(draft.document));
  out.write(`Deliverable: ${file}\n`);
  return file;
}

/** What to do about a paused room, by why it paused. */
function pausedAdvice(room: WorkroomDetail["room"]): string {
  const resume = `\`atelya resume ${room.id}\``;
  const reason = room.pauseReason ?? "user";
  switch (reason) {
    case "plan_review":
      return `The plan is ready for review: \`atelya show ${room.id}\`, then ${resume}.`;
    case "budget":
      return `Paused (budget): the next model call would cross the room's credit cap${room.maxCredits ? ` of ${room.maxCredits}` : ""}; no deliverable was written. Raise the cap and continue with \`atelya resume ${room.id} --max-credits <n>\`.`;
    case "insufficient_credits":
      return `Paused (insufficient_credits): the workspace has too few credits; no deliverable was written. Top up with \`atelya credits topup <n>\`, then ${resume}.`;
    case "rate_limited":
      return room.resumeAt === null
        ? `Paused (rate_limited): the model provider asked to wait; no deliverable was written. \`atelya show ${room.id}\` says until when, then ${resume}.`
        : `Paused (rate_limited): the model provider asked to wait; no deliverable was written. It resumes by itself at ${utcTime(room.resumeAt)} in any running Atelya worker (\`atelya serve\` or \`atelya worker\`); ${resume} follows it here (its call waits until then).`;
    case "user":
      return `Paused by a person; no deliverable was written. ${resume} continues it.`;
    default:
      return assertNever(reason, "pause reason");
  }
}

export async function printCostSummary(
  s: Session,
  d: WorkroomDetail,
  out: NodeJS.WriteStream,
): Promise<void> {
  const calls = await roomUsage(poolExec(s.runtime.deps), s.workspace.id, d.room.id);
  const tokens = calls.reduce((n, c) => n + c.input_tokens + c.output_tokens, 0);
  out.write(
    `Cost: ${credits(d.room.creditsSpent)} over ${counted(calls.length, "model call")} (${number(tokens)} tokens)`,
  );
  out.write(d.room.hoursSaved ? `; about ${d.room.hoursSaved} hours saved.\n` : ".\n");
}

export function registerRun(program: Command): void {
  program
    .command("run")
    .description("run a whole workroom headless from files and flags")
    .requiredOption("--title <title>", "workroom title")
    .option("--goal <goal>", "one paragraph; inferred from the inputs when empty")
    .option("--deliverable <label>", "deliverable label (repeatable)", collect, [])
    .option(
      "--input <kind:path>",
      "paste block from a .txt, .md, .docx or .pdf file (repeatable)",
      collect,
      [],
    )
    .option("--client <name>", "client name")
    .option("--max-credits <n>", "hard credit cap", wholeNumber(1))
    .option(
      "--model <provider:model>",
      "the model of a workspace this run creates; else it must be the workspace's own",
    )
    .option("--review-plan", "stop after planning so a person reads the plan first")
    .option("--style <text>", "one-shot style override")
    .option("--latency <ms>", "scripted model latency per call", wholeNumber(0), 0)
    .option("-o, --out <dir>", "where to write the deliverable", ".")
    .option("--export <formats>", "also export the deliverable, e.g. docx,pdf")
    .action(async (o) => {
      if (o.model !== undefined) checkModelName(o.model);
      if ((o.deliverable as string[]).some((d) => !d.trim()))
        throw new CliError(
          "--deliverable takes a short label, e.g. --deliverable Proposal; one was empty.",
        );
      // Nothing to work from: the Planner would be asked for a document "from the material
      // provided", with none provided, and the credits spent on it.
      if (o.input.length === 0 && !o.goal)
        throw new CliError(
          "A room needs material to work from: give at least one --input kind:path (e.g. brief:./brief.md), or a --goal that says what to write.",
        );
      const inputs = await Promise.all((o.input as string[]).map(readInput));
      const s = await openSession(configFromEnv(process.env), {
        model: o.model,
        latencyMs: o.latency,
        tools: true,
        createOnFirstUse: true,
      });
      try {
        if (o.model !== undefined && o.model !== s.workspace.defaultModel)
          throw new CliError(
            `The workspace "${s.workspace.name}" runs its rooms on ${s.workspace.defaultModel}, not ${o.model}. ` +
              `Run without --model, or make ${o.model} the default of every room with \`atelya models default ${o.model}\`.`,
          );
        const room = await createWorkroom(s.runtime.deps, s.actor, {
          title: o.title,
          ...(o.goal ? { goal: o.goal } : {}),
          ...(o.client ? { client: o.client } : {}),
          deliverables: o.deliverable.length ? o.deliverable : ["Deliverable"],
          ...(o.maxCredits ? { max_credits: o.maxCredits } : {}),
          ...(o.style ? { style_override: o.style } : {}),
          review_plan: Boolean(o.reviewPlan),
          inputs,
        });
        process.stdout.write(`Workroom ${room.id}\n`);
        await startWorkroom(s.runtime.deps, s.actor, room.id);
        await finish(s, room.id, o.out, o.export ? String(o.export).split(",") : []);
      } finally {
        await s.close();
      }
    });
}

/** Follows a room to rest and reports: the deliverable (and exports) and cost when completed, what to do otherwise. */
export async function finish(
  s: Session,
  roomId: string,
  outDir: string,
  exportFormats: string[] = [],
): Promise<void> {
  const out = process.stdout;
  const d = await followRoom(s, roomId, out);
  switch (d.room.state) {
    case "completed":
      await writeDeliverable(s, d, outDir, out);
      for (const path of await exportTo(
        s,
        roomId,
        exportFormats.map((f) => f.trim()).filter((f) => f !== "md"),
        outDir,
      ))
        out.write(`Exported: ${path}\n`);
      await printCostSummary(s, d, out);
      return;
    case "paused":
      // A plan review was asked for: stopping there is the run's success.
      if (d.room.pauseReason === "plan_review") return void out.write(`${pausedAdvice(d.room)}\n`);
      throw new CliError(pausedAdvice(d.room), STOPPED_SHORT);
    default:
      // Not bad input: a provider out of reach, a model's unusable answers, a cancel.
      throw new CliError(
        `The workroom ${d.room.state}${d.room.failureReason ? `: ${d.room.failureReason.replace(/\.$/, "")}` : ""}.`,
        FAILED,
      );
  }
}
