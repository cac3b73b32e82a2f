// The workroom routes over real HTTP: a room made of three paste blocks runs to completion and is
// read back (detail, history pages, drafts), revised with `tighten` on one section, diffed and
// exported in both formats. On SQLite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS } from "../support/databases.js";
import { startApi, type ApiWorld } from "../support/api.js";
import { BRIEF, MEETING_NOTES, SAMPLE, proposalRoom } from "../support/fixtures.js";

interface Room {
  id: string;
  state: string;
  final_round: number;
  current_round: number;
  client: string | null;
}
interface Detail extends Room {
  tasks: { id: string; ordinal: number; type: string; status: string; output: string | null }[];
  rounds: { round: number }[];
  inputs: { kind: string; label: string | null; bytes: number }[];
  agents: { bot_type: string }[];
}
interface Event {
  seq: number;
  type: string;
}
interface History {
  events: Event[];
  next_after: number;
  has_more: boolean;
}

describe.each(DIALECTS)("workrooms over HTTP on %s", (dialect) => {
  let api: ApiWorld;
  let key: string;
  beforeAll(async () => {
    api = await startApi(dialect);
    key = api.people.member.key;
  });
  afterAll(async () => api?.close());

  const settle = (id: string) => api.server.harness.waitFor(id, ["completed", "failed"]);

  it("runs a room of three paste blocks to completion and shows its detail, history and draft", async () => {
    const created = await api.call<Room>("POST", "/api/v1/workrooms", {
      key,
      body: proposalRoom(),
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ state: "draft", client: "Aurora Coffee", final_round: 0 });
    const id = created.body.id;

    const estimate = await api.call<{ expected: number; exceeds_cap: boolean }>(
      "GET",
      `/api/v1/workrooms/${id}/estimate`,
      { key },
    );
    expect(estimate.status).toBe(200);
    expect(estimate.body.expected).toBeGreaterThan(0);
    expect(estimate.body.exceeds_cap).toBe(false);

    const started = await api.call<Room>("POST", `/api/v1/workrooms/${id}/start`, { key });
    expect(started.status).toBe(200);
    expect(started.body.state).toBe("planning");
    expect((await settle(id)).state).toBe("completed");

    const detail = await api.call<Detail>("GET", `/api/v1/workrooms/${id}`, { key });
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ state: "completed", final_round: 1 });
    expect(detail.body.tasks.length).toBeGreaterThan(1);
    expect(detail.body.tasks.every((t) => t.status === "succeeded")).toBe(true);
    expect(detail.body.tasks.at(-1)!.type).toBe("composition");
    expect(detail.body.rounds.map((r) => r.round)).toEqual([1]);
    expect(detail.body.inputs).toEqual([
      { kind: "brief", label: "Client brief", bytes: Buffer.byteLength(BRIEF) },
      { kind: "meeting_notes", label: "Kick-off notes", bytes: Buffer.byteLength(MEETING_NOTES) },
      { kind: "sample", label: "Past proposal", bytes: Buffer.byteLength(SAMPLE) },
    ]);
    expect(detail.body.agents.map((a) => a.bot_type).sort()).toEqual(["composer", "planner"]);

    // The blocks' text, in order, is read back on its own route (the detail carries sizes only).
    const inputs = await api.call<{
      inputs: { kind: string; label: string | null; content: string }[];
    }>("GET", `/api/v1/workrooms/${id}/inputs`, { key });
    expect(inputs.status).toBe(200);
    expect(inputs.body.inputs.map((i) => [i.kind, i.label, i.content])).toEqual([
      ["brief", "Client brief", BRIEF],
      ["meeting_notes", "Kick-off notes", MEETING_NOTES],
      ["sample", "Past proposal", SAMPLE],
    ]);

    // The history in pages of 5, then the rest: gapless and in order.
    const first = await api.call<History>("GET", `/api/v1/workrooms/${id}/events?limit=5`, {
      key,
    });
    expect(first.status).toBe(200);
    expect(first.body.events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(first.body).toMatchObject({ next_after: 5, has_more: true });
    expect(first.body.events[0]!.type).toBe("workroom.created");
    const rest = await api.call<History>(
      "GET",
      `/api/v1/workrooms/${id}/events?after=${first.body.next_after}&limit=1000`,
      { key },
    );
    expect(rest.body.has_more).toBe(false);
    const seqs = [...first.body.events, ...rest.body.events].map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    expect(rest.body.next_after).toBe(seqs.at(-1));
    const tooMany = await api.call("GET", `/api/v1/workrooms/${id}/events?limit=1001`, { key });
    expect(tooMany.status).toBe(400);

    const draft = await api.call<{
      round: number;
      document: { title: string; sections: { title: string }[] };
      markdown: string;
    }>("GET", `/api/v1/workrooms/${id}/drafts/1`, { key });
    expect(draft.status).toBe(200);
    expect(draft.body.document.sections.length).toBeGreaterThanOrEqual(2);
    expect(draft.body.markdown).toContain(`# ${draft.body.document.title}`);
    expect(draft.body.markdown).toContain(`## ${draft.body.document.sections[1]!.title}`);
    const missing = await api.call<{ error: { message: string } }>(
      "GET",
      `/api/v1/workrooms/${id}/drafts/7`,
      { key },
    );
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toContain("rounds 1");

    const listed = await api.call<{ items: Room[] }>(
      "GET",
      "/api/v1/workrooms?state=completed&client=Aurora%20Coffee",
      { key },
    );
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((r) => r.id)).toContain(id);
  });

  it("tightens one section, diffs the rounds and exports both formats", async () => {
    const { body: room } = await api.call<Room>("POST", "/api/v1/workrooms", {
      key,
      body: proposalRoom({ title: "Aurora Coffee — Revised Proposal" }),
    });
    await api.call("POST", `/api/v1/workrooms/${room.id}/start`, { key });
    expect((await settle(room.id)).state).toBe("completed");

    const tighten = {
      preset_slug: "tighten",
      preset_args: { instruction: "Cut it to the essentials.", target_section: "2" },
    };
    const revised = await api.call<{
      workroom: Room;
      revision: { round: number; status: string; preset_slug: string; credits: number };
    }>("POST", `/api/v1/workrooms/${room.id}/revisions`, { key, body: tighten });
    expect(revised.status).toBe(202);
    expect(revised.body.workroom).toMatchObject({ state: "awaiting_revision", current_round: 2 });
    expect(revised.body.revision).toMatchObject({ round: 2, preset_slug: "tighten" });
    expect(revised.body.revision.credits).toBeGreaterThanOrEqual(5);

    const settled = await settle(room.id);
    expect(settled).toMatchObject({ state: "completed", finalRound: 2 });
    const revisions = await api.call<{
      revisions: { round: number; status: string }[];
      next_round_credits: number;
    }>("GET", `/api/v1/workrooms/${room.id}/revisions`, { key });
    expect(revisions.body.revisions).toEqual([
      expect.objectContaining({ round: 2, status: "completed" }),
    ]);
    // The next round is priced off the original run, as this one was.
    expect(revisions.body.next_round_credits).toBe(revised.body.revision.credits);

    const diff = await api.call<{
      from: number;
      to: number;
      sections: { kind: string; title: string; changes?: { kind: string }[] }[];
    }>("GET", `/api/v1/workrooms/${room.id}/diff?from=1&to=2`, { key });
    expect(diff.status).toBe(200);
    expect(diff.body).toMatchObject({ from: 1, to: 2 });
    const kinds = diff.body.sections.map((s) => s.kind);
    expect(kinds[1]).toBe("changed");
    expect(kinds.filter((k) => k !== "unchanged")).toEqual(["changed"]);
    expect(diff.body.sections[1]!.changes!.some((c) => c.kind !== "same")).toBe(true);

    const slug = "aurora-coffee-revised-proposal";
    for (const [format, magic, type] of [
      ["docx", "PK", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"],
      ["pdf", "%PDF", "application/pdf"],
    ] as const) {
      for (const round of [undefined, 1]) {
        const res = await fetch(
          `${api.url}/api/v1/workrooms/${room.id}/exports/${format}${round ? `?round=${round}` : ""}`,
          { headers: { authorization: `Bearer ${key}` } },
        );
        expect(res.status).toBe(200);
        expect(res.headers.get("content-type")).toBe(type);
        expect(res.headers.get("content-disposition")).toContain(
          `filename="${slug}-v${round ?? 2}.${format}"`,
        );
        const bytes = Buffer.from(await res.arrayBuffer());
        expect(bytes.length).toBeGreaterThan(0);
        expect(bytes.subarray(0, magic.length).toString("latin1")).toBe(magic);
      }
    }
    const noRound = await api.call<{ error: { message: string } }>(
      "GET",
      `/api/v1/workrooms/${room.id}/exports/pdf?round=9`,
      { key },
    );
    expect(noRound.status).toBe(404);
    expect(noRound.body.error.message).toContain("rounds 1 to 2");
    const md = await fetch(`${api.url}/api/v1/workrooms/${room.id}/exports/md`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(md.headers.get("content-type")).toContain("text/markdown");

    const history = await api.call<History>(
      "GET",
      `/api/v1/workrooms/${room.id}/events?limit=1000`,
      { key },
    );
    expect(history.body.events.filter((e) => e.type === "deliverable.exported")).toHaveLength(5);
  });
});
