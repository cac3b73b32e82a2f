// Revision rounds: targeted presets change only their section, every round is kept and charged
// max(5, ceil(base × 0.4)) when it starts, and any two rounds can be compared.
import { afterEach, describe, expect, it } from "vitest";
import { toRevisionView } from "../../src/server/views/revisions.js";
import {
  createWorkroom,
  getWorkroom,
  startWorkroom,
  workroomHistory,
} from "../../src/app/workrooms.js";
import { diffRounds, requestRevision, roomRevisions } from "../../src/app/revisions.js";
import { addRevisionPreset } from "../../src/app/settings.js";
import { revisionCost } from "../../src/domain/credits.js";
import { listLedger, roomUsage } from "../../src/store/ledger.js";
import { poolExec } from "../../src/engine/deps.js";
import { wordCount } from "../../src/domain/document.js";
import { estimateHoursSaved } from "../../src/domain/insights.js";
import { countWorkingAgents } from "../../src/store/tasks.js";
import { ownerOf, proposalRoom } from "../support/fixtures.js";
import { startHarness, type Harness } from "../support/harness.js";
import { DIALECTS } from "../support/databases.js";
import type { Actor } from "../../src/app/context.js";

describe.each(DIALECTS)("revision rounds on %s", (dialect) => {
  let h: Harness;
  afterEach(async () => h?.close());

  async function completedRoom(actor: Actor) {
    const room = await createWorkroom(h.runtime.deps, actor, proposalRoom());
    await startWorkroom(h.runtime.deps, actor, room.id);
    return h.waitFor(room.id, ["completed"]);
  }

  it("tightens section 2 only, charges the formula once, refuses a second request in flight, and diffs rounds 1..3", async () => {
    h = await startHarness(dialect, {
      model: { latencyMs: (c) => (c.req.purpose === "revise" ? 150 : 0) },
    });
    const actor = ownerOf(h.workspace);
    const room = await completedRoom(actor);
    const base = room.baseCredits;

    const started = await requestRevision(h.runtime.deps, actor, room.id, {
      preset_slug: "tighten",
      preset_args: { instruction: "Cut it to the essentials.", target_section: "2" },
    });
    expect(started).toMatchObject({
      state: "awaiting_revision",
      currentRound: 2,
      revisionInFlight: true,
    });
    await expect(
      requestRevision(h.runtime.deps, actor, room.id, {
        preset_slug: "expand",
        preset_args: { instruction: "More" },
      }),
    ).rejects.toMatchObject({
      code: "illegal_transition",
      message: expect.stringContaining("revision is already in flight"),
    });
    const r2 = await h.waitFor(room.id, ["completed"]);
    expect(r2).toMatchObject({ finalRound: 2, currentRound: 2, revisionInFlight: false });

    const drafts = (await getWorkroom(h.runtime.deps, actor, room.id)).drafts;
    const [d1, d2] = [drafts[0]!.document, drafts[1]!.document];
    expect(d2.sections).toHaveLength(d1.sections.length);
    d1.sections.forEach((s, i) => {
      if (i === 1) expect(JSON.stringify(d2.sections[i])).not.toBe(JSON.stringify(s));
      else expect(JSON.stringify(d2.sections[i])).toBe(JSON.stringify(s));
    });

    const ledger = await listLedger(poolExec(h.runtime.deps), h.workspace.id, {
      workroomId: room.id,
    });
    const charge = ledger.filter((l) => l.idempotencyKey === `revision:${room.id}:2`);
    expect(charge).toHaveLength(1);
    expect(-(charge[0]!.allowanceDelta + charge[0]!.topupDelta)).toBe(revisionCost(base));
    expect(r2.creditsSpent).toBe(base + revisionCost(base));
    const reviseCalls = (await roomUsage(poolExec(h.runtime.deps), h.workspace.id, room.id)).filter(
      (c) => c.purpose === "revise",
    );
    expect(reviseCalls.length).toBeGreaterThan(0);
    expect(reviseCalls.every((c) => c.charged === 0)).toBe(true);

    await requestRevision(h.runtime.deps, actor, room.id, {
      preset_slug: "add_section",
      preset_args: {
        section_title: "Next steps",
        instruction: "What happens after signature",
        after_section: "Scope",
      },
    });
    await h.waitFor(room.id, ["completed"]);
    const d12 = await diffRounds(h.runtime.deps, actor, room.id, 1, 2);
    expect(d12.sections.filter((s) => s.kind === "changed").map((s) => s.title)).toEqual([
      d1.sections[1]!.title,
    ]);
    const d23 = await diffRounds(h.runtime.deps, actor, room.id, 2, 3);
    expect(d23.sections.filter((s) => s.kind !== "unchanged")).toEqual([
      expect.objectContaining({ kind: "added", title: "Next steps" }),
    ]);
    const d13 = await diffRounds(h.runtime.deps, actor, room.id, 1, 3);
    expect(d13.sections.map((s) => s.kind)).toContain("added");
    await expect(diffRounds(h.runtime.deps, actor, room.id, 1, 9)).rejects.toMatchObject({
      code: "not_found",
    });
  });

  it("keeps the previous draft current when a revision fails, says why, refunds the round, and takes the next one", async () => {
    let failRevisions = true;
    h = await startHarness(dialect, {
      model: {
        fail: (c) =>
          failRevisions && c.req.purpose === "revise"
            ? new Error("The model returned nothing usable")
            : undefined,
      },
    });
    const actor = ownerOf(h.workspace);
    const room = await completedRoom(actor);
    await requestRevision(h.runtime.deps, actor, room.id, {
      preset_slug: "change_tone",
      preset_args: { instruction: "Warmer" },
      source: "client_feedback",
    });
    const after = await h.waitFor(room.id, ["completed"]);
    expect(after).toMatchObject({
      finalRound: 1,
      currentRound: 2,
      revisionInFlight: false,
      creditsSpent: room.creditsSpent,
    });
    const history = await workroomHistory(h.runtime.deps, actor, room.id);
    const failed = history.filter(
      (e) => e.type === "state.changed" && e.data.command === "revision_failed",
    );
    expect(failed[0]!.data.reason).toContain("The model returned nothing usable");
    expect(history.some((e) => e.type === "revision.refunded")).toBe(true);
    expect((await getWorkroom(h.runtime.deps, actor, room.id)).drafts).toHaveLength(1);

    // The room can be revised again: the next round takes the next number, charged and run anew.
    failRevisions = false;
    const again = await requestRevision(h.runtime.deps, actor, room.id, {
      preset_slug: "change_tone",
      preset_args: { instruction: "Warmer" },
      source: "client_feedback",
    });
    expect(again.currentRound).toBe(3);
    const done = await h.waitFor(room.id, ["completed"]);
    expect(done).toMatchObject({ finalRound: 3, currentRound: 3 });
    expect(done.creditsSpent).toBeGreaterThan(room.creditsSpent);
    const rounds = await roomRevisions(h.runtime.deps, actor, room.id);
    expect(rounds.revisions.map((r) => [r.round, r.status])).toEqual([
      [2, "failed"],
      [3, "completed"],
    ]);
    // As listed, the failed round cost nothing, so the rounds add up to what the room spent.
    const listed = rounds.revisions.map(toRevisionView);
    expect(listed.map((r) => [r.round, r.credits, r.refunded])).toEqual([
      [2, 0, true],
      [3, again.creditsSpent - room.creditsSpent, false],
    ]);
    expect(listed.reduce((sum, r) => sum + r.credits, 0)).toBe(
      done.creditsSpent - room.creditsSpent,
    );
    const { drafts } = await getWorkroom(h.runtime.deps, actor, room.id);
    expect(drafts.map((d) => d.round)).toEqual([1, 3]);
    // Hours saved count one revision (round 3), not two: the failed round 2 made nothing.
    const agents = await countWorkingAgents(poolExec(h.runtime.deps), done);
    expect(done.hoursSaved).toBe(estimateHoursSaved(wordCount(drafts.at(-1)!.document), agents, 1));
  });

  it("refuses unknown presets, bad arguments and missing sections before charging anything", async () => {
    h = await startHarness(dialect);
    const actor = ownerOf(h.workspace);
    const room = await completedRoom(actor);
    const attempt = (preset_slug: string, preset_args: Record<string, string>) =>
      requestRevision(h.runtime.deps, actor, room.id, { preset_slug, preset_args });
    await expect(attempt("shorten", { instruction: "x" })).rejects.toMatchObject({
      code: "invalid_input",
      message: 'Unknown preset "shorten".',
    });
    await expect(attempt("tighten", {})).rejects.toMatchObject({
      code: "invalid_input",
      message: expect.stringContaining("instruction"),
    });
    await expect(attempt("tighten", { instruction: "x", bogus: "y" })).rejects.toMatchObject({
      code: "invalid_input",
      message: expect.stringMatching(/"bogus".*\(it takes instruction, target_section\)/),
    });
    await expect(attempt("remove_section", { target_section: "42" })).rejects.toMatchObject({
      code: "invalid_input",
      message: expect.stringContaining("Section 42 does not exist"),
    });
    expect((await getWorkroom(h.runtime.deps, actor, room.id)).room).toMatchObject({
      state: "completed",
      creditsSpent: room.creditsSpent,
    });
  });
});

describe("workspace revision presets", () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it("lets an admin add a preset that people then use like a built-in one", async () => {
    h = await startHarness("sqlite");
    const actor = ownerOf(h.workspace);
    const preset = {
      slug: "legal_review",
      label: "Legal review",
      action: "rewrite" as const,
      instruction: "Rewrite for legal clarity, focusing on {focus}.",
      args: [{ name: "focus", required: true }],
    };
    await expect(
      addRevisionPreset(h.runtime.deps, { ...actor, role: "member" }, preset),
    ).rejects.toMatchObject({ code: "forbidden" });
    await expect(
      addRevisionPreset(h.runtime.deps, actor, { ...preset, slug: "tighten" }),
    ).rejects.toMatchObject({ code: "conflict" });
    await expect(
      addRevisionPreset(h.runtime.deps, actor, { ...preset, instruction: "Fix {clause}" }),
    ).rejects.toMatchObject({ code: "invalid_input" });
    await addRevisionPreset(h.runtime.deps, actor, preset);

    const room = await createWorkroom(h.runtime.deps, actor, proposalRoom());
    await startWorkroom(h.runtime.deps, actor, room.id);
    await h.waitFor(room.id, ["completed"]);
    await expect(
      requestRevision(h.runtime.deps, actor, room.id, {
        preset_slug: "legal_review",
        preset_args: {},
      }),
    ).rejects.toMatchObject({ code: "invalid_input" });
    await requestRevision(h.runtime.deps, actor, room.id, {
      preset_slug: "legal_review",
      preset_args: { focus: "liability caps", target_section: "2" },
    });
    await h.waitFor(room.id, ["completed"]);
    const revise = h.model.log.filter((c) => c.req.purpose === "revise");
    expect(revise).toHaveLength(1);
    expect(revise[0]!.prompt).toContain("Rewrite for legal clarity, focusing on liability caps.");
    const [d1, d2] = (await getWorkroom(h.runtime.deps, actor, room.id)).drafts.map(
      (d) => d.document,
    );
    expect(JSON.stringify(d2!.sections[0])).toBe(JSON.stringify(d1!.sections[0]));
    expect(JSON.stringify(d2!.sections[1])).not.toBe(JSON.stringify(d1!.sections[1]));
  });
});
