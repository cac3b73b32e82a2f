// A backup of the embedded database taken while a room is being worked: the copy is whole, opens
// with the master key (and only with it), holds the finished room as the app reads it, and the
// work goes on meanwhile. A file is never overwritten; PostgreSQL says to use its own tools.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  createWorkroom,
  getWorkroom,
  startWorkroom,
  workroomHistory,
} from "../../src/app/workrooms.js";
import { openRuntime } from "../../src/runtime.js";
import { ScriptedModel } from "../../src/models/scripted.js";
import { backupTo } from "../../src/store/backup.js";
import { openStore } from "../../src/store/db.js";
import { MasterKeyMismatchError } from "../../src/store/crypto/key-check.js";
import { randomMasterKey } from "../../src/store/crypto/master-key.js";
import { ownerOf, proposalRoom } from "../support/fixtures.js";
import { startHarness, type Harness } from "../support/harness.js";
import { TEST_MASTER_KEY } from "../support/keys.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe("backup of the embedded database", () => {
  it("copies a consistent database while a room runs, which opens only with the master key", async () => {
    h = await startHarness("sqlite", { model: { latencyMs: (c) => (c.index > 7 ? 150 : 0) } });
    const actor = ownerOf(h.workspace);
    const done = await createWorkroom(h.runtime.deps, actor, proposalRoom());
    await startWorkroom(h.runtime.deps, actor, done.id);
    expect((await h.waitFor(done.id, ["completed"])).state).toBe("completed");
    const running = await createWorkroom(h.runtime.deps, actor, proposalRoom({ title: "Second" }));
    await startWorkroom(h.runtime.deps, actor, running.id);
    await h.waitFor(running.id, ["executing"]);

    const file = join(h.db.url, "..", "backup.db");
    const backup = await backupTo(h.runtime.deps.store, file);
    expect(backup).toMatchObject({ file, rooms: 2 });
    expect(backup.bytes).toBeGreaterThan(0);
    await expect(backupTo(h.runtime.deps.store, file)).rejects.toThrow(
      `${file} exists already; a backup never overwrites a file.`,
    );
    // The work went on beside it.
    expect((await h.waitFor(running.id, ["completed"])).state).toBe("completed");

    const copy = await openRuntime({
      databaseUrl: file,
      masterKey: TEST_MASTER_KEY,
      models: new ScriptedModel(),
    });
    try {
      const original = await getWorkroom(h.runtime.deps, actor, done.id);
      const restored = await getWorkroom(copy.deps, actor, done.id);
      expect(restored.drafts.map((d) => d.document)).toEqual(
        original.drafts.map((d) => d.document),
      );
      expect(restored.tasks.map((t) => t.output)).toEqual(original.tasks.map((t) => t.output));
      const history = await workroomHistory(copy.deps, actor, done.id);
      expect(history.map((e) => e.seq)).toEqual(history.map((_, i) => i + 1));
      // The room in flight is in the copy as it stood: started, not finished.
      expect((await getWorkroom(copy.deps, actor, running.id)).room.state).toBe("executing");
    } finally {
      await copy.close();
    }
    await expect(openStore(file, { masterKey: randomMasterKey() })).rejects.toBeInstanceOf(
      MasterKeyMismatchError,
    );
  });

  it("is refused on PostgreSQL with the command to use instead", async () => {
    h = await startHarness("postgres", { worker: false });
    const file = join(h.db.url.startsWith("/") ? h.db.url : "/tmp", "never.db");
    await expect(backupTo(h.runtime.deps.store, file)).rejects.toThrow(/pg_dump --format=custom/);
    expect(existsSync(file)).toBe(false);
  });
});
