// A worker's turn commits several rooms' steps in one batch. When one room's unit fails (here: the
// begins of the steps its commit made due are refused), that room keeps its commit and its refused
// begins are reported, and the other rooms' units are kept whole, whatever order they ran in.
import { afterEach, describe, expect, it } from "vitest";
import { createAgent } from "../../src/app/agents.js";
import { createWorkroom, startWorkroom } from "../../src/app/workrooms.js";
import type { Begun } from "../../src/engine/begin.js";
import type { Finished } from "../../src/engine/commit.js";
import { runTurn, type TurnResult } from "../../src/engine/turn.js";
import { poolExec } from "../../src/engine/deps.js";
import { listTasks } from "../../src/store/tasks.js";
import { findWorkroom } from "../../src/store/workrooms.js";
import type { WorkroomId } from "../../src/domain/ids.js";
import { DIALECTS } from "../support/databases.js";
import { ownerOf, proposalRoom } from "../support/fixtures.js";
import { startHarness, type Harness } from "../support/harness.js";
import { planOf } from "../support/plans.js";

describe.each(DIALECTS)("a worker's turn on %s", (dialect) => {
  let h: Harness;
  afterEach(async () => h?.close());

  for (const order of ["refused room first", "refused room last"] as const)
    it(`keeps each room's commit when one room's next begins are refused in the same batch (${order})`, async () => {
      let cloud = "";
      h = await startHarness(dialect, {
        worker: false,
        model: {
          respond: (call) =>
            planOf([
              { title: "Research", agent: cloud },
              { title: "Outline", agent: cloud },
            ])(call),
        },
      });
      const deps = h.runtime.deps;
      const actor = ownerOf(h.workspace);
      // An agent on a hosted model: a room limited to local models refuses to begin its tasks.
      cloud = (
        await createAgent(deps, actor, {
          name: "Cloud writer",
          system_prompt: "Be brief.",
          model: "openai:gpt-4o-mini",
        })
      ).id;
      const open = await createWorkroom(deps, actor, proposalRoom({ agent_ids: [cloud] }));
      const local = await createWorkroom(
        deps,
        actor,
        proposalRoom({
          agent_ids: [cloud],
          paste_flags: { redact_pii: false, local_models_only: true },
        }),
      );
      await startWorkroom(deps, actor, open.id);
      await startWorkroom(deps, actor, local.id);

      const turn = (commits: Finished[], free: number): Promise<TurnResult> =>
        runTurn(deps, { owner: "w-test", commits, free, mayHaveDue: true, onClaimed: () => {} });
      const work = async (b: Begun): Promise<Finished> => ({
        step: b.step,
        meta: b.handler.meta(b.prepared),
        outcome: await b.handler.work(b.prepared, {
          deps,
          step: b.step,
          room: b.room,
          signal: new AbortController().signal,
          meter: b.meter,
        }),
        meter: b.meter,
      });

      // Both rooms' plan steps are claimed, begun and worked.
      const planned = await turn([], 10);
      expect(planned.begun.map((b) => b.step.kind)).toEqual(["plan", "plan"]);
      const finished = await Promise.all(planned.begun.map(work));
      const first = order === "refused room first" ? local.id : open.id;
      finished.sort((a, b) =>
        a.step.workroomId === first ? -1 : b.step.workroomId === first ? 1 : 0,
      );

      // One batch commits both plans; each commit claims its room's two first tasks, exactly the
      // four free slots, and begins them.
      const next = await turn(finished, 4);
      expect(next.failed).toEqual([]);
      const of = <T extends { step: { workroomId: string } }>(items: T[], room: string): T[] =>
        items.filter((i) => i.step.workroomId === room);
      expect(of(next.begun, open.id).map((b) => b.step.kind)).toEqual(["task", "task"]);
      expect(of(next.begun, local.id)).toEqual([]);
      expect(of(next.refused, local.id).map((r) => r.outcome)).toEqual([
        expect.objectContaining({ type: "failed", retryable: false }),
        expect.objectContaining({ type: "failed", retryable: false }),
      ]);
      expect(String((next.refused[0]!.outcome as { reason: string }).reason)).toContain(
        "local_models_only",
      );

      // Both plans are stored, and the refused room's plan call is paid for.
      const ex = poolExec(deps);
      for (const id of [open.id, local.id]) {
        const room = (await findWorkroom(ex, h.workspace.id, id as WorkroomId))!;
        expect(room.state).toBe("executing");
        expect(room.creditsSpent).toBeGreaterThan(0);
        expect((await listTasks(ex, room)).map((t) => t.title)).toEqual([
          "Research",
          "Outline",
          "Compose",
        ]);
      }
    });
});
