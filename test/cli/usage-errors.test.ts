// Bad input to the `atelya` command exits with code 2, as the README says, whether commander finds
// it (an unknown command or option, a missing argument or required option) or a command does;
// --help and --version are no errors. (Commander's own errors used to exit 1.)
import { afterAll, describe, expect, it } from "vitest";
import { cliFolder } from "../support/cli.js";

const folder = cliFolder();
afterAll(() => folder.remove());

describe("usage errors", () => {
  it.each([
    [["frob"], /^error: unknown command 'frob'/],
    [["inbox", "--bogus"], /^error: unknown option '--bogus'/],
    [["run", "--deliverable", "Proposal"], /^error: required option '--title <title>'/],
    [["show"], /^error: missing required argument 'id'/],
    [["workspace", "plan"], /^error: missing required argument 'plan'/],
    [["workspace", "delete"], /^error: required option '--confirm <name>'/],
    // An answer is its text: a --comment beside it was silently dropped.
    [["answer", "room_x", "1", "Yes", "-m", "a note"], /^error: unknown option '-m'/],
    [
      ["credits", "topup", "abc"],
      /^error: A top-up is a whole number of credits from 1 to 100,000,000/,
    ],
  ])("atelya %j exits 2 with one line saying what is wrong", async (args, message) => {
    const r = await folder.run(args);
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
  });

  it("exits 0 for --help and --version", async () => {
    const help = await folder.run(["run", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: atelya run \[options\]/);
    const version = await folder.run(["--version"]);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});
