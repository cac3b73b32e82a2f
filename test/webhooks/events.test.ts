// Every webhook event from a real room: approvals and questions while it runs, completion, a
// revision round requested and completed, and an export, each queued once with the room and the
// history event's fields (SPEC 7).
import { afterEach, describe, expect, it } from "vitest";
import { decide, inbox } from "../../src/app/people.js";
import { exportDeliverable } from "../../src/app/exports.js";
import { requestRevision } from "../../src/app/revisions.js";
import { createWebhook } from "../../src/app/webhooks.js";
import { createWorkroom, startWorkroom } from "../../src/app/workrooms.js";
import { WEBHOOK_EVENTS, type WebhookEnvelope } from "../../src/domain/webhooks.js";
import { DIALECTS } from "../support/databases.js";
import { ownerOf, proposalRoom } from "../support/fixtures.js";
import { startHarness, type Harness } from "../support/harness.js";
import { planOf } from "../support/plans.js";

describe.each(DIALECTS)("webhook events on %s", (dialect) => {
  let h: Harness;
  afterEach(async () => h?.close());

  const queued = async () =>
    (
      await h.runtime.deps.store.db
        .selectFrom("webhook_deliveries")
        .select(["payload", "event_key"])
        .orderBy("created_at")
        .execute()
    ).map((r) => ({ key: r.event_key, ...(JSON.parse(r.payload) as WebhookEnvelope) }));

  it("queues approval, question, completion, revision and export events of a room", async () => {
    h = await startHarness(dialect, {
      model: {
        respond: planOf([
          { title: "Pricing" },
          { title: "Approve pricing", type: "approval", depends_on: [1] },
          { title: "Budget", type: "user_input", question: "What is the hard budget ceiling?" },
        ]),
      },
    });
    const deps = h.runtime.deps;
    const actor = ownerOf(h.workspace);
    await createWebhook(deps, actor, {
      name: "all",
      url: "https://receiver.example/hook",
      events: [...WEBHOOK_EVENTS],
    });
    const room = await createWorkroom(deps, actor, proposalRoom());
    await startWorkroom(deps, actor, room.id);
    await h.waitForHistory(
      room.id,
      (e) =>
        e.some((x) => x.type === "approval.requested") &&
        e.some((x) => x.type === "question.asked"),
    );
    for (const item of await inbox(deps, actor))
      await decide(
        deps,
        actor,
        room.id,
        item.task.id,
        item.task.type === "approval" ? { type: "approve" } : { type: "answer", text: "€40k" },
      );
    await h.waitFor(room.id, ["completed"]);
    await requestRevision(deps, actor, room.id, {
      preset_slug: "tighten",
      preset_args: { instruction: "Cut it to the essentials.", target_section: "1" },
    });
    await h.waitForHistory(room.id, (e) =>
      e.some((x) => x.type === "state.changed" && x.data.command === "revision_completed"),
    );
    await exportDeliverable(deps, actor, room.id, "docx");

    const all = await queued();
    const workroom = { id: room.id, title: room.title, client: room.client };
    const of = (type: string) => all.filter((d) => d.type === type);
    expect(of("approval.requested")).toMatchObject([
      { data: { workroom, actor: "engine", title: "Approve pricing" } },
    ]);
    expect(of("question.asked")).toMatchObject([
      { data: { workroom, question: "What is the hard budget ceiling?" } },
    ]);
    expect(of("workroom.completed")).toMatchObject([{ data: { workroom } }]);
    expect(of("revision.requested")).toMatchObject([
      { data: { workroom, actor: actor.id, round: 2, preset: "tighten" } },
    ]);
    expect(of("revision.completed")).toMatchObject([
      { data: { workroom, reason: "Revision round 2 completed" } },
    ]);
    expect(of("deliverable.exported")).toMatchObject([
      { data: { workroom, actor: actor.id, round: 2, format: "docx" } },
    ]);
    // Each is keyed by its place in the room's history.
    for (const d of all) expect(d.key).toBe(`${room.id}:${String(d.data.history_seq)}`);
    expect(new Set(all.map((d) => d.key)).size).toBe(all.length);
    expect(of("workroom.failed")).toEqual([]);
  });
});
