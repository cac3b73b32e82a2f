// Opening the embedded database: a file that cannot be written is refused at once, with its path
// and the reason, rather than SQLite's "unable to open database file".
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { openStore } from "../../src/store/db.js";
import { randomMasterKey } from "../../src/store/crypto/master-key.js";

const dir = mkdtempSync(join(tmpdir(), "atelya-open-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("names the file and the missing folder it cannot open", async () => {
  const file = join(dir, "gone", "atelya.db");
  await expect(openStore(file, { masterKey: randomMasterKey() })).rejects.toThrow(
    `Cannot open the database ${file} for writing: the folder ${join(dir, "gone")} does not exist.`,
  );
});
