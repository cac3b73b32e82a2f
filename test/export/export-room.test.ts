// Exporting a room's finished rounds: file names by round, free, recorded; clear errors otherwise.
import { afterEach, describe, expect, it } from "vitest";
import {
  createWorkroom,
  getWorkroom,
  startWorkroom,
  workroomHistory,
} from "../../src/app/workrooms.js";
import { requestRevision } from "../../src/app/revisions.js";
import { exportDeliverable } from "../../src/app/exports.js";
import { setExportProfile } from "../../src/app/settings.js";
import { listAudit } from "../../src/store/audit.js";
import { poolExec } from "../../src/engine/deps.js";
import { ownerOf, proposalRoom } from "../support/fixtures.js";
import { startHarness, type Harness } from "../support/harness.js";

describe("exporting a workroom's deliverable", () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it("names files by round, costs nothing, and records every export", async () => {
    h = await startHarness("sqlite");
    const actor = ownerOf(h.workspace);
    await setExportProfile(h.runtime.deps, actor, {
      company_name: "Northwind Studio",
      accent_color: "#7c3aed",
    });
    const room = await createWorkroom(
      h.runtime.deps,
      actor,
      proposalRoom({ title: "Aurora Coffee — Q4 Proposal!" }),
    );
    await expect(exportDeliverable(h.runtime.deps, actor, room.id, "pdf")).rejects.toMatchObject({
      code: "illegal_transition",
      message: expect.stringContaining("only a completed round"),
    });
    await startWorkroom(h.runtime.deps, actor, room.id);
    await h.waitFor(room.id, ["completed"]);
    const spent = (await getWorkroom(h.runtime.deps, actor, room.id)).room.creditsSpent;

    const v1 = await exportDeliverable(h.runtime.deps, actor, room.id, "docx");
    expect(v1).toMatchObject({ filename: "aurora-coffee-q4-proposal-v1.docx", round: 1 });
    expect(v1.bytes.subarray(0, 2).toString()).toBe("PK");
    await requestRevision(h.runtime.deps, actor, room.id, {
      preset_slug: "tighten",
      preset_args: { instruction: "Shorter", target_section: "1" },
    });
    await h.waitFor(room.id, ["completed"]);
    const v2 = await exportDeliverable(h.runtime.deps, actor, room.id, "pdf");
    expect(v2).toMatchObject({
      filename: "aurora-coffee-q4-proposal-v2.pdf",
      round: 2,
      mimeType: "application/pdf",
    });
    expect(v2.bytes.subarray(0, 5).toString()).toBe("%PDF-");
    expect((await exportDeliverable(h.runtime.deps, actor, room.id, "md", 1)).filename).toBe(
      "aurora-coffee-q4-proposal-v1.md",
    );

    await expect(exportDeliverable(h.runtime.deps, actor, room.id, "pdf", 3)).rejects.toMatchObject(
      { code: "not_found", message: expect.stringContaining("rounds 1 to 2") },
    );
    await expect(exportDeliverable(h.runtime.deps, actor, room.id, "odt")).rejects.toMatchObject({
      code: "invalid_input",
      message: expect.stringContaining("docx, pdf, md"),
    });
    await expect(
      exportDeliverable(h.runtime.deps, { ...actor, role: "viewer" }, room.id, "pdf"),
    ).rejects.toMatchObject({ code: "forbidden" });

    const after = (await getWorkroom(h.runtime.deps, actor, room.id)).room;
    expect(after.creditsSpent).toBe(spent + 5); // only the revision round's charge; exports are free
    const exported = (await workroomHistory(h.runtime.deps, actor, room.id)).filter(
      (e) => e.type === "deliverable.exported",
    );
    expect(exported.map((e) => e.data.filename)).toEqual([
      "aurora-coffee-q4-proposal-v1.docx",
      "aurora-coffee-q4-proposal-v2.pdf",
      "aurora-coffee-q4-proposal-v1.md",
    ]);
    const audit = await listAudit(poolExec(h.runtime.deps), h.workspace.id);
    expect(audit.filter((a) => a.action === "deliverable.exported")).toHaveLength(3);
  });
});
