// Agents and Style Memory over real HTTP (SPEC 3): create, edit, copy, archive; save, read, copy
// and extract Style Memory (a charged platform action); roles, validation and isolation.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTION_CREDIT_COSTS } from "../../src/domain/credits.js";
import { withTx } from "../../src/engine/tx.js";
import { currentWorkspace } from "../../src/engine/metering.js";
import type { WorkspaceId } from "../../src/domain/ids.js";
import { debit } from "../../src/store/ledger.js";
import { updateAgent } from "../../src/store/workspaces.js";
import { startApi, type ApiWorld } from "../support/api.js";
import { ManualClock } from "../support/clock.js";
import { DIALECTS } from "../support/databases.js";
import { makeDocx, makePdf } from "../support/files.js";

interface AgentBody {
  id: string;
  name: string;
  color: string;
  temperature: number;
  role_description: string;
  system_prompt: string;
  archived_at: string | null;
  style_rules: Record<string, unknown> | null;
}

const STYLE = {
  tone_descriptors: ["warm", "direct"],
  banned_phrases: ["synergy"],
  required_sections: ["Summary", "Next steps"],
  voice_examples: ["We'll get you there in two weeks."],
  structural_pattern: "Summary, then options, then next steps.",
  reading_level: "plain, grade 8",
  formality: 2,
};

const SAMPLES = [
  { label: "recap.md", content: "# Summary\nWe shipped the new site. It's fast, and it's yours." },
  { content: "# Next steps\nWe'll review the numbers on Friday. Then we'll plan Q1 together." },
];

async function balanceOf(w: ApiWorld, key: string): Promise<number> {
  const res = await w.call<{ total: number }>("GET", "/api/v1/credits", { key });
  expect(res.status).toBe(200);
  return res.body.total;
}

function agentsFlow(dialect: "sqlite" | "postgres") {
  let w: ApiWorld;
  beforeAll(async () => {
    w = await startApi(dialect);
  });
  afterAll(async () => w?.close());
  const member = () => w.people.member.key;

  it("creates, edits, copies and archives an agent", async () => {
    const created = await w.call<AgentBody>("POST", "/api/v1/agents", {
      key: member(),
      body: { name: "Researcher", role_description: "Finds facts", temperature: 0.3 },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: "Researcher", color: "#6366f1", temperature: 0.3 });
    const id = created.body.id;

    const edited = await w.call<AgentBody>("PATCH", `/api/v1/agents/${id}`, {
      key: member(),
      body: { system_prompt: "Cite every source." },
    });
    expect(edited.status).toBe(200);
    // Fields not sent keep their values (defaults are not re-applied).
    expect(edited.body).toMatchObject({
      name: "Researcher",
      temperature: 0.3,
      role_description: "Finds facts",
      system_prompt: "Cite every source.",
    });

    const copy = await w.call<AgentBody>("POST", `/api/v1/agents/${id}/copy`, { key: member() });
    expect(copy.status).toBe(201);
    expect(copy.body).toMatchObject({
      name: "Researcher (copy)",
      system_prompt: "Cite every source.",
    });
    expect(copy.body.id).not.toBe(id);

    const archived = await w.call<AgentBody>("POST", `/api/v1/agents/${id}/archive`, {
      key: member(),
    });
    expect(archived.status).toBe(200);
    expect(archived.body.archived_at).toEqual(expect.any(String));

    const listed = await w.call<{ agents: AgentBody[] }>("GET", "/api/v1/agents", {
      key: member(),
    });
    expect(listed.body.agents.map((a) => a.id)).toEqual([copy.body.id]);
    const all = await w.call<{ agents: AgentBody[] }>(
      "GET",
      "/api/v1/agents?include_archived=true",
      {
        as: w.people.viewer,
      },
    );
    expect(all.body.agents.map((a) => a.id).sort()).toEqual([id, copy.body.id].sort());

    const audit = await w.call<{ entries: { action: string; who: { kind: string } }[] }>(
      "GET",
      "/api/v1/audit",
      { key: w.people.admin.key },
    );
    expect(audit.body.entries.map((e) => e.action)).toEqual(
      expect.arrayContaining(["agent.created", "agent.edited", "agent.copied", "agent.archived"]),
    );
  });

  it("saves, reads and copies Style Memory", async () => {
    const a = await w.call<AgentBody>("POST", "/api/v1/agents", {
      key: member(),
      body: { name: "Writer" },
    });
    const b = await w.call<AgentBody>("POST", "/api/v1/agents", {
      key: member(),
      body: { name: "Editor" },
    });
    const empty = await w.call("GET", `/api/v1/agents/${a.body.id}/style`, { key: member() });
    expect(empty.body).toEqual({ agent_id: a.body.id, style_rules: null });

    const saved = await w.call("PUT", `/api/v1/agents/${a.body.id}/style`, {
      key: member(),
      body: STYLE,
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual({ agent_id: a.body.id, style_rules: STYLE });
    const read = await w.call("GET", `/api/v1/agents/${a.body.id}/style`, {
      as: w.people.viewer,
    });
    expect(read.body).toEqual({ agent_id: a.body.id, style_rules: STYLE });

    const copied = await w.call("POST", `/api/v1/agents/${a.body.id}/style/copy`, {
      key: member(),
      body: { to_agent_id: b.body.id },
    });
    expect(copied.status).toBe(200);
    expect(copied.body).toEqual({ agent_id: b.body.id, style_rules: STYLE });
  });

  it("extracts Style Memory from two samples and charges the action's credits once", async () => {
    const a = await w.call<AgentBody>("POST", "/api/v1/agents", {
      key: member(),
      body: { name: "Voice" },
    });
    const before = await balanceOf(w, member());
    const extract = (samples = SAMPLES) =>
      w.call<{ style_rules: typeof STYLE; credits_charged: number }>(
        "POST",
        `/api/v1/agents/${a.body.id}/style/extract`,
        { key: member(), body: { samples }, headers: { "idempotency-key": "extract-1" } },
      );
    const res = await extract();
    expect(res.status).toBe(200);
    expect(res.body.credits_charged).toBe(ACTION_CREDIT_COSTS.style_extraction);
    expect(res.body.style_rules.required_sections).toEqual(["Summary", "Next steps"]);
    expect(res.body.style_rules.formality).toEqual(expect.any(Number));
    // A draft: nothing is saved until PUT.
    const style = await w.call("GET", `/api/v1/agents/${a.body.id}/style`, { key: member() });
    expect(style.body).toMatchObject({ style_rules: null });

    expect(await balanceOf(w, member())).toBe(before - ACTION_CREDIT_COSTS.style_extraction);
    expect(res.headers.get("idempotent-replayed")).toBeNull();
    // The same request again (its response lost): the same draft, the model not asked again,
    // nothing charged again.
    const calls = w.server.harness.model.log.length;
    const again = await extract();
    expect(again.status).toBe(200);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body).toEqual(res.body);
    // The same key with other samples is another request: refused before the model is asked.
    const other = await extract([{ content: "# Summary\nA different sample altogether." }]);
    expect(other.status).toBe(409);
    expect(JSON.stringify(other.body)).toContain("other samples");
    expect(w.server.harness.model.log.length).toBe(calls);
    expect(await balanceOf(w, member())).toBe(before - ACTION_CREDIT_COSTS.style_extraction);

    const ledger = await w.call<{ entries: { kind: string; credits: number; note: string }[] }>(
      "GET",
      "/api/v1/credits/ledger?limit=5",
      { key: member() },
    );
    expect(ledger.body.entries[0]).toMatchObject({
      kind: "debit",
      credits: -ACTION_CREDIT_COSTS.style_extraction,
      note: "Style Memory extraction for Voice",
    });
  });

  it("refuses extraction when the balance is short (409)", async () => {
    const key = w.outsider.key;
    const a = await w.call<AgentBody>("POST", "/api/v1/agents", { key, body: { name: "Lean" } });
    const deps = w.server.harness.runtime.deps;
    await withTx(deps, async (tx) => {
      const ws = await currentWorkspace(tx, w.outsider.workspaceId);
      const all = ws.allowanceCredits + ws.topupCredits;
      if (all > 0) await debit(tx.ex, ws, all, "test:drain", "drain", null, tx.now);
    });
    const res = await w.call<{ error: { code: string; message: string } }>(
      "POST",
      `/api/v1/agents/${a.body.id}/style/extract`,
      { key, body: { samples: SAMPLES } },
    );
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("insufficient_credits");
  });
}

describe.each(DIALECTS)("agents and Style Memory on %s", agentsFlow);

describe("agents: roles, validation and isolation", () => {
  let w: ApiWorld;
  let agentId: string;
  beforeAll(async () => {
    w = await startApi("sqlite");
    const res = await w.call<AgentBody>("POST", "/api/v1/agents", {
      key: w.people.member.key,
      body: { name: "Strategist" },
    });
    agentId = res.body.id;
  });
  afterAll(async () => w?.close());

  it("gives a viewer 403 on every write", async () => {
    const viewer = w.people.viewer;
    const writes: [string, string, unknown][] = [
      ["POST", "/api/v1/agents", { name: "Nope" }],
      ["PATCH", `/api/v1/agents/${agentId}`, { name: "Nope" }],
      ["POST", `/api/v1/agents/${agentId}/copy`, {}],
      ["POST", `/api/v1/agents/${agentId}/archive`, undefined],
      ["PUT", `/api/v1/agents/${agentId}/style`, STYLE],
      ["POST", `/api/v1/agents/${agentId}/style/extract`, { samples: SAMPLES }],
      ["POST", `/api/v1/agents/${agentId}/style/copy`, { to_agent_id: agentId }],
    ];
    for (const [method, path, body] of writes) {
      const res = await w.call<{ error: { code: string } }>(method, path, { as: viewer, body });
      expect([method, path, res.status]).toEqual([method, path, 403]);
      expect(res.body.error.code).toBe("forbidden");
    }
  });

  it("refuses an agent model that is not provider:model, listing the providers", async () => {
    const key = w.people.member.key;
    const bad: [string, string, unknown][] = [
      ["POST", "/api/v1/agents", { name: "X", model: "gpt-4o" }],
      ["PATCH", `/api/v1/agents/${agentId}`, { model: "vertex:gemini-2.5" }],
      ["PATCH", `/api/v1/agents/${agentId}`, { model: "anthropic:" }],
    ];
    for (const [method, path, body] of bad) {
      const res = await w.call<{ error: { code: string; message: string } }>(method, path, {
        key,
        body,
      });
      expect([path, res.status, res.body.error.code]).toEqual([path, 400, "invalid_input"]);
      expect(res.body.error.message).toMatch(/model.*provider:model.*anthropic, openai, ollama/);
    }
    for (const model of ["anthropic:claude-opus-4-1", null]) {
      const res = await w.call<{ model: string | null }>("PATCH", `/api/v1/agents/${agentId}`, {
        key,
        body: { model },
      });
      expect([res.status, res.body.model]).toEqual([200, model]);
    }
  });

  it("refuses a grant of a tool that does not exist, and keeps the grants an agent already has", async () => {
    const key = w.people.member.key;
    const create = await w.call<{ error: { message: string } }>("POST", "/api/v1/agents", {
      key,
      body: { name: "Tool user", tool_grants: ["calculate", "nosuchtool"] },
    });
    expect(create.status).toBe(400);
    expect(create.body.error.message).toMatch(/^No tool "nosuchtool": grant one of search_inputs/);
    const made = await w.call<{ id: string }>("POST", "/api/v1/agents", {
      key,
      body: { name: "Tool user", tool_grants: ["calculate"] },
    });
    expect(made.status).toBe(201);
    // A grant of an MCP server the workspace has since removed stays through other edits.
    const deps = w.server.harness.runtime.deps;
    await withTx(deps, (tx) =>
      updateAgent(
        tx.ex,
        w.workspaceId as WorkspaceId,
        made.body.id,
        {
          toolGrants: ["calculate", "mcp:gone/lookup"],
        },
        tx.now,
      ),
    );
    const rename = await w.call<{ tool_grants: string[] }>(
      "PATCH",
      `/api/v1/agents/${made.body.id}`,
      { key, body: { name: "Tool user 2", tool_grants: ["mcp:gone/lookup", "fetch_url"] } },
    );
    expect([rename.status, rename.body.tool_grants]).toEqual([
      200,
      ["mcp:gone/lookup", "fetch_url"],
    ]);
    const added = await w.call<{ error: { message: string } }>(
      "PATCH",
      `/api/v1/agents/${made.body.id}`,
      { key, body: { tool_grants: ["mcp:gone/lookup", "mcp:other/x"] } },
    );
    expect(added.status).toBe(400);
    expect(added.body.error.message).toContain('No tool "mcp:other/x"');
  });

  it("answers malformed bodies with 400 naming the field", async () => {
    const key = w.people.member.key;
    const cases: [string, string, unknown, string][] = [
      ["POST", "/api/v1/agents", { name: 5 }, "name"],
      ["POST", "/api/v1/agents", { name: "X", temperature: 7 }, "temperature"],
      ["POST", "/api/v1/agents", { name: "X", color: "red" }, "color"],
      ["PATCH", `/api/v1/agents/${agentId}`, { tool_grants: "all" }, "tool_grants"],
      ["PUT", `/api/v1/agents/${agentId}/style`, { ...STYLE, formality: 9 }, "formality"],
      ["PUT", `/api/v1/agents/${agentId}/style`, { tone_descriptors: "warm" }, "tone_descriptors"],
      ["POST", `/api/v1/agents/${agentId}/style/extract`, { samples: [] }, "samples"],
      [
        "POST",
        `/api/v1/agents/${agentId}/style/extract`,
        { samples: Array.from({ length: 6 }, () => ({ content: "Hello." })) },
        "samples",
      ],
      [
        "POST",
        `/api/v1/agents/${agentId}/style/extract`,
        { samples: [{ content: " " }] },
        "content",
      ],
      ["POST", `/api/v1/agents/${agentId}/style/copy`, {}, "to_agent_id"],
    ];
    for (const [method, path, body, field] of cases) {
      const res = await w.call<{ error: { code: string; message: string } }>(method, path, {
        key,
        body,
      });
      expect([path, res.status, res.body.error.code]).toEqual([path, 400, "invalid_input"]);
      expect(res.body.error.message).toContain(field);
    }
    const raw = await fetch(`${w.url}/api/v1/agents`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: "{ not json",
    });
    expect(raw.status).toBe(400);
  });

  async function uploadSamples(id: string, files: { name: string; bytes: Uint8Array | string }[]) {
    const form = new FormData();
    for (const f of files) form.append("files", new Blob([f.bytes]), f.name);
    const res = await fetch(`${w.url}/api/v1/agents/${id}/style/extract/uploads`, {
      method: "POST",
      headers: { authorization: `Bearer ${w.people.member.key}` },
      body: form,
    });
    return {
      status: res.status,
      body: (await res.json()) as {
        style_rules: { required_sections: string[]; voice_examples: string[] };
        error: { code: string; message: string };
      },
    };
  }

  it("extracts Style Memory from uploaded .md, .docx and .pdf samples", async () => {
    const before = await balanceOf(w, w.people.member.key);
    const res = await uploadSamples(agentId, [
      { name: "recap.md", bytes: SAMPLES[0]!.content },
      { name: "letter.docx", bytes: await makeDocx(["Dear Dana,", "We'll keep it short."]) },
      { name: "notes.pdf", bytes: await makePdf([["Thanks for the call. It's all on track."]]) },
    ]);
    expect(res.status).toBe(200);
    expect(res.body.style_rules.required_sections).toEqual(["Summary"]);
    expect(res.body.style_rules.voice_examples.join(" ")).toContain("Dear Dana");
    expect(await balanceOf(w, w.people.member.key)).toBe(
      before - ACTION_CREDIT_COSTS.style_extraction,
    );
  });

  it("refuses unsupported, unreadable and too many sample files without charging", async () => {
    const before = await balanceOf(w, w.people.member.key);
    const bad = await uploadSamples(agentId, [{ name: "logo.png", bytes: "not text" }]);
    expect([bad.status, bad.body.error.code]).toEqual([400, "invalid_input"]);
    expect(bad.body.error.message).toContain(".txt, .md, .docx and .pdf");
    const broken = await uploadSamples(agentId, [{ name: "x.docx", bytes: "not a zip" }]);
    expect(broken.status).toBe(400);
    const many = await uploadSamples(
      agentId,
      Array.from({ length: 6 }, (_, i) => ({ name: `s${i}.txt`, bytes: "Hello there." })),
    );
    expect([many.status, many.body.error.message]).toEqual([
      400,
      expect.stringContaining("samples"),
    ]);
    const none = await w.call<{ error: { message: string } }>(
      "POST",
      `/api/v1/agents/${agentId}/style/extract/uploads`,
      { key: w.people.member.key, body: { samples: SAMPLES } },
    );
    expect([none.status, none.body.error.message]).toEqual([
      415,
      expect.stringContaining("multipart/form-data"),
    ]);
    expect(await balanceOf(w, w.people.member.key)).toBe(before);
  });

  it("answers another workspace's agent with 404", async () => {
    const key = w.outsider.key;
    const own = await w.call<AgentBody>("POST", "/api/v1/agents", { key, body: { name: "Mine" } });
    const tries: [string, string, unknown][] = [
      ["GET", `/api/v1/agents/${agentId}`, undefined],
      ["PATCH", `/api/v1/agents/${agentId}`, { name: "Taken" }],
      ["POST", `/api/v1/agents/${agentId}/copy`, {}],
      ["POST", `/api/v1/agents/${agentId}/archive`, undefined],
      ["GET", `/api/v1/agents/${agentId}/style`, undefined],
      ["PUT", `/api/v1/agents/${agentId}/style`, STYLE],
      ["POST", `/api/v1/agents/${agentId}/style/extract`, { samples: SAMPLES }],
      ["POST", `/api/v1/agents/${agentId}/style/copy`, { to_agent_id: own.body.id }],
      ["POST", `/api/v1/agents/${own.body.id}/style/copy`, { to_agent_id: agentId }],
      ["GET", "/api/v1/agents/agt_doesnotexist", undefined],
    ];
    await w.call("PUT", `/api/v1/agents/${own.body.id}/style`, { key, body: STYLE });
    for (const [method, path, body] of tries) {
      const res = await w.call(method, path, { key, body });
      expect([method, path, res.status]).toEqual([method, path, 404]);
    }
    const mine = await w.call<AgentBody>("GET", `/api/v1/agents/${agentId}`, {
      key: w.people.member.key,
    });
    expect(mine.body.name).toBe("Strategist");
  });
});

describe("a style extraction's draft is kept a day for a retried request", () => {
  it("answers the same key the next hour, and refuses it (asking for a new key) the next day", async () => {
    const clock = new ManualClock(new Date("2026-03-02T09:00:00Z"));
    const w = await startApi("sqlite", { harness: { clock } });
    try {
      const key = w.people.member.key;
      const agent = await w.call<AgentBody>("POST", "/api/v1/agents", {
        key,
        body: { name: "Voice" },
      });
      const extract = () =>
        w.call<{ style_rules: typeof STYLE }>(
          "POST",
          `/api/v1/agents/${agent.body.id}/style/extract`,
          {
            key,
            body: { samples: SAMPLES },
            headers: { "idempotency-key": "retry-me" },
          },
        );
      const first = await extract();
      expect(first.status).toBe(200);
      const before = await balanceOf(w, key);
      clock.set(new Date("2026-03-02T10:00:00Z"));
      const hourLater = await extract();
      expect([hourLater.status, hourLater.headers.get("idempotent-replayed")]).toEqual([
        200,
        "true",
      ]);
      expect(hourLater.body).toEqual(first.body);
      clock.set(new Date("2026-03-03T09:30:00Z"));
      const dayLater = await extract();
      expect(dayLater.status).toBe(409);
      expect(dayLater.text).toContain("over a day ago");
      expect(await balanceOf(w, key)).toBe(before);
    } finally {
      await w.close();
    }
  });
});
