// A read snapshot (StoreConnection.readSnapshot): its reads agree with each other while writes go
// on beside it, and the writes are not held up by it. A workspace's export reads through one.
import { describe, expect, it } from "vitest";
import { sql } from "kysely";
import { insertWorkspace } from "../../src/store/workspaces.js";
import { DIALECTS, useTestStores } from "../support/databases.js";

const openTestStore = useTestStores();

describe.each(DIALECTS)("a read snapshot on %s", (dialect) => {
  it("keeps seeing the moment it began while a writer commits beside it", async () => {
    const store = await openTestStore(dialect);
    const now = new Date();
    const add = (name: string) =>
      store.transaction((tx) =>
        insertWorkspace(
          { db: tx, dialect, seal: store.cipher.seal },
          { name, plan: "solo", defaultModel: "scripted", now },
        ),
      );
    await add("before");
    const names = (db: typeof store.db) =>
      db
        .selectFrom("workspaces")
        .select("name")
        .orderBy("name")
        .execute()
        .then((rows) => rows.map((r) => r.name));
    const seen = await store.readSnapshot(async (db) => {
      const first = await names(db);
      // Committed while the snapshot is open: the writer is not blocked, the snapshot does not see it.
      await add("during");
      return { first, again: await names(db) };
    });
    expect(seen).toEqual({ first: ["before"], again: ["before"] });
    expect(await names(store.db)).toEqual(["before", "during"]);
  });

  it("is read only", async () => {
    const store = await openTestStore(dialect);
    await expect(
      store.readSnapshot((db) => sql`create table nope (id integer)`.execute(db)),
    ).rejects.toThrow(/read.?only|readonly/i);
  });
});
