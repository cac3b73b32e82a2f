// `atelya run --model`: the model of a workspace the run creates, never a silent change to an
// existing workspace's default (it used to set it, unchecked, for every later room of everyone);
// a name no provider serves is refused before anything is made; `atelya models default` changes
// the default on purpose.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { BRIEF } from "../support/fixtures.js";
import { cliFolder, refused, succeeded } from "../support/cli.js";

const folder = cliFolder();
afterAll(() => folder.remove());
writeFileSync(join(folder.dir, "brief.md"), BRIEF);

const run = (title: string, ...more: string[]) =>
  folder.run([
    "run",
    "--title",
    title,
    "--deliverable",
    "Memo",
    "--input",
    "brief:./brief.md",
    ...more,
  ]);

it("names the model of a new workspace, refuses unknown names and never changes an existing default", async () => {
  refused(
    await run("Bad", "--model", "foo:bar"),
    /^error: Unknown model "foo:bar": a model is named provider:model/,
  );
  refused(await run("Bad", "--model", "nonsense"), /^error: Unknown model "nonsense"/);

  // The first run makes the workspace, on the model it names.
  expect(succeeded(await run("First", "--model", "scripted:one"))).toMatch(
    /^Deliverable: first-v1\.md$/m,
  );
  expect(succeeded(await folder.run(["models", "default"]))).toBe(
    'The workspace "My agency" runs its rooms on scripted:one.\n',
  );

  // Another model for one run is refused, naming the way to change the default for every room.
  refused(
    await run("Other", "--model", "openai:gpt-9000"),
    /^error: The workspace "My agency" runs its rooms on scripted:one, not openai:gpt-9000\. Run without --model, or make openai:gpt-9000 the default of every room with `atelya models default openai:gpt-9000`\.\n$/,
  );
  expect(succeeded(await run("Same", "--model", "scripted:one"))).toMatch(
    /^Deliverable: same-v1\.md$/m,
  );
  expect(succeeded(await run("Plain"))).toMatch(/^Deliverable: plain-v1\.md$/m);

  refused(await folder.run(["models", "default", "gpt-4o"]), /^error: Unknown model "gpt-4o"/);
  expect(succeeded(await folder.run(["models", "default", "scripted"]))).toBe(
    'The workspace "My agency" now runs its rooms on scripted (was scripted:one).\n',
  );
}, 60_000);

it("exits 1, not 2 (bad input), when the room fails because its provider cannot be reached", async () => {
  const other = cliFolder();
  try {
    writeFileSync(join(other.dir, "brief.md"), BRIEF);
    const r = await other.run(
      [
        "run",
        "--title",
        "Unreachable",
        "--input",
        "brief:./brief.md",
        "--model",
        "ollama:qwen2.5:7b",
      ],
      { ATELYA_OPENAI_COMPATIBLE_BASE_URL: "http://127.0.0.1:9/v1", ATELYA_MODEL_MAX_RETRIES: "0" },
    );
    expect(r.stderr).toMatch(/^error: The workroom failed: .+\n$/);
    expect(r.code).toBe(1);
  } finally {
    other.remove();
  }
});
