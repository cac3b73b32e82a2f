// `atelya run` against a provider that answers the plan's call with 429 and `Retry-After: 300`:
// the room pauses, and the run says (exit 3) when it resumes by itself and where; `show` says it
// too. They once told the user to come back and resume it by hand.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BRIEF } from "../support/fixtures.js";
import { cliFolder } from "../support/cli.js";
import { startFakeProvider, type FakeProvider } from "../fakes/provider-server.js";
import { scriptedReply } from "../fakes/answers.js";

const folder = cliFolder();
let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeProvider("anthropic", scriptedReply);
});
afterAll(async () => {
  await fake.close();
  folder.remove();
});
writeFileSync(join(folder.dir, "brief.md"), BRIEF);

const AT = /(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) UTC/;

describe("a run a provider rate-limits", () => {
  it("pauses, and says when and where the room resumes by itself", async () => {
    fake.faults.push("429-long");
    const env = { ANTHROPIC_API_KEY: "sk-ant-test", ANTHROPIC_BASE_URL: fake.url };
    const before = Date.now();
    const run = await folder.run(
      [
        "run",
        "--title",
        "Aurora Coffee Q4 proposal",
        "--input",
        "brief:./brief.md",
        "--model",
        "anthropic:claude-opus-4-1",
      ],
      env,
    );
    expect(run.code, run.stderr).toBe(3);
    const roomId = /^Workroom (room_\w+)$/m.exec(run.stdout)![1]!;
    expect(run.stderr).toMatch(
      new RegExp(
        `^error: Paused \\(rate_limited\\): the model provider asked to wait; no deliverable was written\\. It resumes by itself at ${AT.source} in any running Atelya worker \\(\`atelya serve\` or \`atelya worker\`\\); \`atelya resume ${roomId}\` follows it here \\(its call waits until then\\)\\.\\n$`,
      ),
    );
    const at = Date.parse(`${AT.exec(run.stderr)![1]!.replace(" ", "T")}Z`);
    expect(at).toBeGreaterThanOrEqual(before + 300_000);
    expect(at).toBeLessThanOrEqual(Date.now() + 301_000);

    const show = await folder.run(["show", roomId], env);
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toContain(`[paused: rate_limited]  ${roomId}`);
    expect(show.stdout).toContain(
      `resumes by itself at ${AT.exec(run.stderr)![1]} UTC, when the model provider's wait is over`,
    );
  });
});
