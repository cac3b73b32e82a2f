// A backup killed half-way (SIGKILL, a crash, a full disk) used to leave a file at the name given,
// and the retry was refused: "exists already; a backup never overwrites a file". The copy is now
// written under a partial name and moved into place whole, and a killed run's partial files do
// not stay behind.
import { readdirSync, watch } from "node:fs";
import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { afterAll, expect, it } from "vitest";
import { cliFolder } from "../support/cli.js";

const folder = cliFolder();
afterAll(() => folder.remove());

it("leaves no file at the name given when it is killed half-way, and a retry writes the backup", async () => {
  expect((await folder.run(["migrate"])).code).toBe(0);
  // Enough pages that copying them takes longer than stopping the process.
  const db = new SqliteDatabase(join(folder.dataDir, "atelya.db"));
  db.exec("create table ballast (b blob)");
  const insert = db.prepare("insert into ballast values (randomblob(1048576))");
  for (let i = 0; i < 200; i++) insert.run();
  db.close();

  const backup = folder.start(["backup", "pb.db"]);
  const seen = watch(folder.dir, (_, name) => {
    if (name?.includes("pb.db")) backup.kill("SIGKILL");
  });
  const signal = await new Promise((resolve) => backup.once("close", (_, s) => resolve(s)));
  seen.close();
  expect(signal).toBe("SIGKILL");
  expect(readdirSync(folder.dir)).not.toContain("pb.db");

  const retry = await folder.run(["backup", "pb.db"]);
  expect(retry.code, retry.stderr).toBe(0);
  expect(retry.stdout).toMatch(/^Backed up 0 workrooms to pb\.db \(\d+\.\d MB\)/);
  expect(readdirSync(folder.dir).filter((f) => f.includes("pb.db"))).toEqual(["pb.db"]);
});
