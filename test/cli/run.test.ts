// The `atelya` command as a user runs it, in a folder of its own on the embedded SQLite default:
// `run` from files and flags with a plan review, `show` and `resume` to the end, `demo`, and bad
// input answered with one clear line that changes nothing.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { BRIEF, SAMPLE } from "../support/fixtures.js";
import { cliFolder, type CliResult } from "../support/cli.js";

const folder = cliFolder();
afterAll(() => folder.remove());
writeFileSync(join(folder.dir, "brief.md"), BRIEF);
writeFileSync(join(folder.dir, "past.md"), SAMPLE);

/** The first row of a query on the folder's database, read as the CLI left it. */
function firstRow<T>(query: string): T {
  const db = new SqliteDatabase(join(folder.dataDir, "atelya.db"), { readonly: true });
  try {
    return db.prepare(query).get() as T;
  } finally {
    db.close();
  }
}

const roomCount = (): number => firstRow<{ n: number }>("select count(*) as n from workrooms").n;

/** The first room of the folder's database (the one the run tests made). */
const firstRoom = (): string =>
  firstRow<{ id: string }>("select id from workrooms order by created_at").id;

/** A failure as the CLI reports it: exit code 1 or 2, one line on stderr, no stack trace. */
function expectOneLineError(r: CliResult, message: RegExp): void {
  expect(r.code, r.stderr).not.toBe(0);
  expect(r.code).toBeLessThanOrEqual(2);
  expect(r.stderr).toMatch(/^error: [^\n]+\n$/);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe("atelya run, show and resume", () => {
  let roomId = "";

  it("runs a room from files up to its plan review, and says what to do next", async () => {
    const r = await folder.run([
      "run",
      "--title",
      "Aurora Coffee Q4 proposal",
      "--goal",
      "Win the loyalty-app relaunch",
      "--deliverable",
      "Proposal",
      "--input",
      "brief:./brief.md",
      "--input",
      "sample:./past.md",
      "--max-credits",
      "500",
      "--review-plan",
    ]);
    expect(r.code, r.stderr).toBe(0);
    roomId = /^Workroom (room_\w+)$/m.exec(r.stdout)![1]!;
    expect(r.stdout).toMatch(/— paused \(plan_review\) — [\d.]+s — 1 credit of 500$/m);
    expect(r.stdout).toContain(
      `The plan is ready for review: \`atelya show ${roomId}\`, then \`atelya resume ${roomId}\`.`,
    );
  });

  it("shows the plan waiting for review, with the history in words", async () => {
    const r = await folder.run(["show", roomId]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Aurora Coffee Q4 proposal  [paused: plan_review]  ${roomId}`);
    expect(r.stdout).toContain("deliverables: Proposal");
    expect(r.stdout).toMatch(/^credits: 1 of 500; round 0$/m);
    const plan = /\nplan:\n((?: {2}\d+\. .*\n)+)/.exec(r.stdout)![1]!.trimEnd().split("\n");
    expect(plan.length).toBeGreaterThanOrEqual(3);
    expect(plan.every((line) => line.endsWith("— pending"))).toBe(true);
    expect(plan.at(-1)).toMatch(/\(composition\) after [\d, ]+ — pending$/);
    expect(r.stdout).toMatch(/^\s+1 \d\d:\d\d:\d\d {2}You created the workroom with 2 inputs$/m);
    expect(r.stdout).toMatch(/Plan written: \d+ tasks/);
    expect(r.stdout).toMatch(/Planning → Paused: Plan ready for review/);
    expect(r.stdout).not.toMatch(/\{"/); // every event in words, none as raw JSON
  });

  it("resumes the room to the end and writes the deliverable with its cost", async () => {
    const r = await folder.run(["resume", roomId]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("Deliverable: aurora-coffee-q4-proposal-v1.md");
    const cost = /^Cost: (\d+) credits over (\d+) model calls \(([\d,]+) tokens\)/m.exec(r.stdout);
    expect(cost, r.stdout).not.toBeNull();
    expect(Number(cost![1])).toBeGreaterThan(1);
    expect(Number(cost![1])).toBeLessThanOrEqual(500);
    const markdown = readFileSync(join(folder.dir, "aurora-coffee-q4-proposal-v1.md"), "utf8");
    expect(markdown).toMatch(/^# /);
    expect(markdown).toMatch(/^## /m);
    expect(markdown).toContain("Aurora Coffee");

    const shown = await folder.run(["show", roomId]);
    expect(shown.stdout).toContain(`[completed]  ${roomId}`);
    expect(shown.stdout).toMatch(new RegExp(`^credits: ${cost![1]} of 500; round 1$`, "m"));
    const plan = /\nplan:\n((?: {2}\d+\. .*\n)+)/.exec(shown.stdout)![1]!.trimEnd().split("\n");
    expect(plan.every((line) => /— succeeded, \d+ credits?$/.test(line))).toBe(true);
    expect(shown.stdout).toMatch(/Round 1 draft written: 'Aurora Coffee Q4 proposal'/);
    expect(shown.stdout.trimEnd()).toMatch(/Composing → Completed: .*$/);

    // Done is done: resuming it again says what to do instead, and changes nothing.
    const again = await folder.run(["resume", roomId]);
    expect(again.code).toBe(2);
    expect(again.stdout).toBe("");
    expect(again.stderr).toBe(
      "error: Aurora Coffee Q4 proposal is completed (revise it with `atelya revise`); nothing to resume.\n",
    );
  });
});

describe("atelya revise and diff", () => {
  it("adds a section in round 2, and the diff marks only that section as new", async () => {
    const roomId = firstRoom();
    expectOneLineError(
      await folder.run(["revise", roomId, "--preset", "tighten"]),
      /Arguments of preset "tighten" are invalid: instruction is required \(it takes instruction, target_section\)$/m,
    );
    const r = await folder.run([
      "revise",
      roomId,
      "--preset",
      "add_section",
      "--arg",
      "section_title=Payment terms",
      "--arg",
      "instruction=Net 30, in two milestones",
      "--arg",
      "after_section=2",
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("Deliverable: aurora-coffee-q4-proposal-v2.md");
    const revised = readFileSync(join(folder.dir, "aurora-coffee-q4-proposal-v2.md"), "utf8");
    expect(revised).toMatch(/^## Payment terms$/m);

    const diff = await folder.run(["diff", roomId, "1", "2"]);
    expect(diff.code, diff.stderr).toBe(0);
    const marks = [...diff.stdout.matchAll(/^ {2}([=~+-]) (.+)$/gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(marks[2]).toBe("+ Payment terms"); // after the second section
    expect(marks.filter((m) => !m.startsWith("="))).toEqual(["+ Payment terms"]);
    expect(marks.length).toBeGreaterThan(3);
  });
});

describe("atelya demo", () => {
  it("says plainly that it runs on the scripted model, and writes the sample deliverable", async () => {
    const r = await folder.run(["demo"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/runs on the SCRIPTED model/);
    // In the data folder, not a stray .atelya/ in the current one.
    const file = /^Deliverable: (.+\.md)$/m.exec(r.stdout)![1]!;
    expect(file.startsWith(join(folder.dataDir, "deliverables"))).toBe(true);
    expect(existsSync(file)).toBe(true);
    expect(r.stdout).toMatch(/^Cost: \d+ credits over \d+ model calls/m);
  });
});

describe("atelya credits", () => {
  it("tops up, shows the balance and lists the ledger with what each room spent", async () => {
    const topup = await folder.run(["credits", "topup", "2500"]);
    expect(topup.code, topup.stderr).toBe(0);
    expect(topup.stdout).toMatch(/^Balance: [\d,]+ credits \(2,500 top-up\)\.$/m);
    for (const amount of ["lots", "0", "99999999999999999999"])
      expectOneLineError(
        await folder.run(["credits", "topup", amount]),
        /A top-up is a whole number of credits from 1 to 100,000,000\./,
      );
    const balance = await folder.run(["credits", "balance"]);
    expect(balance.stdout).toMatch(
      /^[\d,]+ credits: [\d,]+ of this month's 100,000 allowance \(\d{4}-\d\d\) \+ 2,500 top-up$/m,
    );
    const ledger = (await folder.run(["credits", "ledger"])).stdout;
    expect(ledger).toMatch(/^\S+ +\+100,000 {2}allowance_grant/m);
    expect(ledger).toMatch(/^\S+ +\+2,500 {2}topup/m);
    expect(ledger).toMatch(
      new RegExp(`-\\d+ {2}debit +plan call \\(scripted\\) {2}\\(${firstRoom()}\\)`),
    );

    // A smaller plan gives less from next month; this month keeps what it was granted, and says so.
    expect((await folder.run(["workspace", "plan", "solo"])).stdout).toContain(
      "on the Solo plan: 1 seat, API access off.",
    );
    expect((await folder.run(["workspace", "plan", "starter"])).stdout).toContain(
      "on the Starter plan: 2 seats, API access off.",
    );
    expect((await folder.run(["credits", "balance"])).stdout).toMatch(
      /^[\d,]+ credits: [\d,]+ of 100,000 allowance left this month \(\d{4}-\d\d; 3,000 a month from next month\) \+ 2,500 top-up$/m,
    );
    expect((await folder.run(["workspace", "plan", "agency"])).code).toBe(0);
  });
});

describe("atelya backup", () => {
  it("writes a copy that, with the master key, is a working installation of its own", async () => {
    const r = await folder.run(["backup", "backup.db"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /^Backed up \d+ workrooms to backup\.db \([\d.]+ MB\)\. It opens only with this master key/,
    );
    expectOneLineError(await folder.run(["backup", "backup.db"]), /backup\.db exists already/);

    // Restored elsewhere: the copy and the key, nothing else.
    const restored = join(folder.dir, "restored");
    mkdirSync(restored);
    copyFileSync(join(folder.dir, "backup.db"), join(restored, "atelya.db"));
    copyFileSync(join(folder.dataDir, "master.key"), join(restored, "master.key"));
    const shown = await folder.run(["show", firstRoom()], { ATELYA_DATA_DIR: restored });
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain("Aurora Coffee Q4 proposal  [completed]");
  });
});

describe("bad input", () => {
  it("is one clear line, never a stack trace, and creates no room", async () => {
    const before = roomCount();
    writeFileSync(join(folder.dir, "huge.md"), "a".repeat(100_001));
    const run = (...args: string[]) => folder.run(["run", "--title", "Bad", ...args]);

    expectOneLineError(
      await folder.run(["show", "room_doesnotexist"]),
      /^error: No workroom room_doesnotexist on this installation\.$/m,
    );
    expectOneLineError(
      await run("--input", "brief:./huge.md"),
      /The text of "\.\/huge\.md" alone is over the 100,000 bytes a workroom takes \(100,001 bytes\)/,
    );
    expectOneLineError(
      await run(...Array.from({ length: 11 }, () => ["--input", "brief:./brief.md"]).flat()),
      /at most 10 paste blocks; this one has 11/,
    );
    expectOneLineError(await run("--input", "notes:./brief.md"), /Unknown input kind "notes"/);
    expectOneLineError(
      await run("--deliverable", "Memo"),
      /^error: A room needs material to work from: give at least one --input kind:path/,
    );
    expectOneLineError(await run("--input", "brief:./missing.md"), /Cannot read \.\/missing\.md/);
    expectOneLineError(
      await run("--max-credits", "lots", "--input", "brief:./brief.md"),
      /option '--max-credits <n>' argument 'lots' is invalid\. Expected a whole number of at least 1\./,
    );
    expect(roomCount()).toBe(before);
  });
});
