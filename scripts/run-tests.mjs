// Runs the suite and ends with the one summary line CI reads: `N passed, N failed`.
// Browser tests (test/web/) run in a phase of their own; timing tests (`*.timing.test.ts`) run last and alone, so other test files do not load the two
// cores while they measure wall time.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";

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
    return { passed: json.numPassedTests, failed: run.status !== 0 && failed === 0 ? 1 : failed };
  } catch {
    return { passed: 0, failed: 1 };
  }
}

const main = phase("main", ["--exclude", "**/*.timing.test.ts", "--exclude", "test/web/**"]);
// Browser tests each run a server and a Chromium: two files at a time on this machine's two cores.
const web = phase("web", ["--maxWorkers=2", "test/web/"]);
const timing = phase("timing", ["--no-file-parallelism", "timing.test.ts"]);
const phases = [main, web, timing];
const passed = phases.reduce((n, p) => n + p.passed, 0);
const failed = phases.reduce((n, p) => n + p.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
