// `atelya backup` to a path with a space in it: a missing folder is named (the error named the
// internal partial file), and the restore line it prints pastes into a shell as it is (its paths
// were unquoted, so `cp bk dir/b1.db …` failed).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { cliFolder, refused, succeeded } from "../support/cli.js";

const folder = cliFolder();
afterAll(() => folder.remove());

it("names a missing folder, and prints a restore line that works when pasted", async () => {
  succeeded(await folder.run(["migrate"]));
  const target = join(folder.dir, "bk dir");
  refused(
    await folder.run(["backup", "bk dir/b1.db"]),
    new RegExp(
      `^error: Cannot write bk dir/b1\\.db: the folder ${target} does not exist\\. Create it first \\(mkdir -p '${target}'\\)\\.\\n$`,
    ),
  );
  mkdirSync(target);
  const out = succeeded(await folder.run(["backup", "bk dir/b1.db"]));
  const line = /To restore: stop Atelya, then `(.+)`\.$/m.exec(out)![1]!;
  expect(line).toMatch(/^cp 'bk dir\/b1\.db' /);

  rmSync(join(folder.dataDir, "atelya.db"));
  execFileSync("sh", ["-c", line], { cwd: folder.dir });
  expect(existsSync(join(folder.dataDir, "atelya.db"))).toBe(true);
  succeeded(await folder.run(["migrate"]));
});
