// `atelya workspace export`, `delete` and `restore` as a user runs them, on the embedded SQLite
// default: the archive holds the room, a wrong name deletes nothing, the right one deletes
// everything, and the archive brings it back once.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { strFromU8, unzipSync } from "fflate";
import { afterAll, expect, it } from "vitest";
import { BRIEF } from "../support/fixtures.js";
import { cliFolder } from "../support/cli.js";

const folder = cliFolder();
afterAll(() => folder.remove());
writeFileSync(join(folder.dir, "brief.md"), BRIEF);

const count = (table: string): number => {
  const db = new SqliteDatabase(join(folder.dataDir, "atelya.db"), { readonly: true });
  try {
    return (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
};

it("exports the workspace to a zip, refuses a wrong name, deletes it with the right one, and restores it", async () => {
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

  const exported = await folder.run(["workspace", "export", "everything.zip"]);
  expect(exported.code, exported.stderr).toBe(0);
  expect(exported.stdout).toMatch(
    /^Wrote everything "My agency" holds to everything\.zip \(\d+ KB;/,
  );
  const files = unzipSync(readFileSync(join(folder.dir, "everything.zip")));
  const text = (suffix: string) =>
    strFromU8(files[Object.keys(files).find((p) => p.endsWith(suffix))!]!);
  expect(JSON.parse(text("/manifest.json"))).toMatchObject({ workspace: { name: "My agency" } });
  expect(text("/workrooms.jsonl")).toContain("Aurora Coffee Q4 proposal");
  expect(text("/inputs.jsonl")).toContain(JSON.stringify(BRIEF).slice(1, 60));
  expect(Object.keys(files).some((p) => /\/deliverables\/.+-v1\.md$/.test(p))).toBe(true);
  // Written whole under a partial name first: nothing else is left beside it, and it is never
  // overwritten.
  expect(readdirSync(folder.dir).filter((f) => f.includes("everything.zip"))).toEqual([
    "everything.zip",
  ]);
  const overwrite = await folder.run(["workspace", "export", "everything.zip"]);
  expect(overwrite.code).toBe(2);
  expect(overwrite.stderr).toBe(
    "error: everything.zip exists already; an export never overwrites a file.\n",
  );

  const balance = await folder.run(["credits", "balance"]);
  expect(balance.code, balance.stderr).toBe(0);

  const wrong = await folder.run(["workspace", "delete", "--confirm", "my agency"]);
  expect(wrong.code).not.toBe(0);
  expect(wrong.stderr).toMatch(/^error: [^\n]+\n$/);
  expect(count("workrooms")).toBe(1);

  const deleted = await folder.run([
    "workspace",
    "delete",
    "--workspace",
    "My agency",
    "--confirm",
    "My agency",
  ]);
  expect(deleted.code, deleted.stderr).toBe(0);
  expect(deleted.stdout).toBe(
    'Deleted "My agency" and everything in it (1 workroom). Its people keep their accounts.\n',
  );
  for (const table of ["workspaces", "workrooms", "tasks", "history", "ledger", "agents"])
    expect(count(table), table).toBe(0);
  expect(existsSync(join(folder.dir, "everything.zip"))).toBe(true);

  // The archive brings it back, and a second restore of it is refused in one line.
  const restored = await folder.run(["workspace", "restore", "everything.zip"]);
  expect(restored.code, restored.stderr).toBe(0);
  expect(restored.stdout).toMatch(/^Restored "My agency" \(ws_\w+\): 1 workroom, [\d,]+ rows\.\n/);
  expect(restored.stdout).toContain("Not in the archive, so not restored: provider keys");
  for (const table of ["workspaces", "workrooms", "tasks", "agents"])
    expect(count(table), table).toBeGreaterThan(0);
  expect((await folder.run(["credits", "balance"])).stdout).toBe(balance.stdout);
  const again = await folder.run(["workspace", "restore", "everything.zip"]);
  expect(again.code).toBe(2);
  expect(again.stderr).toMatch(
    /^error: This installation has the workspace already [^\n]+ Nothing was restored\.\n$/,
  );
});
