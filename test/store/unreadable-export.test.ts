// A workspace export that meets a value it cannot open (sealed under another master key) stops
// saying which table, column, row and room hold it, on both stores, so the operator can act on
// that row; it stopped with the cipher's words alone, naming nothing.
import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { writeWorkspaceArchive } from "../../src/app/workspace-data.js";
import { createWorkroom } from "../../src/app/workrooms.js";
import { createCipher } from "../../src/store/crypto/cipher.js";
import { parseMasterKey } from "../../src/store/crypto/master-key.js";
import { DIALECTS } from "../support/databases.js";
import { ownerOf, proposalRoom } from "../support/fixtures.js";
import { startHarness, type Harness } from "../support/harness.js";

const discard = () =>
  new Writable({
    write: (_chunk, _encoding, done) => done(),
  });

describe.each(DIALECTS)("workspace export on %s", (dialect) => {
  let h: Harness;
  afterEach(async () => h?.close());

  it("names the table, column, row and room of a value it cannot open", async () => {
    h = await startHarness(dialect, { worker: false });
    const deps = h.runtime.deps;
    const actor = ownerOf(h.workspace);
    const room = await createWorkroom(deps, actor, proposalRoom());
    const db = deps.store.db;
    const row = await db
      .selectFrom("history")
      .select("id")
      .where("workroom_id", "=", room.id)
      .executeTakeFirstOrThrow();
    const oldKey = createCipher(parseMasterKey("22".repeat(32), "the old key"));
    await db
      .updateTable("history")
      .set({ data: oldKey.seal(h.workspace.id, "{}") })
      .where("id", "=", row.id)
      .execute();

    await expect(writeWorkspaceArchive(deps, actor, discard())).rejects.toThrow(
      `a value of the history table does not open. A sealed value of workspace ${h.workspace.id} does not open`,
    );
    await expect(writeWorkspaceArchive(deps, actor, discard())).rejects.toThrow(
      `(column data, row ${row.id}, room ${room.id})`,
    );
  });
});
