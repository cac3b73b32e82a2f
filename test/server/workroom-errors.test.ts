// Bad requests to the workroom routes get a clear 4xx, never a 5xx: malformed JSON, wrong types,
// oversize bodies and inputs, unknown and foreign ids, illegal commands, roles. Also paging and
// filters of the list, the cap, people in the loop and revision presets.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApi, type ApiWorld } from "../support/api.js";
import { proposalRoom } from "../support/fixtures.js";
import { planOf } from "../support/plans.js";

interface ErrorBody {
  error: { code: string; message: string; request_id: string };
}
interface Room {
  id: string;
  state: string;
  max_credits: number | null;
}

describe("workroom requests that are refused", () => {
  let api: ApiWorld;
  let key: string;
  let roomId: string;
  beforeAll(async () => {
    api = await startApi("sqlite", {
      harness: {
        model: {
          respond: planOf([
            { title: "Pricing" },
            { title: "Approve pricing", type: "approval", depends_on: [1] },
            { title: "Budget", type: "user_input", question: "What is the budget ceiling?" },
          ]),
        },
      },
    });
    key = api.people.member.key;
    const created = await api.call<Room>("POST", "/api/v1/workrooms", {
      key,
      body: proposalRoom({ title: "Refusals" }),
    });
    roomId = created.body.id;
  });
  afterAll(async () => api?.close());

  const raw = (path: string, body: string, method = "POST") =>
    fetch(`${api.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body,
    });

  it("answers malformed JSON with 400", async () => {
    const res = await raw("/api/v1/workrooms", '{"title": "x",');
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).error.code).toBe("invalid_input");
  });

  it("names the field of a wrong type", async () => {
    const res = await api.call<ErrorBody>("POST", "/api/v1/workrooms", {
      key,
      body: { ...proposalRoom(), title: 5, max_credits: "lots" },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain("title");
    expect(res.body.error.message).toContain("max_credits");
    const patch = await api.call<ErrorBody>("PATCH", `/api/v1/workrooms/${roomId}`, {
      key,
      body: { max_credits: "ten" },
    });
    expect(patch.status).toBe(400);
    expect(patch.body.error.message).toContain("max_credits");
    const extra = await api.call<ErrorBody>("PATCH", `/api/v1/workrooms/${roomId}`, {
      key,
      body: { max_credits: 50, title: "Renamed" },
    });
    expect(extra.status).toBe(400);
    expect(extra.body.error.message).toContain("title");
  });

  it("refuses oversize bodies and over-limit inputs with 413", async () => {
    const huge = await raw(
      "/api/v1/workrooms",
      JSON.stringify({ ...proposalRoom(), goal: "x".repeat(1_100_000) }),
    );
    expect(huge.status).toBe(413);
    const tooMuch = await api.call<ErrorBody>("POST", "/api/v1/workrooms", {
      key,
      body: proposalRoom({ inputs: [{ kind: "brief", content: "é".repeat(60_000) }] }),
    });
    expect(tooMuch.status).toBe(413);
    expect(tooMuch.body.error).toMatchObject({
      code: "input_limit",
      message: expect.stringContaining("100 KB"),
    });
    const blocks = await api.call<ErrorBody>("POST", "/api/v1/workrooms", {
      key,
      body: proposalRoom({
        inputs: Array.from({ length: 11 }, (_, i) => ({ kind: "doc", content: `Block ${i}` })),
      }),
    });
    expect(blocks.status).toBe(413);
    expect(blocks.body.error.message).toContain("10 paste blocks");
  });

  it("answers 404 for an unknown room and for another workspace's room, in both directions", async () => {
    const theirs = await api.call<Room>("POST", "/api/v1/workrooms", {
      key: api.outsider.key,
      body: proposalRoom({ title: "Theirs" }),
    });
    expect(theirs.status).toBe(201);
    for (const [who, id] of [
      [key, "wr_doesnotexist"],
      [key, theirs.body.id],
      [api.outsider.key, roomId],
    ] as const) {
      for (const [method, path] of [
        ["GET", `/api/v1/workrooms/${id}`],
        ["GET", `/api/v1/workrooms/${id}/events`],
        ["GET", `/api/v1/workrooms/${id}/estimate`],
        ["GET", `/api/v1/workrooms/${id}/revisions`],
        ["GET", `/api/v1/workrooms/${id}/drafts/1`],
        ["GET", `/api/v1/workrooms/${id}/diff?from=1&to=2`],
        ["GET", `/api/v1/workrooms/${id}/exports/pdf`],
        ["POST", `/api/v1/workrooms/${id}/pause`],
      ] as const) {
        const res = await api.call<ErrorBody>(method, path, { key: who });
        expect(res.status, `${method} ${path}`).toBe(404);
        expect(res.body.error.code).toBe("not_found");
      }
    }
    const list = await api.call<{ items: Room[] }>("GET", "/api/v1/workrooms?limit=200", {
      key: api.outsider.key,
    });
    expect(list.body.items.map((r) => r.id)).toEqual([theirs.body.id]);
  });

  it("refuses an illegal command with 409 and the domain's message", async () => {
    const paused = await api.call<ErrorBody>("POST", `/api/v1/workrooms/${roomId}/pause`, { key });
    expect(paused.status).toBe(409);
    expect(paused.body.error.code).toBe("illegal_transition");
    expect(paused.body.error.message).toMatch(/draft/);
    const early = await api.call<ErrorBody>("GET", `/api/v1/workrooms/${roomId}/exports/docx`, {
      key,
    });
    expect(early.status).toBe(409);
    expect(early.body.error.message).toContain("only a completed round can be exported");
    const revise = await api.call<ErrorBody>("POST", `/api/v1/workrooms/${roomId}/revisions`, {
      key,
      body: { preset_slug: "tighten", preset_args: { instruction: "Shorter." } },
    });
    expect(revise.status).toBe(409);
    const badFormat = await api.call<ErrorBody>("GET", `/api/v1/workrooms/${roomId}/exports/xls`, {
      key,
    });
    expect(badFormat.status).toBe(400);
    expect(badFormat.body.error.message).toContain("docx, pdf, md");

    const { body: gone } = await api.call<Room>("POST", "/api/v1/workrooms", {
      key,
      body: proposalRoom({ title: "Cancelled" }),
    });
    expect((await api.call("POST", `/api/v1/workrooms/${gone.id}/cancel`, { key })).status).toBe(
      200,
    );
    const resume = await api.call<ErrorBody>("POST", `/api/v1/workrooms/${gone.id}/resume`, {
      key,
    });
    expect(resume.status).toBe(409);
    expect(resume.body.error.message).toMatch(/cancelled/);
  });

  it("lets a viewer read but not write", async () => {
    // Viewers hold no API keys: they use the web app's session (cookie and CSRF token).
    const viewer = api.people.viewer;
    expect((await api.call("GET", `/api/v1/workrooms/${roomId}`, { as: viewer })).status).toBe(200);
    for (const [method, path, body] of [
      ["POST", "/api/v1/workrooms", proposalRoom()],
      ["POST", `/api/v1/workrooms/${roomId}/start`, undefined],
      ["PATCH", `/api/v1/workrooms/${roomId}`, { max_credits: 10 }],
      ["GET", `/api/v1/workrooms/${roomId}/exports/pdf`, undefined],
    ] as const) {
      const res = await api.call<ErrorBody>(method, path, { as: viewer, body });
      expect(res.status, `${method} ${path}`).toBe(403);
    }
    expect((await api.call("GET", "/api/v1/workrooms", {})).status).toBe(401);
  });

  it("pages the list by cursor or offset and filters by state and client", async () => {
    for (const client of ["Paging Co", "Paging Co", "Paging Co", "Other Co"])
      await api.call("POST", "/api/v1/workrooms", {
        key,
        body: proposalRoom({ title: `Page ${client}`, client }),
      });
    type Page = { items: (Room & { client: string })[]; next_cursor: string | null };
    const one = await api.call<Page>("GET", "/api/v1/workrooms?client=Paging%20Co&limit=2", {
      key,
    });
    expect(one.body.items).toHaveLength(2);
    expect(one.body.next_cursor).not.toBeNull();
    const two = await api.call<Page>(
      "GET",
      `/api/v1/workrooms?client=Paging%20Co&limit=2&cursor=${one.body.next_cursor}`,
      { key },
    );
    expect(two.body.items).toHaveLength(1);
    expect(two.body.next_cursor).toBeNull();
    const ids = [...one.body.items, ...two.body.items].map((r) => r.id);
    expect(new Set(ids).size).toBe(3);
    const skipped = await api.call<Page>("GET", "/api/v1/workrooms?client=Paging%20Co&offset=2", {
      key,
    });
    expect(skipped.body.items.map((r) => r.id)).toEqual([two.body.items[0]!.id]);

    const drafts = await api.call<Page>("GET", "/api/v1/workrooms?state=draft,cancelled", {
      key,
    });
    expect(drafts.body.items.every((r) => ["draft", "cancelled"].includes(r.state))).toBe(true);
    expect(drafts.body.items.some((r) => r.state === "cancelled")).toBe(true);

    for (const query of ["state=sleeping", "limit=0", "limit=x", "cursor=nonsense", "offset=-1"]) {
      const res = await api.call<ErrorBody>("GET", `/api/v1/workrooms?${query}`, { key });
      expect(res.status, query).toBe(400);
    }
  });

  it("changes the cap, never below what is spent", async () => {
    const res = await api.call<Room>("PATCH", `/api/v1/workrooms/${roomId}`, {
      key,
      body: { max_credits: 900 },
    });
    expect(res.status).toBe(200);
    expect(res.body.max_credits).toBe(900);
    const cleared = await api.call<Room>("PATCH", `/api/v1/workrooms/${roomId}`, {
      key,
      body: { max_credits: null },
    });
    expect(cleared.body.max_credits).toBeNull();
    const history = await api.call<{ events: { type: string }[] }>(
      "GET",
      `/api/v1/workrooms/${roomId}/events`,
      { key },
    );
    expect(history.body.events.filter((e) => e.type === "budget.cap_changed")).toHaveLength(2);
  });

  it("takes approvals and answers, lists them in the inbox, and treats a duplicate as applied: false", async () => {
    const { body: room } = await api.call<Room>("POST", "/api/v1/workrooms", {
      key,
      body: proposalRoom({ title: "People" }),
    });
    await api.call("POST", `/api/v1/workrooms/${room.id}/start`, { key });
    await api.server.harness.waitForHistory(
      room.id,
      (e) =>
        e.some((x) => x.type === "approval.requested") &&
        e.some((x) => x.type === "question.asked"),
    );
    type Inbox = { items: { workroom: { id: string }; task: { id: string; type: string } }[] };
    const inbox = await api.call<Inbox>("GET", "/api/v1/inbox", { as: api.people.viewer });
    expect(inbox.status).toBe(200);
    const mine = inbox.body.items.filter((i) => i.workroom.id === room.id);
    expect(mine.map((i) => i.task.type).sort()).toEqual(["approval", "user_input"]);
    const approval = mine.find((i) => i.task.type === "approval")!.task.id;
    const question = mine.find((i) => i.task.type === "user_input")!.task.id;
    const base = `/api/v1/workrooms/${room.id}/tasks`;

    const noComment = await api.call<ErrorBody>("POST", `${base}/${approval}/reject`, {
      key,
      body: { comment: "  " },
    });
    expect(noComment.status).toBe(400);
    expect(noComment.body.error.message).toContain("comment");
    const wrongKind = await api.call<ErrorBody>("POST", `${base}/${question}/approve`, {
      key,
      body: {},
    });
    expect(wrongKind.status).toBe(400);
    const unknown = await api.call<ErrorBody>("POST", `${base}/task_nope/approve`, {
      key,
      body: {},
    });
    expect(unknown.status).toBe(404);

    type Decision = { task: { status: string; output: string | null }; applied: boolean };
    const answered = await api.call<Decision>("POST", `${base}/${question}/answer`, {
      key,
      body: { text: "€40k, hard ceiling." },
    });
    expect(answered.status).toBe(200);
    expect(answered.body).toMatchObject({
      applied: true,
      task: { status: "succeeded", output: "€40k, hard ceiling." },
    });
    const approved = await api.call<Decision>("POST", `${base}/${approval}/approve`, {
      key,
      body: { comment: "Fine." },
    });
    expect(approved.body.applied).toBe(true);
    const again = await api.call<Decision>("POST", `${base}/${approval}/approve`, {
      key,
      body: {},
    });
    expect(again.status).toBe(200);
    expect(again.body.applied).toBe(false);
    expect((await api.server.harness.waitFor(room.id, ["completed"])).state).toBe("completed");
  });

  it("lists presets with argument schemas; admins add and remove their own", async () => {
    type Preset = {
      slug: string;
      builtin: boolean;
      args_schema: { properties: object; required?: string[] };
    };
    const list = await api.call<{ presets: Preset[] }>("GET", "/api/v1/revision-presets", { key });
    expect(list.status).toBe(200);
    const tighten = list.body.presets.find((p) => p.slug === "tighten")!;
    expect(tighten.builtin).toBe(true);
    expect(Object.keys(tighten.args_schema.properties)).toEqual(["instruction", "target_section"]);
    expect(tighten.args_schema.required).toEqual(["instruction"]);

    const preset = {
      slug: "legal_pass",
      label: "Legal pass",
      action: "rewrite",
      instruction: "Rewrite for legal clarity, focusing on {focus}.",
      args: [{ name: "focus" }],
    };
    const denied = await api.call("POST", "/api/v1/revision-presets", { key, body: preset });
    expect(denied.status).toBe(403);
    const admin = api.people.admin.key;
    const added = await api.call<Preset>("POST", "/api/v1/revision-presets", {
      key: admin,
      body: preset,
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ slug: "legal_pass", builtin: false });
    expect(Object.keys(added.body.args_schema.properties)).toContain("focus");
    const shadow = await api.call("POST", "/api/v1/revision-presets", {
      key: admin,
      body: { ...preset, slug: "tighten" },
    });
    expect(shadow.status).toBe(409);
    const now = await api.call<{ presets: Preset[] }>("GET", "/api/v1/revision-presets", { key });
    expect(now.body.presets.at(-1)!.slug).toBe("legal_pass");
    expect(
      (await api.call("DELETE", "/api/v1/revision-presets/legal_pass", { key: admin })).status,
    ).toBe(204);
    expect(
      (await api.call("DELETE", "/api/v1/revision-presets/legal_pass", { key: admin })).status,
    ).toBe(404);
  });
});
