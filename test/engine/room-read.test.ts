// A room's page (getWorkroom) read while the engine runs it agrees with itself: the room and its
// tasks come from one moment. Read apart, a commit in between could pair a room still planning
// with the plan's tasks (the page showed "Planning" with neither the plan's approval nor its
// progress), or a completed room with tasks not yet done.
import { setImmediate } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { createWorkroom, getWorkroom, startWorkroom } from "../../src/app/workrooms.js";
import { DIALECTS } from "../support/databases.js";
import { ownerOf, proposalRoom } from "../support/fixtures.js";
import { startHarness, type Harness } from "../support/harness.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe.each(DIALECTS)("a room read while it runs (%s)", (dialect) => {
  it("never pairs the room's state with tasks of another moment", async () => {
    h = await startHarness(dialect, { model: { latencyMs: 5 } });
    const deps = h.runtime.deps;
    const actor = ownerOf(h.workspace);
    const rooms = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const room = await createWorkroom(deps, actor, proposalRoom());
        await startWorkroom(deps, actor, room.id);
        return room.id;
      }),
    );
    const mismatches: string[] = [];
    let reads = 0;
    const watch = async (id: string) => {
      for (;;) {
        const { room, tasks } = await getWorkroom(deps, actor, id, { drafts: false });
        reads++;
        const done = tasks.filter((t) => t.status === "succeeded").length;
        if (room.state === "planning" && tasks.length > 0)
          mismatches.push(`planning with ${tasks.length} tasks`);
        if (room.state === "executing" && tasks.length === 0)
          mismatches.push("executing without tasks");
        if (room.state === "completed" && done < tasks.length)
          mismatches.push(`completed with ${done} of ${tasks.length} tasks done`);
        if (room.state === "completed" || room.state === "failed") return room.state;
        await setImmediate(); // SQLite reads synchronously: let the engine's timers run
      }
    };
    expect(await Promise.all(rooms.map(watch))).toEqual(rooms.map(() => "completed"));
    expect(reads).toBeGreaterThan(rooms.length * 2);
    expect(mismatches).toEqual([]);
  });
});
