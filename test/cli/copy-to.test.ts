// `atelya copy-to` as an agency runs it when it moves from the embedded SQLite store to
// PostgreSQL: the rows are copied, the room reads the same there, and a second copy into the same
// database is refused in one line.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { createTestDatabase } from "../support/databases.js";
import { BRIEF } from "../support/fixtures.js";
import { cliFolder } from "../support/cli.js";

const folder = cliFolder();
const target = await createTestDatabase("postgres");
afterAll(async () => {
  folder.remove();
  await target.drop();
});
writeFileSync(join(folder.dir, "brief.md"), BRIEF);

it("copies the embedded database into an empty PostgreSQL one, which Atelya then runs on", async () => {
  const run = await folder.run([
    "run",
    "--title",
    "Aurora Coffee Q4 proposal",
    "--deliverable",
    "Proposal",
    "--input",
    "brief:./brief.md",
  ]);
  expect(run.code, run.stderr).toBe(0);
  const roomId = /^Workroom (room_\w+)$/m.exec(run.stdout)?.[1];
  expect(roomId, run.stdout).toBeDefined();

  const copied = await folder.run(["copy-to", target.url]);
  expect(copied.code, copied.stderr).toBe(0);
  expect(copied.stdout).toMatch(
    /^Copying \S+\/atelya\.db \(sqlite\) into postgres:\/\/.+ \(postgres\)\n/,
  );
  expect(copied.stdout).toMatch(/^ {2}workrooms +1$/m);
  expect(copied.stdout).toMatch(/Copied \d+ rows of \d+ tables in [\d.]+ s\. .*same key/);

  const shown = await folder.run(["show", roomId!], { DATABASE_URL: target.url });
  expect(shown.code, shown.stderr).toBe(0);
  expect(shown.stdout).toContain("Aurora Coffee Q4 proposal  [completed]");
  expect(shown.stdout).toMatch(/Compose the Proposal \(composition\).* succeeded/);

  const again = await folder.run(["copy-to", target.url]);
  expect(again.code).toBe(2);
  expect(again.stderr).toMatch(/^error: The target is not empty: [^\n]+\n$/);
});
