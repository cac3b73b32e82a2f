// A room that pauses on its credit cap, from the command line: `run` and `resume` exit 3 with one
// line saying no deliverable was written and naming the command that raises the cap, and
// `atelya resume <id> --max-credits N` raises it and finishes the room. (The CLI said "Raise the
// cap" with no command to do it, and exited 0 as if the deliverable had been written.)
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { BRIEF } from "../support/fixtures.js";
import { cliFolder, succeeded } from "../support/cli.js";

const folder = cliFolder();
afterAll(() => folder.remove());
writeFileSync(join(folder.dir, "brief.md"), BRIEF);

it("stops short with exit 3 on the cap, and resume --max-credits raises it and finishes", async () => {
  const run = await folder.run([
    "run",
    "--title",
    "Capped",
    "--deliverable",
    "Memo",
    "--input",
    "brief:./brief.md",
    "--max-credits",
    "1",
  ]);
  const roomId = /^Workroom (room_\w+)$/m.exec(run.stdout)![1]!;
  const advice = `error: Paused (budget): the next model call would cross the room's credit cap of 1; no deliverable was written. Raise the cap and continue with \`atelya resume ${roomId} --max-credits <n>\`.\n`;
  expect(run.code).toBe(3);
  expect(run.stderr).toBe(advice);
  expect(run.stdout).toContain("Capped — paused (budget)");

  // Resuming with the same cap stops at once, the same way.
  const again = await folder.run(["resume", roomId]);
  expect(again.code).toBe(3);
  expect(again.stderr).toBe(advice);
  expect(existsSync(join(folder.dir, "capped-v1.md"))).toBe(false);

  const raised = succeeded(await folder.run(["resume", roomId, "--max-credits", "500"]));
  expect(raised).toMatch(/^Credit cap: 500 \(was 1\)\.$/m);
  expect(raised).toMatch(/^Deliverable: capped-v1\.md$/m);
  expect(succeeded(await folder.run(["show", roomId]))).toMatch(/^credits: \d+ of 500; round 1$/m);
}, 60_000);
