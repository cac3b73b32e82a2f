// Group commit: the units of one batch commit together, and a unit that fails is rolled back alone
// without losing or changing what the other units wrote.
import { describe, expect, it } from "vitest";
import { execOf } from "../../src/store/exec.js";
import { insertWorkspace, listWorkspaces } from "../../src/store/workspaces.js";
import { DIALECTS, useTestStores } from "../support/databases.js";

const openTestStore = useTestStores();

describe.each(DIALECTS)("a batch of units on %s", (dialect) => {
  for (const separate of [false, true])
    it(`keeps the units that succeed and rolls back the one that fails${separate ? " (one transaction per unit)" : ""}`, async () => {
      const store = await openTestStore(dialect);
      const now = new Date();
      const add = (name: string) =>
        insertWorkspace(execOf(store), { name, plan: "solo", defaultModel: "scripted", now });
      const results = await store.batch(
        async (unit) => {
          const first = await unit((tx) =>
            insertWorkspace(
              { db: tx, dialect, seal: store.cipher.seal },
              { name: "first", plan: "solo", defaultModel: "scripted", now },
            ),
          );
          const broken = await unit(async (tx) => {
            await insertWorkspace(
              { db: tx, dialect, seal: store.cipher.seal },
              { name: "broken", plan: "solo", defaultModel: "scripted", now },
            );
            throw new Error("this room's commit fails");
          });
          const third = await unit((tx) =>
            insertWorkspace(
              { db: tx, dialect, seal: store.cipher.seal },
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
      const names = (await listWorkspaces(execOf(store))).map((w) => w.name).sort();
      // Each workspace comes with its Planner and Composer: the broken unit left neither behind.
      expect(names).toEqual(["after", "first", "third"]);
      const agents = await store.db.selectFrom("agents").select("workspace_id").execute();
      expect(new Set(agents.map((a) => a.workspace_id)).size).toBe(3);
    });

  it("rolls back every unit when the batch itself fails", async () => {
    const store = await openTestStore(dialect);
    const now = new Date();
    const attempt = store.batch(async (unit) => {
      await unit((tx) =>
        insertWorkspace(
          { db: tx, dialect, seal: store.cipher.seal },
          { name: "kept?", plan: "solo", defaultModel: "scripted", now },
        ),
      );
      throw new Error("the worker's turn broke");
    });
    await expect(attempt).rejects.toThrow("the worker's turn broke");
    const names = (await listWorkspaces(execOf(store))).map((w) => w.name);
    // SQLite: nothing of the shared transaction is kept. PostgreSQL: the unit was its own transaction.
    expect(names).toEqual(dialect === "sqlite" ? [] : ["kept?"]);
  });
});
