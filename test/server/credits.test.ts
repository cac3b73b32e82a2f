// Credits, insights and the audit log over real HTTP (SPEC 1, 5, 9): the balance, the paged
// ledger, top-ups by owners and admins (once per idempotency key, audited), cost per workroom,
// hours saved with the CSV export, and who may see what.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorkroom, getWorkroom, startWorkroom } from "../../src/app/workrooms.js";
import type { Actor } from "../../src/app/context.js";
import type { AppDeps } from "../../src/app/context.js";
import { startApi, type ApiWorld } from "../support/api.js";
import { DIALECTS } from "../support/databases.js";
import { proposalRoom } from "../support/fixtures.js";

interface Balance {
  total: number;
  allowance: number;
  topup: number;
  monthly_allowance: number;
  period: string;
  allowance_notice: boolean;
}
interface LedgerPage {
  entries: { id: number; kind: string; credits: number; workroom_id: string | null }[];
  next_before: number | null;
}
interface ErrorBody {
  error: { code: string; message: string };
}

/** Runs a proposal room of the API world's workspace to completion. */
async function completedRoom(deps: AppDeps, actor: Actor, title: string) {
  const room = await createWorkroom(deps, actor, proposalRoom({ title, max_credits: 5_000 }));
  const done = new Promise<void>((resolve) => {
    const stop = deps.bus.subscribe((m) => {
      if (m.type === "room_state" && m.workroomId === room.id && m.state === "completed") {
        stop();
        resolve();
      }
    });
  });
  await startWorkroom(deps, actor, room.id);
  await done;
  return (await getWorkroom(deps, actor, room.id)).room;
}

function creditsFlow(dialect: "sqlite" | "postgres") {
  let w: ApiWorld;
  beforeAll(async () => {
    w = await startApi(dialect);
  });
  afterAll(async () => w?.close());

  it("tops up for an admin once per idempotency key, records it, and refuses a member", async () => {
    const before = await w.call<Balance>("GET", "/api/v1/credits", { as: w.people.viewer });
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({
      monthly_allowance: expect.any(Number),
      period: expect.stringMatching(/^\d{4}-\d{2}$/),
      allowance_notice: false,
    });
    expect(before.body.total).toBe(before.body.allowance + before.body.topup);

    const topUp = () =>
      w.call<Balance>("POST", "/api/v1/credits/top-ups", {
        key: w.people.admin.key,
        body: { amount: 500 },
        headers: { "idempotency-key": "pack-2026-11" },
      });
    const first = await topUp();
    expect(first.status).toBe(201);
    expect(first.body.topup).toBe(before.body.topup + 500);
    expect((await topUp()).body.topup).toBe(before.body.topup + 500);
    const otherAmount = await w.call<ErrorBody>("POST", "/api/v1/credits/top-ups", {
      key: w.people.admin.key,
      body: { amount: 999 },
      headers: { "idempotency-key": "pack-2026-11" },
    });
    expect(otherAmount.status).toBe(409);
    expect(otherAmount.body.error.message).toContain("top-up of 500 credits");
    const after = await w.call<Balance>("GET", "/api/v1/credits", { as: w.people.viewer });
    expect(after.body.topup).toBe(before.body.topup + 500);

    const member = await w.call<ErrorBody>("POST", "/api/v1/credits/top-ups", {
      key: w.people.member.key,
      body: { amount: 500 },
    });
    expect(member.status).toBe(403);
    expect(member.body.error.code).toBe("forbidden");

    const ledger = await w.call<LedgerPage>("GET", "/api/v1/credits/ledger?limit=1", {
      key: w.people.member.key,
    });
    expect(ledger.body.entries).toEqual([
      expect.objectContaining({ kind: "topup", credits: 500, note: "Top-up by A admin (API key)" }),
    ]);

    const audit = await w.call<{
      entries: { action: string; data: { amount?: number }; who: Record<string, unknown> }[];
    }>("GET", "/api/v1/audit", { key: w.people.owner.key });
    const topUps = audit.body.entries.filter((e) => e.action === "credits.topped_up");
    expect(topUps[0]).toMatchObject({
      data: { amount: 500 },
      who: {
        kind: "api_key",
        name: "admin key",
        prefix: expect.stringMatching(/^atk_/),
        user: { id: w.people.admin.userId },
      },
    });
    expect(topUps).toHaveLength(2); // this one and the world's own
  });

  it("pages the ledger newest first without gaps or repeats", async () => {
    for (let i = 1; i <= 4; i++)
      await w.call("POST", "/api/v1/credits/top-ups", {
        key: w.people.owner.key,
        body: { amount: i, idempotency_key: `paging-${i}` },
      });
    const all = await w.call<LedgerPage>("GET", "/api/v1/credits/ledger?limit=200", {
      key: w.people.owner.key,
    });
    const ids = all.body.entries.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(all.body.entries.slice(0, 4).map((e) => e.credits)).toEqual([4, 3, 2, 1]);
    expect(all.body.next_before).toBeNull();

    const seen: number[] = [];
    let before: number | null = null;
    do {
      const page: { body: LedgerPage } = await w.call<LedgerPage>(
        "GET",
        `/api/v1/credits/ledger?limit=2${before ? `&before=${before}` : ""}`,
        { key: w.people.owner.key },
      );
      expect(page.body.entries.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.entries.map((e) => e.id));
      before = page.body.next_before;
    } while (before !== null);
    expect(seen).toEqual(ids);
  });

  it("shows hours saved and cost per workroom, and exports insights as CSV for admins", async () => {
    const deps = w.server.harness.runtime.deps;
    const room = await completedRoom(deps, w.people.member.actor, '=Aurora, Q4 "loyalty" proposal');

    const costs = await w.call<{ workrooms: Record<string, unknown>[] }>(
      "GET",
      "/api/v1/credits/by-workroom",
      { as: w.people.viewer },
    );
    expect(costs.body.workrooms).toEqual([
      {
        id: room.id,
        title: room.title,
        client: "Aurora Coffee",
        state: "completed",
        credits_spent: room.creditsSpent,
        max_credits: 5_000,
      },
    ]);
    expect(room.creditsSpent).toBeGreaterThan(0);

    const insights = await w.call<{
      total_hours_saved: number;
      completed_workrooms: number;
      workrooms: { id: string; hours_saved: number; completed_at: string }[];
    }>("GET", "/api/v1/insights", { as: w.people.viewer });
    expect(insights.status).toBe(200);
    expect(insights.body.completed_workrooms).toBe(1);
    expect(insights.body.workrooms[0]).toMatchObject({ id: room.id, hours_saved: room.hoursSaved });
    expect(insights.body.total_hours_saved).toBe(room.hoursSaved);

    const day = insights.body.workrooms[0]!.completed_at.slice(0, 10);
    const sameDay = await w.call<{ completed_workrooms: number }>(
      "GET",
      `/api/v1/insights?from=${day}&to=${day}`,
      { key: w.people.member.key },
    );
    expect(sameDay.body.completed_workrooms).toBe(1);
    const earlier = await w.call<{ completed_workrooms: number }>(
      "GET",
      "/api/v1/insights?to=2000-01-01",
      { key: w.people.member.key },
    );
    expect(earlier.body.completed_workrooms).toBe(0);

    const csv = await w.call("GET", "/api/v1/insights.csv", { key: w.people.admin.key });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(csv.headers.get("content-disposition")).toMatch(
      /attachment; filename="atelya-insights-/,
    );
    const lines = csv.text.trimEnd().split("\n");
    expect(lines[0]).toBe("workroom_id,title,client,completed_at,rounds,credits,hours_saved");
    expect(lines).toHaveLength(2);
    // Quoted for the comma and quotes, and kept from running as a spreadsheet formula.
    expect(lines[1]).toContain(`${room.id},"'=Aurora, Q4 ""loyalty"" proposal",Aurora Coffee,`);

    const byMember = await w.call<ErrorBody>("GET", "/api/v1/insights.csv", {
      key: w.people.member.key,
    });
    expect(byMember.status).toBe(403);
  });
}

describe.each(DIALECTS)("credits and insights on %s", creditsFlow);

describe("credits, insights and audit: validation, roles, isolation", () => {
  let w: ApiWorld;
  beforeAll(async () => {
    w = await startApi("sqlite");
  });
  afterAll(async () => w?.close());

  it("answers malformed top-ups and queries with 400 naming the field", async () => {
    const key = w.people.owner.key;
    for (const amount of [0, -5, 1.5, "10", null]) {
      const res = await w.call<ErrorBody>("POST", "/api/v1/credits/top-ups", {
        key,
        body: { amount },
      });
      expect([amount, res.status]).toEqual([amount, 400]);
      expect(res.body.error.message).toContain("amount");
    }
    const badKey = await w.call<ErrorBody>("POST", "/api/v1/credits/top-ups", {
      key,
      body: { amount: 5 },
      headers: { "idempotency-key": "two words" },
    });
    expect([badKey.status, badKey.body.error.message]).toEqual([
      400,
      expect.stringContaining("Idempotency-Key"),
    ]);
    // Two different keys on one request: refused, naming both, and nothing is added.
    const before = (await w.call<{ total: number }>("GET", "/api/v1/credits", { key })).body.total;
    for (const _retry of [1, 2]) {
      const twoKeys = await w.call<ErrorBody>("POST", "/api/v1/credits/top-ups", {
        key,
        body: { amount: 7, idempotency_key: "field-key-1" },
        headers: { "idempotency-key": "header-key-1" },
      });
      expect([twoKeys.status, twoKeys.body.error.message]).toEqual([
        400,
        expect.stringMatching(/header-key-1.*field-key-1/),
      ]);
    }
    const after = (await w.call<{ total: number }>("GET", "/api/v1/credits", { key })).body.total;
    expect(after).toBe(before);
    const sameKey = await w.call("POST", "/api/v1/credits/top-ups", {
      key,
      body: { amount: 7, idempotency_key: "same-key-1" },
      headers: { "idempotency-key": "same-key-1" },
    });
    expect(sameKey.status).toBe(201);
    const queries: [string, string][] = [
      ["/api/v1/credits/ledger?limit=0", "limit"],
      ["/api/v1/credits/ledger?limit=abc", "limit"],
      ["/api/v1/credits/ledger?before=-3", "before"],
      ["/api/v1/audit?limit=5000", "limit"],
      ["/api/v1/insights?from=yesterday", "from"],
      ["/api/v1/insights?from=2026-12-01&to=2026-11-01", "range"],
    ];
    for (const [path, field] of queries) {
      const res = await w.call<ErrorBody>("GET", path, { key });
      expect([path, res.status]).toEqual([path, 400]);
      expect(res.body.error.message).toContain(field);
    }
  });

  it("keeps the audit log to owners and admins", async () => {
    for (const role of ["member", "viewer"] as const) {
      const res = await w.call<ErrorBody>("GET", "/api/v1/audit", { as: w.people[role] });
      expect([role, res.status]).toEqual([role, 403]);
    }
    const page = await w.call<{ entries: { id: number }[]; next_before: number | null }>(
      "GET",
      "/api/v1/audit?limit=1",
      { key: w.people.admin.key },
    );
    expect(page.body.entries).toHaveLength(1);
    expect(page.body.next_before).toBe(page.body.entries[0]!.id);
    const next = await w.call<{ entries: { id: number }[] }>(
      "GET",
      `/api/v1/audit?limit=1&before=${page.body.next_before}`,
      { key: w.people.admin.key },
    );
    expect(next.body.entries[0]!.id).toBeLessThan(page.body.next_before!);
  });

  it("shows another workspace nothing of this one's credits or log", async () => {
    await w.call("POST", "/api/v1/credits/top-ups", {
      key: w.people.owner.key,
      body: { amount: 777 },
    });
    const key = w.outsider.key;
    const ledger = await w.call<LedgerPage>("GET", "/api/v1/credits/ledger", { key });
    expect(ledger.body.entries.some((e) => e.credits === 777)).toBe(false);
    const audit = await w.call<{ entries: { data: Record<string, unknown> }[] }>(
      "GET",
      "/api/v1/audit?limit=200",
      { key },
    );
    expect(JSON.stringify(audit.body)).not.toContain("777");
    expect(JSON.stringify(audit.body)).not.toContain(w.people.owner.userId);
  });
});
