// A first start killed while it creates the database, at any of its tables, starts cleanly the
// next time. On SQLite each CREATE TABLE used to commit on its own: a start killed between two of
// them left tables and no record of them, and every later start failed with "table … already
// exists" until someone deleted the database by hand.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { openStore, type StoreConnection } from "../../src/store/db.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../support/databases.js";
import { TEST_MASTER_KEY } from "../support/keys.js";

const SCRIPT = fileURLToPath(new URL("../support/migrate-and-die.ts", import.meta.url));

const dieMigrating = (url: string, nth: number) =>
  new Promise<NodeJS.Signals | number | null>((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", SCRIPT, url, String(nth)], {
      stdio: ["ignore", "inherit", "inherit"],
    });
    child.once("exit", (code, signal) => resolve(signal ?? code));
  });

let db: TestDatabase | undefined;
let store: StoreConnection | undefined;
afterEach(async () => {
  await store?.close();
  await db?.drop();
  store = db = undefined;
});

describe.each(DIALECTS)("a first start killed while migrating, on %s", (dialect) => {
  // Kysely makes its two tables first: then the first of 0001, one deep in it, and the first of
  // 0002 (0001 done by then).
  it.each([3, 9, 16])("starts cleanly after a kill at table %i", async (nth) => {
    db = await createTestDatabase(dialect);
    expect(await dieMigrating(db.url, nth)).toBe("SIGKILL");
    store = await openStore(db.url, { masterKey: TEST_MASTER_KEY });
    const applied = await store.db
      .selectFrom("kysely_migration" as never)
      .select("name" as never)
      .orderBy("name" as never)
      .execute();
    expect(applied.map((r) => (r as { name: string }).name)).toEqual([
      "0001_initial",
      "0002_server",
      "0003_encryption",
      "0004_step_indexes",
      "0005_live_step_indexes",
      "0006_agents_version",
      "0007_history_rows",
      "0008_style_drafts",
      "0009_workroom_requests",
      "0010_allowance_granted",
      "0011_resume_at",
      "0012_workroom_state_index",
    ]);
  });
});
