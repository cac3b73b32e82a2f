// `atelya --help` and each command's help list every subcommand with what it does; several
// (agents list, style show, mcp list, profile show, presets list, …) were listed bare.
import type { Command } from "commander";
import { expect, it } from "vitest";
import { buildProgram } from "../../src/cli/main.js";

const everyCommand = (c: Command, path: string[] = []): [string, Command][] =>
  c.commands.flatMap((sub) => {
    const here = [...path, sub.name()];
    return [[here.join(" "), sub] as [string, Command], ...everyCommand(sub, here)];
  });

it("describes every command and subcommand in --help", () => {
  const bare = everyCommand(buildProgram())
    .filter(([, c]) => c.description().trim() === "")
    .map(([name]) => name);
  expect(bare).toEqual([]);
});
