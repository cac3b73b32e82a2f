// Group commit: the units of one batch commit together, and a unit that fails is rolled back alone
// without losing or changing what the other units wrote.
import { describe, expect, it } from "vitest";
import type { Db } from "../../src/store/db.js";
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

  it("keeps a bare unit alone in its batch when it succeeds, and nothing of it when it fails", async () => {
    const store = await openTestStore(dialect);
    const now = new Date();
    const insert = (name: string, fail: boolean) =>
      store.batch((unit) =>
        unit(
          async (tx) => {
            await insertWorkspace(
              { db: tx, dialect, seal: store.cipher.seal },
              { name, plan: "solo", defaultModel: "scripted", now },
            );
            if (fail) throw new Error(`${name} fails`);
          },
          { bare: true },
        ),
      );
    expect((await insert("kept", false)).ok).toBe(true);
    const failed = await insert("dropped", true);
    expect(!failed.ok && failed.error instanceof Error && failed.error.message).toBe(
      "dropped fails",
    );
    // The store goes on: the next batch commits as usual.
    expect((await insert("next", false)).ok).toBe(true);
    const names = (await listWorkspaces(execOf(store))).map((w) => w.name).sort();
    expect(names).toEqual(["kept", "next"]);
    const agents = await store.db.selectFrom("agents").select("workspace_id").execute();
    expect(new Set(agents.map((a) => a.workspace_id)).size).toBe(2);
  });

  it("keeps bare units beside others; one that fails takes the batch with it and ends it", async () => {
    const store = await openTestStore(dialect);
    const now = new Date();
    const add = (tx: Db, name: string) =>
      insertWorkspace(
        { db: tx, dialect, seal: store.cipher.seal },
        { name, plan: "solo", defaultModel: "scripted", now },
      );
    const kept = await store.batch(async (unit) => [
      await unit((tx) => add(tx, "saved")),
      await unit((tx) => add(tx, "bare"), { bare: true }),
      await unit((tx) => add(tx, "after"), { bare: true }),
    ]);
    expect(kept.map((u) => u.ok)).toEqual([true, true, true]);

    const attempt = store.batch(async (unit) => {
      const first = await unit((tx) => add(tx, "first"));
      const broken = await unit(
        async (tx) => {
          await add(tx, "broken");
          throw new Error("broken fails");
        },
        { bare: true },
      );
      return { first, broken, next: await unit((tx) => add(tx, "next")) };
    });
    const names = async () => (await listWorkspaces(execOf(store))).map((w) => w.name).sort();
    if (dialect === "sqlite") {
      // The bare unit had no savepoint: the batch's transaction went, and no unit may follow.
      await expect(attempt).rejects.toThrow("can run no more units");
      expect(await names()).toEqual(["after", "bare", "saved"]);
    } else {
      // PostgreSQL runs every unit as a transaction of its own: only the broken one is undone.
      const { first, broken, next } = await attempt;
      expect([first.ok, broken.ok, next.ok]).toEqual([true, false, true]);
      expect(await names()).toEqual(["after", "bare", "first", "next", "saved"]);
    }
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
