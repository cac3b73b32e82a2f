// Issue 7 acceptance: a whole room through the API with an API key — create with pasted inputs,
// start, watch the live stream until an approval is asked, approve, complete, revise with a
// preset, export both formats, read the history, the ledger and the audit log. On SQLite and
// PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS } from "../support/databases.js";
import { planOf } from "../support/plans.js";
import { startApi, type ApiWorld } from "../support/api.js";

interface StreamEvent {
  id: string;
  event: string;
  data: { seq: number; type: string; data: Record<string, unknown> };
}

/** Reads a Server-Sent Events response until `until` holds for an event (or the stream ends). */
async function readStream(
  res: Response,
  until: (e: StreamEvent) => boolean,
): Promise<StreamEvent[]> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const seen: StreamEvent[] = [];
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return seen;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const field = (name: string) =>
        block
          .split("\n")
          .filter((l) => l.startsWith(`${name}:`))
          .map((l) => l.slice(name.length + 1).trimStart())
          .join("\n");
      if (!field("data")) continue;
      const e = { id: field("id"), event: field("event"), data: JSON.parse(field("data")) };
      seen.push(e);
      if (until(e)) {
        await reader.cancel();
        return seen;
      }
    }
  }
}

const BRIEF =
  "Northwind Bakery wants a proposal for a spring catering menu. The tasting is on 14 March; budget about €6,500.";

describe.each(DIALECTS)("a whole workroom through the API on %s", (dialect) => {
  let api: ApiWorld;
  beforeAll(async () => {
    api = await startApi(dialect, {
      harness: {
        model: {
          latencyMs: 20,
          respond: planOf([
            { title: "Scope" },
            { title: "Pricing", depends_on: [1] },
            { title: "Sign-off on scope and pricing", type: "approval", depends_on: [1, 2] },
            { title: "Timeline", depends_on: [3] },
          ]),
        },
      },
    });
  });
  afterAll(async () => api?.close());

  it("runs from pasted inputs to exported files, with an approval on the way", async () => {
    const key = api.people.member.key;
    const created = await api.call<{ id: string; state: string }>("POST", "/api/v1/workrooms", {
      key,
      body: {
        title: "Northwind — Spring Catering Proposal",
        client: "Northwind Bakery",
        deliverables: ["Proposal"],
        inputs: [
          { kind: "brief", content: BRIEF },
          { kind: "meeting_notes", content: "Vegan options for a third of the guests." },
          { kind: "email", label: "From Ana", content: "Please keep the menu to two pages." },
        ],
      },
    });
    expect(created.status).toBe(201);
    expect(created.body.state).toBe("draft");
    const id = created.body.id;

    // Subscribe before starting, so the stream sees the room from its first step.
    const stream = await fetch(`${api.url}/api/v1/workrooms/${id}/stream`, {
      headers: { authorization: `Bearer ${key}`, accept: "text/event-stream" },
    });
    expect(stream.status).toBe(200);
    expect(stream.headers.get("content-type")).toContain("text/event-stream");
    const asked = readStream(stream, (e) => e.data.type === "approval.requested");

    const started = await api.call<{ state: string }>("POST", `/api/v1/workrooms/${id}/start`, {
      key,
    });
    expect(started.status).toBe(200);
    const live = await asked;
    const types = live.map((e) => e.data.type);
    expect(types).toContain("task.started");
    expect(types.at(-1)).toBe("approval.requested");
    const seqs = live.map((e) => e.data.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));

    const detail = await api.call<{
      tasks: { id: string; type: string; status: string; run: number }[];
    }>("GET", `/api/v1/workrooms/${id}`, { key });
    const approval = detail.body.tasks.find((t) => t.type === "approval")!;
    expect(approval.status).toBe("waiting");
    expect(detail.body.tasks.map((t) => t.run)).toEqual(detail.body.tasks.map(() => 1));
    const approved = await api.call<{ applied: boolean }>(
      "POST",
      `/api/v1/workrooms/${id}/tasks/${approval.id}/approve`,
      { key, body: { comment: "Scope and pricing look right." } },
    );
    expect(approved.status).toBe(200);
    expect(approved.body.applied).toBe(true);

    await api.server.harness.waitFor(id, ["completed"]);
    const done = await api.call<{
      state: string;
      final_round: number;
      tasks: { type: string; output: string | null }[];
    }>("GET", `/api/v1/workrooms/${id}`, { key });
    expect(done.body).toMatchObject({ state: "completed", final_round: 1 });
    expect(done.body.tasks.find((t) => t.type === "approval")!.output).toBe(
      "Approved, with this note: Scope and pricing look right.",
    );

    const revision = await api.call("POST", `/api/v1/workrooms/${id}/revisions`, {
      key,
      body: {
        preset_slug: "tighten",
        preset_args: { instruction: "Shorter sentences.", target_section: "1" },
      },
    });
    expect([201, 202]).toContain(revision.status);
    await api.server.harness.waitForHistory(id, (events) =>
      events.some((e) => e.type === "draft.created" && e.data.round === 2),
    );

    for (const [format, magic] of [
      ["docx", "PK"],
      ["pdf", "%PDF"],
    ] as const) {
      const res = await fetch(`${api.url}/api/v1/workrooms/${id}/exports/${format}`, {
        headers: { authorization: `Bearer ${key}` },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-disposition")).toContain(
        `northwind-spring-catering-proposal-v2.${format}`,
      );
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(bytes.length).toBeGreaterThan(1_000);
      expect(bytes.subarray(0, magic.length).toString("latin1")).toBe(magic);
    }

    const history = await api.call<{ events: { seq: number; type: string }[] }>(
      "GET",
      `/api/v1/workrooms/${id}/events?limit=1000`,
      { key },
    );
    expect(history.status).toBe(200);
    const kinds = history.body.events.map((e) => e.type);
    for (const t of [
      "workroom.created",
      "approval.requested",
      "approval.granted",
      "revision.requested",
    ])
      expect(kinds).toContain(t);
    expect(kinds.filter((t) => t === "deliverable.exported")).toHaveLength(2);
    const seq = history.body.events.map((e) => e.seq);
    expect(seq).toEqual(Array.from({ length: seq.length }, (_, i) => i + 1));

    const ledger = await api.call<{ entries: { workroom_id: string | null; credits: number }[] }>(
      "GET",
      "/api/v1/credits/ledger",
      { key },
    );
    expect(ledger.status).toBe(200);
    const room = await api.call<{ credits_spent: number }>("GET", `/api/v1/workrooms/${id}`, {
      key,
    });
    expect(room.body.credits_spent).toBeGreaterThan(0);
    const debited = ledger.body.entries
      .filter((e) => e.workroom_id === id)
      .reduce((n, e) => n + Math.abs(e.credits), 0);
    expect(debited).toBe(room.body.credits_spent);

    // The workspace's audit log says who did what to the room (SPEC 1), with the key's person.
    const audit = await api.call<{
      entries: {
        action: string;
        target: string | null;
        who: { kind: string; user?: { id: string } | null };
      }[];
    }>("GET", "/api/v1/audit", { key: api.people.owner.key });
    const onRoom = audit.body.entries.filter((e) => e.target === id).reverse();
    expect(onRoom.map((e) => e.action)).toEqual([
      "workroom.created",
      "workroom.started",
      "task.approved",
      "revision.requested",
      "deliverable.exported",
      "deliverable.exported",
    ]);
    for (const e of onRoom)
      expect(e.who).toMatchObject({ kind: "api_key", user: { id: api.people.member.userId } });
  });
});
