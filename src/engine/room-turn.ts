// One room's unit in a worker's turn: lock the room once, commit the steps of it the worker
// finished (their commits claim the steps they make due as they insert them), then begin every
// step claimed for the room.
//
// A part must not take the others with it when it fails: a begin refused for lack of credits, say,
// leaves the commit before it in place. Run carefully, each part of a unit of several runs under a
// savepoint of its own for that. Parts rarely fail, so the turn first runs a unit optimistically,
// every part without a savepoint, and only a unit that failed runs again carefully (turn.ts): the
// outcome is the same, and the common unit (a step committed, the step it made due begun) skips
// two statements and the bookkeeping of a savepoint.
import type { Workroom } from "../domain/types.js";
import type { Step } from "../store/steps.js";
import { recallTasks } from "../store/tasks.js";
import { findWorkroom } from "../store/workrooms.js";
import { beginIn, outcomeOfRefusedBegin, type Begun } from "./begin.js";
import { commitIn, type Finished } from "./commit.js";
import type { EngineDeps } from "./deps.js";
import { Meter, UnitWorkspace } from "./metering.js";
import { attempt, type Tx } from "./tx.js";
import type { WorkroomId, WorkspaceId } from "../domain/ids.js";

export interface RoomWork {
  roomId: string;
  workspaceId: string;
  /** Steps of the room the worker finished, to commit. */
  commits: Finished[];
  /** Steps of the room the turn's claim took, to begin. */
  claimed: Step[];
}

export interface RoomTurnResult {
  begun: Begun[];
  refused: Finished[];
  /** Parts that failed unexpectedly (rolled back alone): their steps' leases expire. */
  failed: { step: Step; error: unknown }[];
}

/**
 * Whether the unit may have several parts: the begins of the steps its commits claim are parts
 * too. A unit that only begins one step runs the same whether careful or not.
 */
export const mayHaveSeveralParts = (work: RoomWork): boolean =>
  work.commits.length > 0 || work.claimed.length > 1;

/**
 * `careful`: each part of several under a savepoint of its own, so one that fails is reported and
 * the others are kept. Otherwise any part that fails fails the whole unit (which is rolled back).
 */
export async function roomTurn(
  tx: Tx,
  deps: EngineDeps,
  work: RoomWork,
  onClaimed: (step: Step) => void,
  careful: boolean,
): Promise<RoomTurnResult> {
  const result: RoomTurnResult = { begun: [], refused: [], failed: [] };
  let room = await findWorkroom(tx.ex, work.workspaceId as WorkspaceId, work.roomId as WorkroomId, {
    lock: true,
  });
  if (room) recallTasks(tx.ex, room);
  const workspace = new UnitWorkspace(tx, work.workspaceId);
  // A part alone in its unit needs no savepoint of its own: if it fails, the unit is rolled back
  // and the turn reports it. (The steps a commit claims fail with it: they were never inserted.)
  const alone = work.commits.length + work.claimed.length === 1;
  const direct = !careful || alone;
  for (const finished of work.commits) {
    if (!room) break; // the room is gone: nothing to commit
    const current: Workroom = room;
    const r = direct
      ? { ok: true as const, value: await commitIn(tx, deps, finished, current, workspace) }
      : await attempt(tx, () => commitIn(tx, deps, finished, current, workspace));
    if (r.ok) room = r.value;
    else result.failed.push({ step: finished.step, error: r.error });
  }
  const claimedByCommits = tx.claim?.claimed ?? [];
  for (const step of claimedByCommits) onClaimed(step);
  const steps = [...work.claimed, ...claimedByCommits];
  for (const step of steps) {
    const meter = new Meter(deps, step, step.kind === "revise");
    const current = room;
    // Carefully, a begin runs on its own only as the unit's one part (a step the claim took).
    const r =
      !careful || (alone && work.claimed.length === 1)
        ? { ok: true as const, value: await beginIn(tx, deps, step, meter, current, workspace) }
        : await attempt(tx, () => beginIn(tx, deps, step, meter, current, workspace));
    if (r.ok) {
      if (r.value) result.begun.push(r.value);
      continue;
    }
    const outcome = outcomeOfRefusedBegin(r.error);
    if (outcome)
      result.refused.push({ step, meta: { taskId: step.taskId, agentId: null }, outcome, meter });
    else result.failed.push({ step, error: r.error });
  }
  return result;
}
