// `atelya revise <room> --preset … --arg k=v`, `atelya diff <room> <a> <b>`.
import type { Command } from "commander";
import { diffRounds, requestRevision } from "../../app/revisions.js";
import { BUILTIN_PRESETS } from "../../domain/revisions.js";
import type { DraftDiff } from "../../domain/diff.js";
import { CliError } from "../errors.js";
import { withRoomSession } from "../session.js";
import { finish } from "./run.js";

const collect = (v: string, all: string[]) => [...all, v];

function parseArgs(pairs: string[]): Record<string, string> {
  const args: Record<string, string> = {};
  for (const p of pairs) {
    const eq = p.indexOf("=");
    if (eq < 1) throw new CliError(`--arg takes key=value (e.g. target_section=2); got "${p}".`);
    args[p.slice(0, eq)] = p.slice(eq + 1);
  }
  return args;
}

export function renderDiff(d: DraftDiff, color: boolean): string {
  const paint = (code: number, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const lines = [`Round ${d.from} → round ${d.to}${d.titleChanged ? " (title changed)" : ""}`];
  for (const s of d.sections) {
    switch (s.kind) {
      case "unchanged":
        lines.push(`  = ${s.title}`);
        break;
      case "added":
        lines.push(paint(32, `  + ${s.title}`), paint(32, indent(s.text)));
        break;
      case "removed":
        lines.push(paint(31, `  - ${s.title}`), paint(31, indent(s.text)));
        break;
      case "changed":
        lines.push(
          `  ~ ${s.title}`,
          indent(
            s.changes
              .map((c) =>
                c.kind === "same"
                  ? c.text
                  : c.kind === "added"
                    ? paint(32, color ? c.text : `{+${c.text}+}`)
                    : paint(31, color ? c.text : `[-${c.text}-]`),
              )
              .join(""),
          ),
        );
    }
  }
  return lines.join("\n");
}

const indent = (text: string) =>
  text
    .split("\n")
    .map((l) => `      ${l}`)
    .join("\n");

export function registerRevise(program: Command): void {
  program
    .command("revise <room>")
    .description(
      `start a revision round (presets: ${BUILTIN_PRESETS.map((p) => p.slug).join(", ")})`,
    )
    .requiredOption("--preset <slug>", "revision preset")
    .option(
      "--arg <key=value>",
      "preset argument (repeatable), e.g. instruction=… target_section=2",
      collect,
      [],
    )
    .option("--source <source>", "internal or client_feedback", "internal")
    .option("-o, --out <dir>", "where to write the revised deliverable", ".")
    .action((roomId: string, o: { preset: string; arg: string[]; source: string; out: string }) =>
      withRoomSession(
        roomId,
        async (s) => {
          if (o.source !== "internal" && o.source !== "client_feedback")
            throw new CliError("--source is internal or client_feedback.");
          const room = await requestRevision(s.runtime.deps, s.actor, roomId, {
            preset_slug: o.preset,
            preset_args: parseArgs(o.arg),
            source: o.source,
          });
          process.stdout.write(`Revision round ${room.currentRound} started.\n`);
          if (room.currentRound >= 5)
            process.stdout.write(
              `Note: this is round ${room.currentRound}; consider whether the brief needs a fresh room.\n`,
            );
          await finish(s, roomId, o.out);
        },
        { tools: true },
      ),
    );

  program
    .command("diff <room> <from> <to>")
    .description("compare two rounds of a room's deliverable, section by section")
    .action((roomId: string, from: string, to: string) =>
      withRoomSession(roomId, async (s) => {
        const [a, b] = [Number(from), Number(to)];
        if (!Number.isInteger(a) || !Number.isInteger(b))
          throw new CliError("Rounds are whole numbers, e.g. `atelya diff <room> 1 2`.");
        process.stdout.write(
          `${renderDiff(await diffRounds(s.runtime.deps, s.actor, roomId, a, b), Boolean(process.stdout.isTTY))}\n`,
        );
      }),
    );
}
