// Master key rotation: after a whole room, every sealed value is re-sealed under a new key in one
// transaction. The app reads the same room back with the new key, the old key no longer opens the
// database, and a rotation that cannot finish (a value that does not open, a running worker, on
// PostgreSQL any process still connected) changes nothing.
import { afterEach, describe, expect, it } from "vitest";
import {
  getWorkroom,
  startWorkroom,
  createWorkroom,
  workroomHistory,
} from "../../src/app/workrooms.js";
import { getModelSettings, updateModelSettings } from "../../src/app/model-settings.js";
import { poolExec } from "../../src/engine/deps.js";
import { openRuntime } from "../../src/runtime.js";
import { ScriptedModel } from "../../src/models/scripted.js";
import { openStore } from "../../src/store/db.js";
import { listInputs } from "../../src/store/workrooms.js";
import { SEALED_PREFIX } from "../../src/store/crypto/cipher.js";
import { MasterKeyMismatchError } from "../../src/store/crypto/key-check.js";
import { randomMasterKey, type MasterKey } from "../../src/store/crypto/master-key.js";
import { rotateMasterKey } from "../../src/store/crypto/rotate.js";
import type { Actor } from "../../src/app/context.js";
import { DIALECTS } from "../support/databases.js";
import { ownerOf, proposalRoom } from "../support/fixtures.js";
import { startHarness, type Harness } from "../support/harness.js";
import { TEST_MASTER_KEY } from "../support/keys.js";

const PROVIDER_KEY = "sk-ant-api03-rotate-me-0987654321-wxyz";

/** Every sealed value as stored, by table.column and row id. */
async function sealedValues(url: string, key: MasterKey): Promise<Map<string, string>> {
  const store = await openStore(url, { masterKey: key, migrate: false });
  try {
    const raw = store.db.withoutPlugins();
    const out = new Map<string, string>();
    const columns = [
      ["inputs", "content"],
      ["tasks", "output"],
      ["history", "data"],
      ["drafts", "document"],
      ["workspaces", "secrets"],
      ["installation", "key_check"],
    ] as const;
    for (const [table, column] of columns) {
      const rows = (await raw
        .selectFrom(table)
        .select(["id", column] as never)
        .execute()) as unknown as Record<string, unknown>[];
      for (const r of rows)
        if (typeof r[column] === "string" && (r[column] as string).startsWith(SEALED_PREFIX))
          out.set(`${table}.${column}:${String(r.id)}`, r[column] as string);
    }
    return out;
  } finally {
    await store.close();
  }
}

/** What people see of a room, read through the app with `key`. */
async function roomAsRead(url: string, key: MasterKey, actor: Actor, roomId: string) {
  const rt = await openRuntime({ databaseUrl: url, masterKey: key, models: new ScriptedModel() });
  try {
    const detail = await getWorkroom(rt.deps, actor, roomId);
    return {
      tasks: detail.tasks.map((t) => [t.title, t.output]),
      drafts: detail.drafts.map((d) => d.document),
      inputs: (await listInputs(poolExec(rt.deps), actor.workspaceId, roomId)).map(
        (i) => i.content,
      ),
      history: (await workroomHistory(rt.deps, actor, roomId)).map((e) => [e.seq, e.type, e.data]),
      providerKey: (await getModelSettings(rt.deps, actor)).anthropic.api_key,
    };
  } finally {
    await rt.close();
  }
}

let h: Harness | undefined;
let running = false;
afterEach(async () => {
  if (running) await h?.runtime.close();
  await h?.db.drop();
  h = undefined;
});

async function harness(
  dialect: (typeof DIALECTS)[number],
  o?: Parameters<typeof startHarness>[1],
): Promise<Harness> {
  h = await startHarness(dialect, o);
  running = true;
  return h;
}

describe.each(DIALECTS)("master key rotation (%s)", (dialect) => {
  /** A completed room with a provider key set, and every process on the database stopped. */
  async function completedRoom(): Promise<{ url: string; actor: Actor; roomId: string }> {
    const h = await harness(dialect);
    const actor = ownerOf(h.workspace);
    await updateModelSettings(h.runtime.deps, actor, { anthropic: { api_key: PROVIDER_KEY } });
    const room = await createWorkroom(h.runtime.deps, actor, proposalRoom());
    await startWorkroom(h.runtime.deps, actor, room.id);
    expect((await h.waitFor(room.id, ["completed", "failed"])).state).toBe("completed");
    await h.runtime.close();
    running = false;
    return { url: h.db.url, actor, roomId: room.id };
  }

  it("re-seals every value under the new key: the room reads the same, the old key is refused", async () => {
    const { url, actor, roomId } = await completedRoom();
    const before = await roomAsRead(url, TEST_MASTER_KEY, actor, roomId);
    const sealedBefore = await sealedValues(url, TEST_MASTER_KEY);
    expect(before.providerKey).toBe("sk-…wxyz");

    const next = randomMasterKey();
    const store = await openStore(url, { masterKey: TEST_MASTER_KEY });
    const report = await rotateMasterKey(store, { from: TEST_MASTER_KEY, to: next });
    await store.close();

    expect(report.byTable).toMatchObject({
      inputs: expect.any(Number),
      tasks: expect.any(Number),
      history: expect.any(Number),
      drafts: 1,
      workspaces: expect.any(Number),
      installation: 1,
    });
    expect(report.values).toBeGreaterThanOrEqual(sealedBefore.size);
    const sealedAfter = await sealedValues(url, next);
    expect([...sealedAfter.keys()].sort()).toEqual([...sealedBefore.keys()].sort());
    for (const [at, value] of sealedAfter) expect(value, at).not.toBe(sealedBefore.get(at));

    expect(await roomAsRead(url, next, actor, roomId)).toEqual(before);
    await expect(openStore(url, { masterKey: TEST_MASTER_KEY })).rejects.toBeInstanceOf(
      MasterKeyMismatchError,
    );
  });

  it("changes nothing when a value does not open with the current key", async () => {
    const { url } = await completedRoom();
    const store = await openStore(url, { masterKey: TEST_MASTER_KEY });
    // One altered envelope in the history, as a damaged backup would have.
    const raw = store.db.withoutPlugins();
    const last = await raw
      .selectFrom("history")
      .select(["id", "data"])
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    const altered = `${last.data.slice(0, -6)}AAAAAA`;
    await raw.updateTable("history").set({ data: altered }).where("id", "=", last.id).execute();
    const sealedBefore = await sealedValues(url, TEST_MASTER_KEY);

    await expect(
      rotateMasterKey(store, { from: TEST_MASTER_KEY, to: randomMasterKey() }),
    ).rejects.toThrow(
      new RegExp(
        `^history\\.data of row ${last.id} does not open with the current master key .*nothing was changed\\.$`,
      ),
    );
    await store.close();
    expect(await sealedValues(url, TEST_MASTER_KEY)).toEqual(sealedBefore);
    await (await openStore(url, { masterKey: TEST_MASTER_KEY })).close(); // the old key still opens it
  });

  it("is refused while a worker runs a step, and when the new key is the current one", async () => {
    const h = await harness(dialect, { model: { latencyMs: 10_000 } });
    const actor = ownerOf(h.workspace);
    const room = await createWorkroom(h.runtime.deps, actor, proposalRoom());
    await startWorkroom(h.runtime.deps, actor, room.id);
    // The Planner's step is claimed and being worked (its model call takes 10 s).
    await expect
      .poll(async () => {
        const claimed = await poolExec(h.runtime.deps)
          .db.selectFrom("steps")
          .select("id")
          .where("status", "=", "claimed")
          .execute();
        return claimed.length;
      })
      .toBe(1);
    const sealedBefore = await sealedValues(h.db.url, TEST_MASTER_KEY);
    const store = await openStore(h.db.url, { masterKey: TEST_MASTER_KEY });
    try {
      await expect(
        rotateMasterKey(store, { from: TEST_MASTER_KEY, to: randomMasterKey() }),
      ).rejects.toThrow(
        /^A worker is running: it holds 1 step\(s\) until .*Stop every Atelya process/,
      );
      await expect(
        rotateMasterKey(store, { from: TEST_MASTER_KEY, to: TEST_MASTER_KEY }),
      ).rejects.toThrow("The new master key is the one the database is sealed with already.");
    } finally {
      await store.close();
    }
    expect(await sealedValues(h.db.url, TEST_MASTER_KEY)).toEqual(sealedBefore);
  });
});

describe("master key rotation on PostgreSQL", () => {
  it("is refused while another Atelya process is connected, an idle server too", async () => {
    // A server with no worker and no room: no lease shows it, its bus connection does.
    const h = await harness("postgres", { worker: false });
    const sealedBefore = await sealedValues(h.db.url, TEST_MASTER_KEY);
    const store = await openStore(h.db.url, { masterKey: TEST_MASTER_KEY });
    try {
      await expect(
        rotateMasterKey(store, { from: TEST_MASTER_KEY, to: randomMasterKey() }),
      ).rejects.toThrow(
        /^1 Atelya process\(es\) are connected to this database \(application_name 'atelya-bus' in pg_stat_activity\)\. Stop every Atelya process/,
      );
      expect(await sealedValues(h.db.url, TEST_MASTER_KEY)).toEqual(sealedBefore);
      // Once it has stopped, the rotation goes through.
      await h.runtime.close();
      running = false;
      const report = await rotateMasterKey(store, {
        from: TEST_MASTER_KEY,
        to: randomMasterKey(),
      });
      expect(report.byTable).toMatchObject({ installation: 1 });
    } finally {
      await store.close();
    }
  });
});
