// Group commit: the units of one batch commit together, and a unit that fails is rolled back alone
// without losing or changing what the other units wrote.
import { afterEach, describe, expect, it } from "vitest";
import { execOf } from "../../src/store/exec.js";
import { TEST_MASTER_KEY } from "../support/keys.js";
import { openStore, type StoreConnection } from "../../src/store/db.js";
import { insertWorkspace, listWorkspaces } from "../../src/store/workspaces.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../support/databases.js";

let db: TestDatabase | undefined;
let store: StoreConnection | undefined;

afterEach(async () => {
  await store?.close();
  await db?.drop();
  store = undefined;
  db = undefined;
});

describe.each(DIALECTS)("a batch of units on %s", (dialect) => {
  for (const separate of [false, true])
    it(`keeps the units that succeed and rolls back the one that fails${separate ? " (one transaction per unit)" : ""}`, async () => {
      db = await createTestDatabase(dialect);
      store = await openStore(db.url, { masterKey: TEST_MASTER_KEY });
      const s = store;
      const now = new Date();
      const add = (name: string) =>
        insertWorkspace(execOf(s), { name, plan: "solo", defaultModel: "scripted", now });
      const results = await s.batch(
        async (unit) => {
          const first = await unit((tx) =>
            insertWorkspace(
              { db: tx, dialect, seal: s.cipher.seal },
              { name: "first", plan: "solo", defaultModel: "scripted", now },
            ),
          );
          const broken = await unit(async (tx) => {
            await insertWorkspace(
              { db: tx, dialect, seal: s.cipher.seal },
              { name: "broken", plan: "solo", defaultModel: "scripted", now },
            );
            throw new Error("this room's commit fails");
          });
          const third = await unit((tx) =>
            insertWorkspace(
              { db: tx, dialect, seal: s.cipher.seal },
              { name: "third", plan: "solo", defaultModel: "scripted", now },
            ),
          );
          return [first, broken, third];
        },
        { separate },
      );
      expect(results.map((r) => r.ok)).toEqual([true, false, true]);
      const failed = results[1];
      expect(failed && !failed.ok && failed.error instanceof Error && failed.error.message).toBe(
        "this room's commit fails",
      );
      await add("after");
      const names = (await listWorkspaces(execOf(s))).map((w) => w.name).sort();
      // Each workspace comes with its Planner and Composer: the broken unit left neither behind.
      expect(names).toEqual(["after", "first", "third"]);
      const agents = await s.db.selectFrom("agents").select("workspace_id").execute();
      expect(new Set(agents.map((a) => a.workspace_id)).size).toBe(3);
    });

  it("rolls back every unit when the batch itself fails", async () => {
    db = await createTestDatabase(dialect);
    store = await openStore(db.url, { masterKey: TEST_MASTER_KEY });
    const s = store;
    const now = new Date();
    const attempt = s.batch(async (unit) => {
      await unit((tx) =>
        insertWorkspace(
          { db: tx, dialect, seal: s.cipher.seal },
          { name: "kept?", plan: "solo", defaultModel: "scripted", now },
        ),
      );
      throw new Error("the worker's turn broke");
    });
    await expect(attempt).rejects.toThrow("the worker's turn broke");
    const names = (await listWorkspaces(execOf(s))).map((w) => w.name);
    // SQLite: nothing of the shared transaction is kept. PostgreSQL: the unit was its own transaction.
    expect(names).toEqual(dialect === "sqlite" ? [] : ["kept?"]);
  });
});
