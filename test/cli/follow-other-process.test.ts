// `atelya run` beside `atelya serve` on one SQLite folder: whichever process works the room, the
// follower sees it finish. (Its own bus hears only its own process, and it read the database again
// only on a terminal, so a run with its output redirected waited for ever once the server's worker
// had claimed the room.)
import { afterAll, expect, it } from "vitest";
import { createWorkroom, startWorkroom } from "../../src/app/workrooms.js";
import type { Actor } from "../../src/app/context.js";
import { watchRoom } from "../../src/cli/follow.js";
import { ScriptedModel } from "../../src/models/scripted.js";
import { openRuntime } from "../../src/runtime.js";
import { startHarness } from "../support/harness.js";
import { TEST_MASTER_KEY } from "../support/keys.js";
import { proposalRoom } from "../support/fixtures.js";

const server = await startHarness("sqlite", { model: { latencyMs: 30 } });
// The CLI's process: the same database, a bus of its own, no worker.
const cli = await openRuntime({
  databaseUrl: server.db.url,
  masterKey: TEST_MASTER_KEY,
  models: new ScriptedModel(),
});
afterAll(async () => {
  await cli.close();
  await server.close();
  await server.db.drop();
});

it("sees a room finish that another process worked, with no terminal and nothing on its bus", async () => {
  const actor: Actor = { id: "cli", workspaceId: server.workspace.id, role: "owner" };
  const room = await createWorkroom(cli.deps, actor, proposalRoom());
  await startWorkroom(cli.deps, actor, room.id);
  const states: string[] = [];
  const rested = await watchRoom(cli.deps, actor, room.id, (d) => states.push(d.room.state));
  expect(rested.room.state).toBe("completed");
  expect(states[0]).not.toBe("completed"); // it was followed while the server worked it
  expect(rested.rounds.map((d) => d.round)).toEqual([1]);
}, 30_000);
