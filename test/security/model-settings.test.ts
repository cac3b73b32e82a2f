// Model settings: the workspace's default and Planner models and its own provider keys — stored
// sealed, shown masked, changed by settings.manage only, audited without the value — and calls
// made for the workspace use its keys before the environment's.
import { afterEach, describe, expect, it } from "vitest";
import {
  getModelSettings,
  maskSecret,
  ModelSettingsViewSchema,
  updateModelSettings,
} from "../../src/app/model-settings.js";
import { createWorkroom, startWorkroom, workroomHistory } from "../../src/app/workrooms.js";
import { createWorkspace } from "../../src/app/workspaces.js";
import type { Actor } from "../../src/app/context.js";
import { listAudit } from "../../src/store/audit.js";
import { poolExec } from "../../src/engine/deps.js";
import { findWorkspace } from "../../src/store/workspaces.js";
import { writeSecrets } from "../../src/store/workspace-secrets.js";
import { createModelGateway } from "../../src/models/router.js";
import { openRuntime, type Runtime } from "../../src/runtime.js";
import { DIALECTS, createTestDatabase, type TestDatabase } from "../support/databases.js";
import { ownerOf, proposalRoom } from "../support/fixtures.js";
import { startHarness, type Harness } from "../support/harness.js";
import { TEST_MASTER_KEY } from "../support/keys.js";
import { startFakeProvider, type FakeProvider } from "../fakes/provider-server.js";
import { scriptedReply } from "../fakes/answers.js";

const isFinal = (state: string) => state === "completed" || state === "failed";
const ANTHROPIC_KEY = "sk-ant-api03-workspace-own-key-0000000000-wxyz";
const OPENAI_KEY = "sk-proj-workspace-openai-key-1234";

describe.each(DIALECTS)("model settings on %s", (dialect) => {
  let h: Harness;
  afterEach(async () => h?.close());

  it("stores provider keys, shows them masked and never in the audit log", async () => {
    h = await startHarness(dialect);
    const owner = ownerOf(h.workspace);
    const view = await updateModelSettings(h.runtime.deps, owner, {
      default_model: "anthropic:claude-sonnet-4-5",
      planner_model: "anthropic:claude-haiku-4-5",
      anthropic: { api_key: ANTHROPIC_KEY },
      openai: { api_key: OPENAI_KEY, base_url: "https://proxy.example.com/v1" },
    });
    expect(ModelSettingsViewSchema.parse(view)).toEqual({
      default_model: "anthropic:claude-sonnet-4-5",
      planner_model: "anthropic:claude-haiku-4-5",
      anthropic: { api_key: "sk-…wxyz", base_url: null },
      openai: { api_key: "sk-…1234", base_url: "https://proxy.example.com/v1" },
      openai_compatible: { api_key: null, base_url: null },
    });
    expect(await getModelSettings(h.runtime.deps, owner)).toEqual(view);
    const ws = await findWorkspace(poolExec(h.runtime.deps), h.workspace.id);
    expect([ws!.defaultModel, ws!.plannerModel]).toEqual([
      "anthropic:claude-sonnet-4-5",
      "anthropic:claude-haiku-4-5",
    ]);

    const audit = await listAudit(poolExec(h.runtime.deps), h.workspace.id);
    const entry = audit.find((a) => a.action === "settings.models_changed")!;
    expect(entry.data).toEqual({
      changed: [
        "default_model",
        "planner_model",
        "anthropic.api_key",
        "openai.api_key",
        "openai.base_url",
      ],
    });
    expect(JSON.stringify(audit)).not.toContain(ANTHROPIC_KEY);
  });

  it("clears a field with null and leaves absent fields as they are", async () => {
    h = await startHarness(dialect);
    const owner = ownerOf(h.workspace);
    await updateModelSettings(h.runtime.deps, owner, {
      openai: { api_key: OPENAI_KEY, base_url: "https://proxy.example.com/v1" },
    });
    const view = await updateModelSettings(h.runtime.deps, owner, {
      openai: { base_url: null },
      planner_model: null,
    });
    expect(view.openai).toEqual({ api_key: "sk-…1234", base_url: null });
    expect(view.planner_model).toBeNull();
    expect(view.default_model).toBe("scripted");
  });

  it("is for owners and admins: a member may neither read nor change it", async () => {
    h = await startHarness(dialect);
    const member: Actor = { ...ownerOf(h.workspace), role: "member" };
    await expect(getModelSettings(h.runtime.deps, member)).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(
      updateModelSettings(h.runtime.deps, member, { anthropic: { api_key: ANTHROPIC_KEY } }),
    ).rejects.toMatchObject({ code: "forbidden" });
    const admin: Actor = { ...member, role: "admin" };
    await expect(
      updateModelSettings(h.runtime.deps, admin, { anthropic: { api_key: ANTHROPIC_KEY } }),
    ).resolves.toMatchObject({ anthropic: { api_key: "sk-…wxyz" } });
  });

  it("refuses malformed settings and unknown fields with invalid_input", async () => {
    h = await startHarness(dialect);
    const owner = ownerOf(h.workspace);
    for (const bad of [
      { default_model: "" },
      { anthropic: { api_key: "short" } },
      { openai: { base_url: "ftp://x" } },
      { anthropic: { apiKey: ANTHROPIC_KEY } },
      { vertex: {} },
    ])
      await expect(updateModelSettings(h.runtime.deps, owner, bad)).rejects.toMatchObject({
        code: "invalid_input",
      });
  });

  it("refuses a base URL with a user name or password, saying to put the credential in the key", async () => {
    h = await startHarness(dialect);
    const owner = ownerOf(h.workspace);
    for (const url of [
      "http://qauser:BASEPASS777@127.0.0.1:4201/v1",
      "https://token@proxy.example.com/v1",
    ]) {
      const refused = updateModelSettings(h.runtime.deps, owner, { openai: { base_url: url } });
      await expect(refused).rejects.toMatchObject({ code: "invalid_input" });
      await expect(refused).rejects.toThrow(/user name or password.*API key/);
    }
    expect((await getModelSettings(h.runtime.deps, owner)).openai.base_url).toBeNull();
  });

  it("keeps a stored key only while the base URL stays on the same host", async () => {
    h = await startHarness(dialect);
    const owner = ownerOf(h.workspace);
    await updateModelSettings(h.runtime.deps, owner, {
      openai: { api_key: OPENAI_KEY, base_url: "https://proxy.example.com/v1" },
      anthropic: { api_key: ANTHROPIC_KEY },
    });
    for (const change of [
      { openai: { base_url: "https://collector.attacker.example/v1" } },
      { anthropic: { base_url: "https://collector.attacker.example/v1" } },
    ]) {
      const refused = updateModelSettings(h.runtime.deps, owner, change);
      await expect(refused).rejects.toMatchObject({ code: "invalid_input" });
      await expect(refused).rejects.toThrow(
        /to another host \(collector\.attacker\.example\).*send its api_key again/,
      );
    }
    const view = await getModelSettings(h.runtime.deps, owner);
    expect(view.openai.base_url).toBe("https://proxy.example.com/v1");
    expect(view.anthropic.base_url).toBeNull();
    // The same host, or the key given again, is fine.
    await updateModelSettings(h.runtime.deps, owner, {
      openai: { base_url: "https://proxy.example.com/v2" },
    });
    const moved = await updateModelSettings(h.runtime.deps, owner, {
      anthropic: {
        base_url: "https://gateway.example.net",
        api_key: "sk-ant-new-gateway-key-5555",
      },
    });
    expect(moved.anthropic).toEqual({
      api_key: "sk-…5555",
      base_url: "https://gateway.example.net",
    });
  });

  it("refuses model names without a known provider, listing the accepted form", async () => {
    h = await startHarness(dialect);
    const owner = ownerOf(h.workspace);
    for (const bad of [
      { default_model: "gpt-4o" },
      { default_model: "vertex:gemini-2.5" },
      { planner_model: "anthropic:" },
    ]) {
      const refused = updateModelSettings(h.runtime.deps, owner, bad);
      await expect(refused).rejects.toMatchObject({ code: "invalid_input" });
      await expect(refused).rejects.toThrow(/provider:model.*anthropic, openai, ollama/);
    }
    for (const good of ["scripted", "ollama:qwen2.5:7b", "local:/models/q.gguf", "openai:gpt-4o"])
      await expect(
        updateModelSettings(h.runtime.deps, owner, { default_model: good }),
      ).resolves.toMatchObject({ default_model: good });
  });

  it("shows a base URL saved with a credential before they were refused as http://…@host", async () => {
    h = await startHarness(dialect);
    const ex = poolExec(h.runtime.deps);
    await writeSecrets(ex, h.workspace.id, {
      providers: { openai: { baseURL: "http://qauser:BASEPASS777@127.0.0.1:4201/v1" } },
    });
    const view = await getModelSettings(h.runtime.deps, ownerOf(h.workspace));
    expect(view.openai.base_url).toBe("http://…@127.0.0.1:4201/v1");
  });
});

describe("masking", () => {
  it("shows the first three and last four characters of a long key, nothing of a short one", () => {
    expect(maskSecret("sk-ant-api03-abcdefghijkl")).toBe("sk-…ijkl");
    expect(maskSecret("tiny-secret")).toBe("…");
  });
});

describe("a workspace's own provider key", () => {
  let fake: FakeProvider | undefined;
  let rt: Runtime | undefined;
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await rt?.close();
    await fake?.close();
    await db?.drop();
    rt = fake = db = undefined;
  });

  it("is what the provider receives, over the environment's; another workspace keeps the environment's", async () => {
    fake = await startFakeProvider("anthropic", scriptedReply);
    db = await createTestDatabase("sqlite");
    rt = await openRuntime({
      databaseUrl: db.url,
      masterKey: TEST_MASTER_KEY,
      models: createModelGateway({
        config: { anthropic: { apiKey: "env-key", baseURL: fake.url }, timeoutMs: 5_000 },
      }),
      config: { idlePollMs: 100 },
    });
    const model = "anthropic:claude-sonnet-4-5";
    const own = await createWorkspace(rt.deps, {
      name: "Own",
      plan: "agency",
      defaultModel: model,
    });
    const env = await createWorkspace(rt.deps, {
      name: "Env",
      plan: "agency",
      defaultModel: model,
    });
    await updateModelSettings(rt.deps, ownerOf(own), { anthropic: { api_key: ANTHROPIC_KEY } });
    rt.startWorker();

    for (const ws of [own, env]) {
      const actor = ownerOf(ws);
      const room = await createWorkroom(rt.deps, actor, proposalRoom());
      const done = new Promise<void>((resolve) =>
        rt!.deps.bus.subscribe((m) => {
          if (m.type === "room_state" && m.workroomId === room.id && m.state === "completed")
            resolve();
        }),
      );
      const before = fake.requests.length;
      await startWorkroom(rt.deps, actor, room.id);
      await done;
      const keys = new Set(fake.requests.slice(before).map((r) => r.headers["x-api-key"]));
      expect(keys).toEqual(new Set([ws === own ? ANTHROPIC_KEY : "env-key"]));
      expect((await workroomHistory(rt.deps, actor, room.id)).at(-1)!.data.to).toBe("completed");
    }
  });

  it("never sends the environment's key to a base URL a workspace chose", async () => {
    fake = await startFakeProvider("anthropic", scriptedReply);
    const collector = await startFakeProvider("anthropic", scriptedReply);
    db = await createTestDatabase("sqlite");
    rt = await openRuntime({
      databaseUrl: db.url,
      masterKey: TEST_MASTER_KEY,
      models: createModelGateway({
        config: { anthropic: { apiKey: "env-key", baseURL: fake.url }, timeoutMs: 5_000 },
      }),
      config: { idlePollMs: 100 },
    });
    try {
      const ws = await createWorkspace(rt.deps, {
        name: "Elsewhere",
        plan: "agency",
        defaultModel: "anthropic:claude-sonnet-4-5",
      });
      const actor = ownerOf(ws);
      await updateModelSettings(rt.deps, actor, { anthropic: { base_url: collector.url } });
      rt.startWorker();
      const room = await createWorkroom(rt.deps, actor, proposalRoom());
      const settled = new Promise<string>((resolve) =>
        rt!.deps.bus.subscribe((m) => {
          if (m.type === "room_state" && m.workroomId === room.id && isFinal(m.state))
            resolve(m.state);
        }),
      );
      await startWorkroom(rt.deps, actor, room.id);
      expect(await settled).toBe("failed");
      expect(collector.requests.map((r) => r.headers["x-api-key"])).not.toContain("env-key");
      const reason = (await workroomHistory(rt.deps, actor, room.id)).at(-1)!.data.reason;
      expect(reason).toMatch(/No Anthropic key.*own base URL/);
    } finally {
      await collector.close();
    }
  });
});

describe("local_models_only with a workspace's own OpenAI-compatible base URL", () => {
  let rt: Runtime | undefined;
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await rt?.close();
    await db?.drop();
    rt = db = undefined;
  });

  it("refuses to send the call to a base URL off this machine, saying why", async () => {
    db = await createTestDatabase("sqlite");
    rt = await openRuntime({
      databaseUrl: db.url,
      masterKey: TEST_MASTER_KEY,
      // The environment sets no OpenAI-compatible server: the workspace's own is the one used.
      models: createModelGateway({ config: { timeoutMs: 2_000 } }),
      config: { idlePollMs: 100 },
    });
    const ws = await createWorkspace(rt.deps, {
      name: "Remote vLLM",
      plan: "agency",
      defaultModel: "vllm:qwen2.5-32b",
    });
    const actor = ownerOf(ws);
    await updateModelSettings(rt.deps, actor, {
      openai_compatible: { base_url: "http://10.255.255.1:8000/v1" },
    });
    rt.startWorker();
    const room = await createWorkroom(
      rt.deps,
      actor,
      proposalRoom({ paste_flags: { redact_pii: false, local_models_only: true } }),
    );
    const settled = new Promise<string>((resolve) =>
      rt!.deps.bus.subscribe((m) => {
        if (m.type === "room_state" && m.workroomId === room.id && m.state === "failed")
          resolve(m.state);
      }),
    );
    await startWorkroom(rt.deps, actor, room.id);
    await settled;
    const history = JSON.stringify(await workroomHistory(rt.deps, actor, room.id));
    expect(history).toContain("limited to local models");
    // Refused before the step, by the base URL the calls would use (the workspace's own).
    expect(history).toContain('uses \\"vllm:qwen2.5-32b\\" (the workspace default)');
  });
});
