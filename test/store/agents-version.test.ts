// Migration 0006: a workspace counts the writes of its agents, which is how the engine knows the
// agents it remembered for a room are stale (store/room-memory.ts).
import { describe, expect, it } from "vitest";
import type { Kysely } from "kysely";
import { execOf } from "../../src/store/exec.js";
import { migrateTo, migrateToLatest } from "../../src/store/migrations.js";
import {
  findWorkspace,
  insertCustomAgent,
  insertWorkspace,
  updateAgent,
} from "../../src/store/workspaces.js";
import { DIALECTS, useTestStores } from "../support/databases.js";

const openTestStore = useTestStores();

describe.each(DIALECTS)("a workspace's agents version on %s", (dialect) => {
  it("starts at 0 on a database made before 0006 and moves with every write of an agent", async () => {
    const store = await openTestStore(dialect, { migrate: false });
    await migrateTo(store.db as Kysely<unknown>, dialect, "0005_live_step_indexes");
    const ex = execOf(store);
    const now = new Date("2026-12-03T10:00:00Z");
    const ws = await insertWorkspace(ex, {
      name: "W",
      plan: "solo",
      defaultModel: "scripted",
      now,
    });
    await migrateToLatest(store.db as Kysely<unknown>, dialect);

    const version = async () => (await findWorkspace(ex, ws.id))!.agentsVersion;
    expect(await version()).toBe(0);
    const agent = await insertCustomAgent(
      ex,
      ws.id,
      {
        name: "Writer",
        roleDescription: "",
        systemPrompt: "",
        model: null,
        temperature: 0.5,
        toolGrants: [],
      },
      now,
    );
    expect(await version()).toBe(1);
    await updateAgent(ex, ws.id, agent.id, { systemPrompt: "Be brief." }, now);
    await updateAgent(ex, ws.id, agent.id, { archived: true }, now);
    expect(await version()).toBe(3);
  });
});
