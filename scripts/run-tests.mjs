// Runs the suite and ends with the one summary line CI reads: `N passed, N failed`.
// Browser tests (test/web/) run in a phase of their own; timing tests (`*.timing.test.ts`) run last and alone, so other test files do not load the two
// cores while they measure wall time.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { relative } from "node:path";

mkdirSync("test-artifacts", { recursive: true });
const extra = process.argv.slice(2);

function phase(name, args) {
  const report = `test-artifacts/vitest-${name}.json`;
  rmSync(report, { force: true });
  const run = spawnSync(
    "npx",
    [
      "vitest",
      "run",
      "--reporter=default",
      "--reporter=json",
      `--outputFile.json=${report}`,
      ...args,
      ...extra,
    ],
    {
      stdio: "inherit",
    },
  );
  try {
    const json = JSON.parse(readFileSync(report, "utf8"));
    // A file that fails to load has no test results of its own: count it as a failure.
    const broken = json.testResults.filter(
      (r) => r.status === "failed" && r.assertionResults.length === 0,
    ).length;
    const failed = json.numFailedTests + broken;
    // A test that passed with failure messages failed its first try (browser tests get a second):
    // said here, so a flaky test is seen, not hidden.
    for (const file of json.testResults)
      for (const t of file.assertionResults)
        if (t.status === "passed" && t.failureMessages?.length)
          console.log(
            `passed on its second try: ${relative(process.cwd(), file.name)} > ${t.fullName}\n  first try: ${t.failureMessages[0].split("\n")[0]}`,
          );
    return { passed: json.numPassedTests, failed: run.status !== 0 && failed === 0 ? 1 : failed };
  } catch {
    return { passed: 0, failed: 1 };
  }
}

const main = phase("main", ["--exclude", "**/*.timing.test.ts", "--exclude", "test/web/**"]);
// Browser tests each run a server and a Chromium: two files at a time on this machine's two cores.
// A browser test that fails is tried once more (a page, a server and a browser share two cores, and
// a wait can miss its window); one that passes on its second try is listed above the summary.
const web = phase("web", ["--maxWorkers=2", "--retry=1", "test/web/"]);
const timing = phase("timing", ["--no-file-parallelism", "timing.test.ts"]);
const phases = [main, web, timing];
const passed = phases.reduce((n, p) => n + p.passed, 0);
const failed = phases.reduce((n, p) => n + p.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
