// `atelya backup` to a path with a space in it: a missing folder is named (the error named the
// internal partial file), and the restore line it prints pastes into a shell as it is (its paths
// were unquoted, so `cp bk dir/b1.db …` failed). A data folder with no database in it (a mistyped
// ATELYA_DATA_DIR) is refused: it was given a new empty database and master key, and "backed up".
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

it("refuses a data folder that holds no database, and creates nothing there", async () => {
  const typo = join(folder.dir, ".atelyaa");
  refused(
    await folder.run(["backup", "b2.db"], { ATELYA_DATA_DIR: typo }),
    new RegExp(
      `^error: There is no Atelya database at ${typo}/atelya\\.db to back up \\(check ATELYA_DATA_DIR / DATABASE_URL\\)\\. Nothing was created\\.\\n$`,
    ),
  );
  const missing = join(folder.dir, "elsewhere", "atelya.db");
  refused(
    await folder.run(["backup", "b2.db"], { DATABASE_URL: missing }),
    /^error: There is no Atelya database at .+\/elsewhere\/atelya\.db to back up/,
  );
  // No empty database, no master key, no backup.
  expect(existsSync(typo)).toBe(false);
  expect(existsSync(join(folder.dir, "elsewhere"))).toBe(false);
  expect(existsSync(join(folder.dir, "b2.db"))).toBe(false);
});
