// A workroom form still being filled in (the web app's new-workroom screen): the estimate before
// creation agrees with the room's own estimate once created, and uploaded files come back as paste
// blocks; both hold the workroom's limits and store nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApi, type ApiWorld } from "../support/api.js";
import { makeDocx } from "../support/files.js";

interface ErrorBody {
  error: { code: string; message: string; details?: string[] };
}
interface DraftEstimate {
  low: number;
  expected: number;
  high: number;
  calls: number;
  max_credits: number | null;
  exceeds_cap: boolean;
  balance: number;
  exceeds_balance: boolean;
}
interface Blocks {
  blocks: { kind: string; label: string; content: string }[];
}

const inputs = [
  { kind: "brief", label: "Client brief", content: "Aurora Coffee wants a Q4 loyalty proposal." },
  { kind: "meeting_notes", content: "Dana: budget around 40k, launch in January.\n".repeat(40) },
];

describe("a workroom before it is created", () => {
  let api: ApiWorld;
  beforeAll(async () => {
    api = await startApi("sqlite", { config: { uploadFileLimit: 200_000, uploadMaxFiles: 3 } });
  });
  afterAll(async () => api?.close());
  const key = () => api.people.member.key;
  const rooms = async () =>
    (await api.call<{ items: unknown[] }>("GET", "/api/v1/workrooms", { key: key() })).body.items
      .length;

  describe("POST /api/v1/workrooms/estimate", () => {
    it("is the estimate the room has once created, with the cap and the balance", async () => {
      const before = await rooms();
      const draft = await api.call<DraftEstimate>("POST", "/api/v1/workrooms/estimate", {
        key: key(),
        body: { inputs, max_credits: 5 },
      });
      expect(draft.status).toBe(200);
      expect(await rooms()).toBe(before);
      const balance = await api.call<{ total: number }>("GET", "/api/v1/credits", { key: key() });
      expect(draft.body).toMatchObject({
        max_credits: 5,
        exceeds_cap: draft.body.expected > 5,
        balance: balance.body.total,
        exceeds_balance: draft.body.expected > balance.body.total,
      });
      expect(draft.body.expected).toBeGreaterThan(0);
      expect(draft.body.high).toBeGreaterThan(draft.body.expected);

      const created = await api.call<{ id: string }>("POST", "/api/v1/workrooms", {
        key: key(),
        body: { title: "Aurora Coffee — Q4", deliverables: ["Proposal"], max_credits: 5, inputs },
      });
      const room = await api.call<DraftEstimate>(
        "GET",
        `/api/v1/workrooms/${created.body.id}/estimate`,
        { key: key() },
      );
      const { balance: _b, exceeds_balance: _e, ...sameAsRoom } = draft.body;
      expect(room.body).toEqual(sameAsRoom);
    });

    it("grows with the material pasted, and has no cap without one", async () => {
      const small = await api.call<DraftEstimate>("POST", "/api/v1/workrooms/estimate", {
        key: key(),
        body: { inputs: [inputs[0]] },
      });
      const large = await api.call<DraftEstimate>("POST", "/api/v1/workrooms/estimate", {
        key: key(),
        body: { inputs: [inputs[0], { kind: "doc", content: "word ".repeat(15_000) }] },
      });
      expect(small.body).toMatchObject({ max_credits: null, exceeds_cap: false });
      expect(large.body.expected).toBeGreaterThan(small.body.expected);
    });

    it("holds the create request's limits: 413 input_limit over 100 KB, 400 per field", async () => {
      const over = await api.call<ErrorBody>("POST", "/api/v1/workrooms/estimate", {
        key: key(),
        body: { inputs: [{ kind: "doc", content: "é".repeat(50_001) }] },
      });
      expect(over.status).toBe(413);
      expect(over.body.error).toMatchObject({
        code: "input_limit",
        message: expect.stringContaining("100 KB"),
      });
      const bad = await api.call<ErrorBody>("POST", "/api/v1/workrooms/estimate", {
        key: key(),
        body: { inputs: [{ kind: "invoice", content: "x" }], max_credits: 0 },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error.details?.map((d) => d.split(":")[0]).sort()).toEqual([
        "inputs.0.kind",
        "max_credits",
      ]);
    });

    it("refuses agents the create request would refuse: unknown ids and another workspace's", async () => {
      const theirs = await api.call<{ id: string }>("POST", "/api/v1/agents", {
        key: api.outsider.key,
        body: { name: "Their researcher" },
      });
      for (const agentId of ["agt_nope", theirs.body.id]) {
        const body = { inputs, agent_ids: [agentId] };
        const estimate = await api.call<ErrorBody>("POST", "/api/v1/workrooms/estimate", {
          key: key(),
          body,
        });
        const create = await api.call<ErrorBody>("POST", "/api/v1/workrooms", {
          key: key(),
          body: { title: "Aurora Coffee — Q4", deliverables: ["Proposal"], ...body },
        });
        expect([estimate.status, create.status]).toEqual([404, 404]);
        expect(estimate.body.error.message).toBe(`No custom agent ${agentId} in this workspace.`);
        expect(estimate.body.error.message).toBe(create.body.error.message);
      }
    });

    it("is for people who can create workrooms", async () => {
      const res = await api.call<ErrorBody>("POST", "/api/v1/workrooms/estimate", {
        as: api.people.viewer,
        body: { inputs },
      });
      expect(res.status).toBe(403);
    });
  });

  describe("POST /api/v1/workrooms/uploads/blocks", () => {
    async function upload(files: { name: string; bytes: Uint8Array | string }[], kinds?: string) {
      const form = new FormData();
      if (kinds !== undefined) form.append("kinds", kinds);
      for (const f of files) form.append("files", new Blob([f.bytes]), f.name);
      const res = await fetch(`${api.url}/api/v1/workrooms/uploads/blocks`, {
        method: "POST",
        headers: { authorization: `Bearer ${key()}` },
        body: form,
      });
      return { status: res.status, body: (await res.json()) as Blocks & ErrorBody };
    }

    it("answers each file's text as a block labelled with its name, storing nothing", async () => {
      const before = await rooms();
      const res = await upload(
        [
          { name: "kickoff.md", bytes: "# Kick-off\n\n- launch in January" },
          { name: "scope.docx", bytes: await makeDocx(["Scope", "SSO with the Azure tenant."]) },
        ],
        "meeting_notes",
      );
      expect(res.status).toBe(200);
      expect(res.body.blocks).toEqual([
        {
          kind: "meeting_notes",
          label: "kickoff.md",
          content: "# Kick-off\n\n- launch in January",
        },
        { kind: "doc", label: "scope.docx", content: expect.stringContaining("Azure tenant") },
      ]);
      expect(await rooms()).toBe(before);
    });

    it("refuses what the workroom upload refuses: 400 for a type, 413 for the limits", async () => {
      const png = await upload([{ name: "logo.png", bytes: "\x89PNG" }]);
      expect(png.status).toBe(400);
      expect(png.body.error.message).toContain(".txt, .md, .docx and .pdf");
      const big = await upload([{ name: "big.txt", bytes: "a".repeat(200_001) }]);
      expect(big.status).toBe(413);
      expect(big.body.error.message).toContain('"big.txt" is over the upload limit');
      const text = await upload([
        { name: "a.txt", bytes: "a".repeat(60_000) },
        { name: "b.txt", bytes: "b".repeat(60_000) },
      ]);
      expect(text.status).toBe(413);
      expect(text.body.error).toMatchObject({ code: "input_limit" });
      const none = await upload([]);
      expect(none.status).toBe(400);
      expect(none.body.error.message).toContain("at least one file");
    });
  });
});
