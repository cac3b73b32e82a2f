// Bad input gets a clear error and changes nothing.
import { afterEach, describe, expect, it } from "vitest";
import {
  control,
  createWorkroom,
  getWorkroom,
  listRooms,
  startWorkroom,
  workroomHistory,
} from "../../src/app/workrooms.js";
import { createWorkspace } from "../../src/app/workspaces.js";
import { ownerOf, proposalRoom } from "../support/fixtures.js";
import { startHarness, type Harness } from "../support/harness.js";
import { DIALECTS } from "../support/databases.js";

describe.each(DIALECTS)("bad input on %s", (dialect) => {
  let h: Harness;
  afterEach(async () => h?.close());

  it("refuses an unknown room and another workspace's room as not found", async () => {
    h = await startHarness(dialect, { worker: false });
    const actor = ownerOf(h.workspace);
    await expect(startWorkroom(h.runtime.deps, actor, "room_nope")).rejects.toMatchObject({
      code: "not_found",
    });
    const other = await createWorkspace(h.runtime.deps, {
      name: "Other",
      plan: "agency",
      defaultModel: "scripted",
    });
    const theirs = await createWorkroom(h.runtime.deps, ownerOf(other), proposalRoom());
    await expect(getWorkroom(h.runtime.deps, actor, theirs.id)).rejects.toMatchObject({
      code: "not_found",
      message: `No workroom ${theirs.id} in this workspace.`,
    });
    await expect(
      control(h.runtime.deps, actor, theirs.id, { type: "cancel" }),
    ).rejects.toMatchObject({ code: "not_found" });
    expect((await getWorkroom(h.runtime.deps, ownerOf(other), theirs.id)).room.state).toBe("draft");
  });

  it("refuses an illegal command without changing the room or its history", async () => {
    h = await startHarness(dialect, { worker: false });
    const actor = ownerOf(h.workspace);
    const room = await createWorkroom(h.runtime.deps, actor, proposalRoom());
    const before = await workroomHistory(h.runtime.deps, actor, room.id);
    await expect(control(h.runtime.deps, actor, room.id, { type: "resume" })).rejects.toMatchObject(
      {
        code: "illegal_transition",
        message: "Cannot resume a workroom that is draft: only a paused room can resume",
      },
    );
    await expect(
      control(h.runtime.deps, actor, room.id, { type: "request_revision" }),
    ).rejects.toMatchObject({ code: "illegal_transition" });
    expect((await getWorkroom(h.runtime.deps, actor, room.id)).room.state).toBe("draft");
    expect(await workroomHistory(h.runtime.deps, actor, room.id)).toEqual(before);
  });

  it("refuses more than 10 blocks or 100 KB and stores nothing", async () => {
    h = await startHarness(dialect, { worker: false });
    const actor = ownerOf(h.workspace);
    const eleven = Array.from({ length: 11 }, (_, i) => ({
      kind: "doc" as const,
      content: `block ${i}`,
    }));
    await expect(
      createWorkroom(h.runtime.deps, actor, proposalRoom({ inputs: eleven })),
    ).rejects.toMatchObject({
      code: "input_limit",
      message: expect.stringContaining("at most 10 paste blocks"),
    });
    const huge = [{ kind: "brief" as const, content: "x".repeat(100_001) }];
    await expect(
      createWorkroom(h.runtime.deps, actor, proposalRoom({ inputs: huge })),
    ).rejects.toMatchObject({
      code: "input_limit",
      message: expect.stringContaining("100 KB"),
    });
    await expect(
      createWorkroom(h.runtime.deps, actor, proposalRoom({ deliverables: [] })),
    ).rejects.toMatchObject({ code: "invalid_input" });
    expect(await listRooms(h.runtime.deps, actor)).toEqual([]);
  });

  it("sends an invalid plan back twice with its errors, then fails the room with the reason", async () => {
    h = await startHarness(dialect, {
      model: {
        respond: (c) =>
          c.req.purpose === "plan"
            ? {
                tasks: [
                  {
                    ordinal: 1,
                    title: "Write",
                    type: "agent_work",
                    agent: "Nobody",
                    depends_on: [2],
                  },
                  { ordinal: 2, title: "Compose", type: "composition", agent: "Composer" },
                ],
              }
            : undefined,
      },
    });
    const actor = ownerOf(h.workspace);
    const room = await createWorkroom(h.runtime.deps, actor, proposalRoom());
    await startWorkroom(h.runtime.deps, actor, room.id);
    const failed = await h.waitFor(room.id, ["failed", "executing"]);
    expect(failed.state).toBe("failed");
    expect(failed.failureReason).toContain('agent "Nobody" is not attached');
    const history = await workroomHistory(h.runtime.deps, actor, room.id);
    expect(history.filter((e) => e.type === "plan.rejected")).toHaveLength(3);
    // The retries carried the validation errors to the Planner.
    const asks = h.model.log.filter((c) => c.req.purpose === "plan");
    expect(asks).toHaveLength(3);
    expect(asks[2]!.prompt).toContain("may depend only on earlier tasks");
    expect((await getWorkroom(h.runtime.deps, actor, room.id)).tasks).toEqual([]);
  });
});
