import { afterEach, describe, expect, it } from "vitest";
import {
  createWorkroom,
  getWorkroom,
  startWorkroom,
  workroomHistory,
} from "../../src/app/workrooms.js";
import { wordCount } from "../../src/domain/document.js";
import { estimateHoursSaved } from "../../src/domain/insights.js";
import { listLedger, roomUsage } from "../../src/store/ledger.js";
import { poolExec } from "../../src/engine/deps.js";
import { findWorkspace } from "../../src/store/workspaces.js";
import { DIALECTS } from "../support/databases.js";
import { ownerOf, proposalRoom } from "../support/fixtures.js";
import { startHarness, type Harness } from "../support/harness.js";

describe.each(DIALECTS)("a proposal workroom on %s", (dialect) => {
  let h: Harness;
  afterEach(async () => h?.close());

  it("runs scope, then pricing and timeline in parallel, then risks, summary and composition, to a completed round 1", async () => {
    h = await startHarness(dialect);
    const actor = ownerOf(h.workspace);
    const room = await createWorkroom(h.runtime.deps, actor, proposalRoom());
    await startWorkroom(h.runtime.deps, actor, room.id);
    const done = await h.waitFor(room.id, ["completed", "failed"]);
    expect(done.state, done.failureReason ?? "").toBe("completed");
    expect(done.finalRound).toBe(1);

    const detail = await getWorkroom(h.runtime.deps, actor, room.id);
    expect(detail.tasks.map((t) => [t.title, t.dependsOn, t.status])).toEqual([
      ["Scope", [], "succeeded"],
      ["Pricing", [1], "succeeded"],
      ["Timeline", [1], "succeeded"],
      ["Risks", [2, 3], "succeeded"],
      ["Summary", [4], "succeeded"],
      ["Compose the Proposal", [1, 2, 3, 4, 5], "succeeded"],
    ]);
    const draft = detail.drafts[0]!;
    expect(draft.round).toBe(1);
    expect(draft.document.title).toBe("Aurora Coffee — Q4 Proposal");
    expect(JSON.stringify(draft.document)).toContain("loyalty-app relaunch");

    // History, usage and ledger agree with each other.
    const history = await workroomHistory(h.runtime.deps, actor, room.id);
    expect(history.map((e) => e.seq)).toEqual(history.map((_, i) => i + 1));
    const calls = history.filter((e) => e.type === "model.call");
    const usage = await roomUsage(poolExec(h.runtime.deps), h.workspace.id, room.id);
    const ledger = await listLedger(poolExec(h.runtime.deps), h.workspace.id, {
      workroomId: room.id,
    });
    expect(calls).toHaveLength(7); // plan + 5 tasks + compose
    expect(usage).toHaveLength(7);
    const spent = calls.reduce((n, e) => n + (e.data.credits as number), 0);
    expect(usage.reduce((n, u) => n + u.credits, 0)).toBe(spent);
    expect(-ledger.reduce((n, l) => n + l.allowanceDelta + l.topupDelta, 0)).toBe(spent);
    expect(done.creditsSpent).toBe(spent);
    expect(done.baseCredits).toBe(spent);
    const ws = await findWorkspace(poolExec(h.runtime.deps), h.workspace.id);
    expect(ws!.allowanceCredits + ws!.topupCredits).toBe(
      h.workspace.allowanceCredits + h.workspace.topupCredits - spent,
    );
    const states = history.filter((e) => e.type === "state.changed").map((e) => e.data.to);
    expect(states).toEqual(["planning", "executing", "composing", "completed"]);
    // Hours saved counts the words composed and each distinct agent that did a task once.
    const agents = new Set(
      detail.tasks.filter((t) => t.type === "agent_work").map((t) => t.agentId),
    );
    expect(agents.size).toBeGreaterThan(0);
    expect(done.hoursSaved).toBe(estimateHoursSaved(wordCount(draft.document), agents.size, 0));
    // The worker counts the steps it worked (plan, five tasks, compose) and their work time.
    expect(h.worker!.stats.worked).toBe(7);
    expect(h.worker!.stats.workMs).toBeGreaterThan(0);
  });
});
