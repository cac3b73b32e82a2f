// `atelya resume` after the run was killed (kill -9) mid-step: the killed process's hold on its
// step lasts until its lease runs out, and resume says so, with until when, instead of showing a
// task "running" for half a minute with no word of why.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { BRIEF } from "../support/fixtures.js";
import { cliFolder } from "../support/cli.js";

const folder = cliFolder();
afterAll(() => folder.remove());
writeFileSync(join(folder.dir, "brief.md"), BRIEF);

/** Resolves with the process's stdout once it matches `pattern`. */
function outputUntil(child: ReturnType<typeof folder.start>, pattern: RegExp): Promise<string> {
  return new Promise((resolve) => {
    let out = "";
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString("utf8");
      if (pattern.test(out)) resolve(out);
    });
  });
}

it("says which task another worker holds and until when", async () => {
  const run = folder.start([
    "run",
    "--title",
    "Killed",
    "--deliverable",
    "Memo",
    "--input",
    "brief:./brief.md",
    "--latency",
    "5000",
  ]);
  run.stdin.end();
  const ran = await outputUntil(run, /^ {2}▶ +1 .+ running/m);
  const roomId = /^Workroom (room_\w+)$/m.exec(ran)![1]!;
  await new Promise((resolve) => {
    run.once("close", resolve);
    run.kill("SIGKILL");
  });

  const resume = folder.start(["resume", roomId]);
  resume.stdin.end();
  const said = await outputUntil(resume, /held by another worker.*\n/);
  expect(said).toMatch(
    /^Task 1 \(.+\) is held by another worker until \d\d:\d\d:\d\d UTC \(\d+ s from now\): if that process stopped, this one takes it over then; following meanwhile\.$/m,
  );
  await new Promise((resolve) => {
    resume.once("close", resolve);
    resume.kill("SIGKILL");
  });
}, 60_000);
