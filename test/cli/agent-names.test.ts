// The agent and Style Memory commands take an agent's name as the docs show
// (`atelya agents edit Researcher --tool search_inputs`), or its id; they used to take ids only.
// A name no agent has, or that two share, is refused with what to type instead.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cliFolder, refused, succeeded } from "../support/cli.js";

const folder = cliFolder();
afterAll(() => folder.remove());

describe("agents named by name", () => {
  it("edits an agent and shows its Style Memory by name", async () => {
    succeeded(await folder.run(["agents", "create", "--name", "Researcher"]));
    const edited = succeeded(
      await folder.run(["agents", "edit", "Researcher", "--tool", "search_inputs"]),
    );
    expect(edited).toMatch(/^agt_\w+\s+Researcher /);
    expect(succeeded(await folder.run(["style", "show", "Researcher"]))).toBe(
      "Researcher has no Style Memory yet.\n",
    );
    refused(
      await folder.run(["agents", "archive", "Reseacher"]),
      /^error: No custom agent "Reseacher" in this workspace: see `atelya agents list`\.\n$/,
    );
  });

  it("extracts Style Memory from sample files and saves the draft on the agent", async () => {
    succeeded(await folder.run(["agents", "create", "--name", "Voice"]));
    const sample = join(folder.dir, "past.md");
    writeFileSync(sample, "## Scope\nWe'll keep it simple.\n\n## Pricing\nIt's a fixed fee.\n");
    succeeded(await folder.run(["style", "extract", "Voice", sample]));
    const saved = JSON.parse(succeeded(await folder.run(["style", "show", "Voice"]))) as {
      required_sections: string[];
    };
    expect(saved.required_sections).toEqual(["Scope", "Pricing"]);
  });

  it("refuses a name two agents share, with their ids, and takes an id", async () => {
    const copy = succeeded(
      await folder.run(["agents", "copy", "Researcher", "--name", "Researcher"]),
    );
    const copyId = /^agt_\w+/.exec(copy)![0];
    refused(
      await folder.run(["agents", "edit", "Researcher", "--temperature", "1"]),
      /^error: 2 agents are named "Researcher" \(agt_\w+, agt_\w+\): name one by its id\.\n$/,
    );
    expect(succeeded(await folder.run(["agents", "archive", copyId]))).toMatch(/\(archived\)\n$/);
  });
});
