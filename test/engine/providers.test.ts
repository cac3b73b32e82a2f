// Whole rooms through the real SDK adapters against the fake provider servers: metering equals what
// the providers reported, faults are retried without double charges, and redacted values never leave.
import { afterEach, describe, expect, it } from "vitest";
import { openRuntime, type Runtime } from "../../src/runtime.js";
import { createModelGateway } from "../../src/models/router.js";
import { createWorkspace } from "../../src/app/workspaces.js";
import { estimateRoom } from "../../src/app/credits.js";
import { updateModelSettings } from "../../src/app/model-settings.js";
import {
  createWorkroom,
  getWorkroom,
  startWorkroom,
  workroomHistory,
} from "../../src/app/workrooms.js";
import { TASK_OUTPUT_TOKENS } from "../../src/agents/task-agent.js";
import { callCost } from "../../src/domain/credits.js";
import { DEFAULT_PRICING, priceOf, ratesOf } from "../../src/models/pricing.js";
import type { ModelConfig } from "../../src/models/config.js";
import type { Workroom } from "../../src/domain/types.js";
import { startFakeProvider, type FakeProvider, type Fault } from "../fakes/provider-server.js";
import { TEST_MASTER_KEY } from "../support/keys.js";
import { TOKENS, purposeOf, scriptedReply } from "../fakes/answers.js";
import { createTestDatabase, type TestDatabase } from "../support/databases.js";
import { ownerOf, proposalRoom, BRIEF } from "../support/fixtures.js";

let fake: FakeProvider | undefined;
let rt: Runtime | undefined;
let db: TestDatabase | undefined;
afterEach(async () => {
  await rt?.close();
  await fake?.close();
  await db?.drop();
  rt = fake = db = undefined;
});

async function setUp(
  kind: "openai" | "anthropic",
  model: string,
  config: (url: string) => ModelConfig,
  maxRetries = 6,
) {
  fake = await startFakeProvider(kind, scriptedReply);
  db = await createTestDatabase("sqlite");
  const models = createModelGateway({
    config: {
      ...config(fake.url),
      // Generous: a loaded 2-core machine must not turn a slow answer into a timeout; "hang" still fires it.
      timeoutMs: 2_000,
      retry: { maxRetries, baseDelayMs: 5, maxDelayMs: 1_000 },
    },
  });
  rt = await openRuntime({
    databaseUrl: db.url,
    masterKey: TEST_MASTER_KEY,
    models,
    config: { idlePollMs: 100 },
  });
  const ws = await createWorkspace(rt.deps, {
    name: "Agency",
    plan: "agency",
    defaultModel: model,
  });
  rt.startWorker();
  return { rt, ws, actor: ownerOf(ws) };
}

const settled = (r: Runtime, ids: string[]) =>
  new Promise<void>((resolve) => {
    const left = new Set(ids);
    const off = r.deps.bus.subscribe((m) => {
      if (
        m.type === "room_state" &&
        (m.state === "completed" || m.state === "failed") &&
        left.delete(m.workroomId) &&
        left.size === 0
      ) {
        off();
        resolve();
      }
    });
  });

const ADAPTERS = [
  {
    name: "Anthropic",
    kind: "anthropic" as const,
    model: "anthropic:claude-sonnet-4-5",
    config: (url: string) => ({ anthropic: { apiKey: "k", baseURL: url } }),
  },
  {
    name: "OpenAI",
    kind: "openai" as const,
    model: "openai:gpt-4.1-mini",
    config: (url: string) => ({ openai: { apiKey: "k", baseURL: url } }),
  },
  {
    name: "OpenAI-compatible",
    kind: "openai" as const,
    model: "vllm:qwen2.5-32b",
    config: (url: string) => ({ openaiCompatible: { baseURL: url } }),
  },
];

describe.each(ADAPTERS)("a proposal room through the $name adapter", ({ kind, model, config }) => {
  it("completes, and its history's tokens and credits equal what the provider reported", async () => {
    const { rt, actor } = await setUp(kind, model, config);
    const room = await createWorkroom(rt.deps, actor, proposalRoom());
    const done = settled(rt, [room.id]);
    await startWorkroom(rt.deps, actor, room.id);
    await done;
    const history = await workroomHistory(rt.deps, actor, room.id);
    expect(history.at(-1)!.data.to).toBe("completed");
    const calls = history.filter((e) => e.type === "model.call");
    expect(calls).toHaveLength(fake!.requests.length);
    const rates = ratesOf(priceOf(model, DEFAULT_PRICING, rt.deps.models.isLocal(model)));
    calls.forEach((e, i) => {
      const reported = TOKENS[purposeOf(fake!.requests[i]!.text)];
      expect(e.data).toMatchObject({
        model,
        input_tokens: reported.inputTokens,
        output_tokens: reported.outputTokens,
        cached_tokens: reported.cachedTokens,
      });
      expect(e.data.credits).toBe(
        callCost(
          {
            inputTokens: reported.inputTokens,
            outputTokens: reported.outputTokens,
            cachedInputTokens: reported.cachedTokens,
          },
          rates,
        ),
      );
    });
  });
});

describe("a model that answers a task with no text", () => {
  it("has the task tried again, and the room completes without composing from nothing", async () => {
    const { rt, actor } = await setUp("openai", "openai:gpt-4.1-mini", (url) => ({
      openai: { apiKey: "k", baseURL: url },
    }));
    let empty = 1;
    fake!.reply = (req) =>
      purposeOf(req.text) === "task" && empty-- > 0
        ? { ...scriptedReply(req), text: "  " }
        : scriptedReply(req);
    const room = await createWorkroom(rt.deps, actor, proposalRoom());
    const done = settled(rt, [room.id]);
    await startWorkroom(rt.deps, actor, room.id);
    await done;
    const history = await workroomHistory(rt.deps, actor, room.id);
    expect(history.at(-1)!.data.to).toBe("completed");
    const failed = history.filter((e) => e.type === "task.failed" || e.type === "task.retried");
    expect(JSON.stringify(failed)).toContain("with no text");
    const outputs = history.filter((e) => e.type === "task.succeeded");
    expect(outputs.every((e) => Number(e.data.chars) > 0)).toBe(true);
  });
});

describe("a task answer cut off at its output limit", () => {
  const CUT_TEXT = "A truncated sect";
  const start = async (cutTimes: number) => {
    const { rt, actor } = await setUp("openai", "openai:gpt-4.1-mini", (url) => ({
      openai: { apiKey: "k", baseURL: url },
    }));
    let left = cutTimes;
    fake!.reply = (req) =>
      purposeOf(req.text) === "task" && left-- > 0
        ? { ...scriptedReply(req), text: CUT_TEXT, outputTokens: 4_000, cutAtLimit: true }
        : scriptedReply(req);
    const room = await createWorkroom(rt.deps, actor, proposalRoom());
    const done = settled(rt, [room.id]);
    await startWorkroom(rt.deps, actor, room.id);
    await done;
    const detail = await getWorkroom(rt.deps, actor, room.id);
    const history = await workroomHistory(rt.deps, actor, room.id);
    return { detail, history };
  };
  const limits = () =>
    fake!.requests
      .filter((r) => purposeOf(r.text) === "task")
      .map((r) => r.body.max_tokens ?? r.body.max_completion_tokens);

  it("is asked again with twice the limit; the deliverable never holds the cut-off text, and both calls are charged", async () => {
    const { detail, history } = await start(1);
    expect(detail.room.state).toBe("completed");
    expect(JSON.stringify(detail.drafts)).not.toContain(CUT_TEXT);
    expect(limits().slice(0, 2)).toEqual([TASK_OUTPUT_TOKENS, 2 * TASK_OUTPUT_TOKENS]);
    const calls = history.filter((e) => e.type === "model.call");
    expect(calls).toHaveLength(fake!.requests.length);
    const cut = calls.filter((e) => e.data.cut_off_at !== undefined);
    // Charged, with its output counted up to the limit it was given.
    expect(cut).toEqual([
      expect.objectContaining({
        data: expect.objectContaining({ cut_off_at: TASK_OUTPUT_TOKENS, output_tokens: 4_000 }),
      }),
    ]);
    expect(cut[0]!.data.credits).toBeGreaterThan(0);
  });

  it("fails the task saying where it was cut off when the larger limit is cut off too", async () => {
    const { detail, history } = await start(2);
    expect(detail.room.state).toBe("failed");
    expect(JSON.stringify(detail.drafts)).not.toContain(CUT_TEXT);
    const failed = history.find((e) => e.type === "task.failed")!;
    expect(failed.data.error).toMatch(
      /answer was cut off at 3,000 tokens, its output limit for this task/,
    );
    expect(limits()).toEqual([TASK_OUTPUT_TOKENS, 2 * TASK_OUTPUT_TOKENS]);
    const cut = history.filter((e) => e.type === "model.call" && e.data.cut_off_at !== undefined);
    expect(cut.map((e) => e.data.cut_off_at)).toEqual([TASK_OUTPUT_TOKENS, 2 * TASK_OUTPUT_TOKENS]);
    expect(cut.every((e) => Number(e.data.credits) > 0)).toBe(true);
  });
});

describe("providers failing 30% of the time", () => {
  it("still complete 20 rooms; every retry is in the history and no call is debited twice", async () => {
    // 10 retries: a call meets 11 faults in a row with probability 0.3^11 (about 2 in a million).
    const { rt, actor } = await setUp(
      "openai",
      "openai:gpt-4.1-mini",
      (url) => ({ openai: { apiKey: "k", baseURL: url } }),
      10,
    );
    // mulberry32: independent draws (an LCG in floating point gave runs of faults far too long).
    let seed = 42;
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
    };
    // The engine asks for whole answers, so a "cut" drops the connection halfway through the body.
    const kinds: Fault[] = ["429", "500", "hang", "reset", "cut"];
    fake!.chooseFault = () =>
      random() < 0.3 ? kinds[Math.floor(random() * kinds.length)] : undefined;
    const rooms: Workroom[] = [];
    for (let i = 0; i < 20; i++)
      rooms.push(await createWorkroom(rt.deps, actor, proposalRoom({ title: `Room ${i}` })));
    const done = settled(
      rt,
      rooms.map((r) => r.id),
    );
    for (const r of rooms) await startWorkroom(rt.deps, actor, r.id);
    await done;
    const db = rt.deps.store.db;
    const states = await db.selectFrom("workrooms").select("state").execute();
    expect(states.every((s) => s.state === "completed")).toBe(true);
    const retries = [];
    for (const r of rooms)
      for (const e of await workroomHistory(rt.deps, actor, r.id))
        if (e.type === "model.retry") retries.push(e);
    expect(retries.length).toBeGreaterThan(10);
    expect(new Set(fake!.faultsSent).size).toBe(kinds.length); // every kind of fault happened
    const share = fake!.faultsSent.length / fake!.requests.length;
    expect(share).toBeGreaterThan(0.2);
    expect(share).toBeLessThan(0.4);
    const debits = await db
      .selectFrom("ledger")
      .select(["idempotency_key"])
      .where("kind", "=", "debit")
      .execute();
    const calls = await db.selectFrom("model_calls").select("id").execute();
    expect(debits).toHaveLength(calls.length);
    expect(new Set(debits.map((d) => d.idempotency_key)).size).toBe(debits.length);
    // Every successful provider answer was metered once: answered requests = metered calls.
    expect(calls.length).toBe(fake!.requests.length - retries.length);
  }, 120_000);
});

describe("redact_pii", () => {
  it("never sends the e-mail address or phone number of an input to the provider", async () => {
    const { rt, actor } = await setUp("anthropic", "anthropic:claude-sonnet-4-5", (url) => ({
      anthropic: { apiKey: "k", baseURL: url },
    }));
    const contact =
      "Contact Dana at dana.reis@aurora-coffee.pt or +351 912 345 678, Jane on 07700 900123.";
    const room = await createWorkroom(
      rt.deps,
      actor,
      proposalRoom({
        paste_flags: { redact_pii: true, local_models_only: false },
        inputs: [
          { kind: "brief", label: "From jane.doe@aurora.example", content: `${BRIEF} ${contact}` },
        ],
      }),
    );
    const done = settled(rt, [room.id]);
    await startWorkroom(rt.deps, actor, room.id);
    await done;
    expect(fake!.requests.length).toBeGreaterThan(3);
    for (const r of fake!.requests) {
      expect(r.text).not.toContain("dana.reis@aurora-coffee.pt");
      expect(r.text).not.toContain("912 345 678");
      expect(r.text).not.toContain("jane.doe@aurora.example");
      expect(r.text).not.toContain("900123");
    }
    expect(fake!.requests[0]!.text).toContain("[email]");
    const history = await workroomHistory(rt.deps, actor, room.id);
    const note = history.find((e) => e.type === "inputs.redacted")!;
    expect(note.data).toEqual({ email: 2, phone: 2, card: 0, iban: 0 });
    expect(JSON.stringify(history)).not.toContain("dana.reis@aurora-coffee.pt");
  });

  it("fails a local_models_only room that would use a hosted model, saying why", async () => {
    const { rt, actor } = await setUp("openai", "openai:gpt-4.1-mini", (url) => ({
      openai: { apiKey: "k", baseURL: url },
    }));
    const room = await createWorkroom(
      rt.deps,
      actor,
      proposalRoom({ paste_flags: { redact_pii: false, local_models_only: true } }),
    );
    const done = settled(rt, [room.id]);
    await startWorkroom(rt.deps, actor, room.id);
    await done;
    const history = await workroomHistory(rt.deps, actor, room.id);
    expect(history.at(-1)!.data.reason).toContain("limited to local models");
    expect(fake!.requests).toHaveLength(0);
  });
});

describe("a workspace's own OpenAI-compatible base URL", () => {
  const model = "vllm:qwen2.5-32b";
  const localRates = ratesOf(priceOf(model, DEFAULT_PRICING, true));

  it("on this machine, while the environment's is elsewhere: a local_models_only room runs there and is charged as local", async () => {
    const { rt, actor } = await setUp("openai", model, () => ({
      openaiCompatible: { baseURL: "http://gpu-box.invalid:8000/v1" },
    }));
    await updateModelSettings(rt.deps, actor, { openai_compatible: { base_url: fake!.url } });
    const room = await createWorkroom(
      rt.deps,
      actor,
      proposalRoom({ paste_flags: { redact_pii: false, local_models_only: true } }),
    );
    const estimate = await estimateRoom(rt.deps, actor, room.id);
    const done = settled(rt, [room.id]);
    await startWorkroom(rt.deps, actor, room.id);
    await done;
    const history = await workroomHistory(rt.deps, actor, room.id);
    expect(history.at(-1)!.data.to).toBe("completed");
    const calls = history.filter((e) => e.type === "model.call");
    expect(calls).toHaveLength(fake!.requests.length);
    calls.forEach((e, i) => {
      const reported = TOKENS[purposeOf(fake!.requests[i]!.text)];
      const usage = {
        inputTokens: reported.inputTokens,
        outputTokens: reported.outputTokens,
        cachedInputTokens: reported.cachedTokens,
      };
      expect(e.data.credits).toBe(callCost(usage, localRates));
    });
    expect(estimate.calls).toBe(7);
    expect(estimate.expected).toBe(7); // the 1-credit minimum per call
  });

  it("elsewhere, while the environment's is on this machine: priced and refused as hosted", async () => {
    const { rt, actor } = await setUp("openai", model, (url) => ({
      openaiCompatible: { baseURL: url },
    }));
    await updateModelSettings(rt.deps, actor, {
      openai_compatible: { base_url: "https://vllm.example.invalid/v1" },
    });
    const room = await createWorkroom(
      rt.deps,
      actor,
      proposalRoom({ paste_flags: { redact_pii: false, local_models_only: true } }),
    );
    const estimate = await estimateRoom(rt.deps, actor, room.id);
    expect(estimate.expected).toBeGreaterThan(7); // hosted rates, not the 1-credit local minimum
    const done = settled(rt, [room.id]);
    await startWorkroom(rt.deps, actor, room.id);
    await done;
    const history = await workroomHistory(rt.deps, actor, room.id);
    expect(history.at(-1)!.data.reason).toMatch(/limited to local models.*"vllm:qwen2.5-32b"/);
    expect(fake!.requests).toHaveLength(0);
  });
});
