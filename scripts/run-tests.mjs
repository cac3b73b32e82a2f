// Runs vitest and ends with the one summary line CI reads: `N passed, N failed`.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";

mkdirSync("test-artifacts", { recursive: true });
const report = "test-artifacts/vitest.json";
rmSync(report, { force: true });
const run = spawnSync(
  "npx",
  [
    "vitest",
    "run",
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${report}`,
    ...process.argv.slice(2),
  ],
  { stdio: "inherit" },
);
let passed = 0;
let failed = 0;
try {
  const json = JSON.parse(readFileSync(report, "utf8"));
  passed = json.numPassedTests;
  // A file that fails to load has no test results of its own: count it as a failure.
  failed =
    json.numFailedTests +
    json.testResults.filter((r) => r.status === "failed" && r.assertionResults.length === 0).length;
} catch {
  failed = 1;
}
if (run.status !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
