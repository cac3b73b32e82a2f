// `atelya run … | head`: the reader goes away after two lines. The run still finishes its room and
// writes the deliverable, and exits 0 for it. (It used to exit 0 at once, with no deliverable and the
// room left executing with a task held until its lease ran out.)
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { BRIEF } from "../support/fixtures.js";
import { cliFolder, succeeded } from "../support/cli.js";

const folder = cliFolder();
afterAll(() => folder.remove());
writeFileSync(join(folder.dir, "brief.md"), BRIEF);

it("finishes the room and writes the deliverable when its output is closed half-way", async () => {
  const child = folder.start([
    "run",
    "--title",
    "Piped",
    "--deliverable",
    "Memo",
    "--input",
    "brief:./brief.md",
    "--latency",
    "200",
  ]);
  child.stdin.end();
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
  // The first line names the room; then the reader closes the pipe, as `head -1` does.
  const first = await new Promise<string>((resolve) =>
    child.stdout.once("data", (c: Buffer) => resolve(c.toString("utf8"))),
  );
  const roomId = /^Workroom (room_\w+)/.exec(first)![1]!;
  child.stdout.destroy();
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  expect(stderr).toBe("");
  expect(code).toBe(0);
  expect(existsSync(join(folder.dir, "piped-v1.md"))).toBe(true);
  expect(succeeded(await folder.run(["show", roomId]))).toContain(`Piped  [completed]  ${roomId}`);
}, 60_000);
