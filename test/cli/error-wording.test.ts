// Bad values named as the user gave them (the flag, the file, the variable), in words, not the
// validator's field paths ("deliverables.0: Too small…", "inputs.0.content", "received NaN");
// a tool that does not exist is not granted.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, it } from "vitest";
import { BRIEF } from "../support/fixtures.js";
import { cliFolder, refused } from "../support/cli.js";

const folder = cliFolder();
afterAll(() => folder.remove());
writeFileSync(join(folder.dir, "brief.md"), BRIEF);
writeFileSync(join(folder.dir, "empty.md"), "  \n");

it.each([
  [
    ["run", "--title", "X", "--deliverable", "", "--input", "brief:./brief.md"],
    /^error: --deliverable takes a short label, e\.g\. --deliverable Proposal; one was empty\.\n$/,
  ],
  [
    ["run", "--title", "X", "--deliverable", "P", "--input", "brief:./empty.md"],
    /^error: Cannot read "\.\/empty\.md": the file has no text in it\.\n$/,
  ],
  [
    ["agents", "create", "--name", "W", "--temperature", "5"],
    /^error: option '--temperature <t>' argument '5' is invalid\. Expected a number from 0 to 2\.\n$/,
  ],
  [
    ["agents", "create", "--name", "W", "--tool", "nosuchtool"],
    /^error: No tool "nosuchtool": grant one of search_inputs, .+, or mcp:<server>\/<tool> of an MCP server the workspace has added \(the tools list shows them all\)\.\n$/,
  ],
  [
    ["credits", "balance", "--env:ATELYA_CONCURRENCY=abc"],
    /^error: Invalid environment: ATELYA_CONCURRENCY: a whole number of steps run at once, from 1 to 256\n$/,
  ],
])("atelya %j says what is wrong in the user's words", async (args, message) => {
  const env = Object.fromEntries(
    args
      .filter((a) => a.startsWith("--env:"))
      .map((a) => a.slice(6).split("=") as [string, string]),
  );
  refused(
    await folder.run(
      args.filter((a) => !a.startsWith("--env:")),
      env,
    ),
    message,
  );
});
