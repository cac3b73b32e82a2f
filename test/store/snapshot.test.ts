// A read snapshot (StoreConnection.readSnapshot): its reads agree with each other while writes go
// on beside it. A workspace's export reads through a long one, which does not hold writers up; a
// room's page reads through a short one (a room and its tasks must agree).
import { describe, expect, it } from "vitest";
import { sql } from "kysely";
import type { StoreConnection } from "../../src/store/db.js";
import { insertWorkspace } from "../../src/store/workspaces.js";
import { DIALECTS, useTestStores } from "../support/databases.js";

const openTestStore = useTestStores();

const add = (store: StoreConnection, name: string) =>
  store.transaction((tx) =>
    insertWorkspace(
      { db: tx, dialect: store.dialect, seal: store.cipher.seal },
      { name, plan: "solo", defaultModel: "scripted", now: new Date() },
    ),
  );

const names = (db: StoreConnection["db"]) =>
  db
    .selectFrom("workspaces")
    .select("name")
    .orderBy("name")
    .execute()
    .then((rows) => rows.map((r) => r.name));

describe.each(DIALECTS)("a read snapshot on %s", (dialect) => {
  it("keeps seeing the moment it began while a writer commits beside it", async () => {
    const store = await openTestStore(dialect);
    await add(store, "before");
    const seen = await store.readSnapshot(async (db) => {
      const first = await names(db);
      // Committed while the snapshot is open: the writer is not blocked, the snapshot does not see it.
      await add(store, "during");
      return { first, again: await names(db) };
    });
    expect(seen).toEqual({ first: ["before"], again: ["before"] });
    expect(await names(store.db)).toEqual(["before", "during"]);
  });

  it("a short one sees the moment it began while this process writes", async () => {
    const store = await openTestStore(dialect);
    await add(store, "before");
    let writing: Promise<unknown> = Promise.resolve();
    const seen = await store.readSnapshot(
      async (db) => {
        const first = await names(db);
        // SQLite: the write queues behind the snapshot's hold on the store's one connection.
        // PostgreSQL: it commits beside the snapshot.
        writing = add(store, "during");
        await new Promise((resolve) => setTimeout(resolve, 50));
        return { first, again: await names(db) };
      },
      { short: true },
    );
    await writing;
    expect(seen).toEqual({ first: ["before"], again: ["before"] });
    expect(await names(store.db)).toEqual(["before", "during"]);
  });

  it.each([{}, { short: true }])(
    "is read only (%o), and the store writes afterwards",
    async (options) => {
      const store = await openTestStore(dialect);
      await expect(
        store.readSnapshot((db) => sql`create table nope (id integer)`.execute(db), options),
      ).rejects.toThrow(/read.?only|readonly/i);
      await add(store, "after");
      expect(await names(store.db)).toEqual(["after"]);
    },
  );
});
