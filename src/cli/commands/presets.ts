// `atelya presets list|add|remove`: the revision presets, built-in and the workspace's own.
import type { Command } from "commander";
import { addRevisionPreset, getSettings, removeRevisionPreset } from "../../app/settings.js";
import { BUILTIN_PRESETS } from "../../domain/revisions.js";
import { CliError } from "../errors.js";
import { withSession, withSessionMakingWorkspace } from "../session.js";

const collect = (v: string, all: string[]) => [...all, v];

export function registerPresets(program: Command): void {
  const presets = program.command("presets").description("revision presets");
  presets
    .command("list", { isDefault: true })
    .description("the built-in presets and the workspace's own, with their arguments")
    .action(() =>
      withSession(async (s) => {
        for (const p of BUILTIN_PRESETS)
          process.stdout.write(
            `${p.slug.padEnd(20)} ${p.label} (args: ${Object.keys(p.args.shape).join(", ")})\n`,
          );
        for (const p of (await getSettings(s.runtime.deps, s.actor)).revision_presets)
          process.stdout.write(
            `${p.slug.padEnd(20)} ${p.label} — workspace preset (args: ${p.args.map((a) => a.name).join(", ") || "none"})\n`,
          );
      }),
    );
  presets
    .command("add <slug>")
    .description(
      'add a workspace preset, e.g. --label "Legal clarity" --instruction "Rewrite for legal clarity, focusing on {focus}" --arg focus',
    )
    .requiredOption("--label <label>")
    .requiredOption(
      "--instruction <template>",
      "instruction to the Composer; {name} is replaced by the argument",
    )
    .option(
      "--arg <name[?]>",
      "an argument (repeatable); a trailing ? makes it optional",
      collect,
      [],
    )
    .option("--adds-section", "the preset writes a new section instead of rewriting")
    .action(
      (
        slug: string,
        o: { label: string; instruction: string; arg: string[]; addsSection?: boolean },
      ) =>
        withSessionMakingWorkspace(async (s) => {
          if (o.arg.some((a) => !/^[a-z][a-z0-9_]*\??$/.test(a)))
            throw new CliError(
              "Argument names are lower-case words, e.g. --arg focus or --arg tone?.",
            );
          await addRevisionPreset(s.runtime.deps, s.actor, {
            slug,
            label: o.label,
            action: o.addsSection ? "add" : "rewrite",
            instruction: o.instruction,
            args: o.arg.map((a) => ({ name: a.replace(/\?$/, ""), required: !a.endsWith("?") })),
          });
          process.stdout.write(`Preset ${slug} saved: atelya revise <room> --preset ${slug} …\n`);
        }),
    );
  presets
    .command("remove <slug>")
    .description("remove a workspace preset")
    .action((slug: string) =>
      withSession(async (s) => {
        await removeRevisionPreset(s.runtime.deps, s.actor, slug);
        process.stdout.write(`Preset ${slug} removed.\n`);
      }),
    );
}
