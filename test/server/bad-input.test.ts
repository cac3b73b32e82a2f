// Issue 7 acceptance: malformed JSON, wrong types, oversize bodies and unknown ids get a clear 4xx
// in the one error shape — never a 5xx — on every route of the table, and change nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_ROUTES } from "../../src/server/routes/index.js";
import type { Route } from "../../src/server/route.js";
import { startApi, type ApiWorld } from "../support/api.js";

let api: ApiWorld;
beforeAll(async () => {
  api = await startApi("sqlite", { config: { bodyLimit: 256 * 1024 } });
});
afterAll(async () => api?.close());

/** Every parameter filled with an id that exists nowhere. */
const unknownPath = (r: Route) =>
  r.path.replace(/:([A-Za-z_]+)/g, (_, n: string) =>
    n === "round" ? "1" : n === "format" ? "pdf" : `${n}_doesnotexist000000`,
  );

async function send(r: Route, path: string, body: string, contentType = "application/json") {
  const res = await fetch(`${api.url}${path}`, {
    method: r.method,
    headers: {
      authorization: `Bearer ${api.people.owner.key}`,
      "content-type": contentType,
    },
    body,
  });
  const text = await res.text();
  return {
    status: res.status,
    text,
    json: () => JSON.parse(text) as { error?: { code?: string } },
  };
}

const writes = API_ROUTES.filter((r) => r.body && !r.multipart && r.auth !== "public");
const withIds = API_ROUTES.filter((r) => r.path.includes(":") && r.auth !== "public");

/** What the workspace holds, to show a refused request changed nothing. */
async function snapshot(): Promise<string> {
  const db = api.server.harness.runtime.deps.store.db;
  const counts = await Promise.all(
    (
      ["workrooms", "agents", "webhooks", "api_keys", "invites", "ledger", "audit_log"] as const
    ).map(
      async (t) =>
        `${t}:${(await db.selectFrom(t).select(db.fn.countAll().as("n")).executeTakeFirst())?.n}`,
    ),
  );
  return counts.join(" ");
}

describe("bad input", () => {
  it("has write routes to try", () => {
    expect(writes.length).toBeGreaterThan(20);
  });

  it("answers malformed JSON with 400 invalid_input on every write route, changing nothing", async () => {
    const before = await snapshot();
    for (const r of writes) {
      const path = r.path.replace(/:([A-Za-z_]+)/g, "x");
      const res = await send(r, path, '{"title": "unterminated');
      expect(res.status, `${r.operationId}: ${res.text}`).toBe(400);
      expect(res.json().error?.code, r.operationId).toBe("invalid_input");
    }
    expect(await snapshot()).toBe(before);
  });

  it("answers wrong types with a 4xx that names the problem, never a 5xx", async () => {
    const before = await snapshot();
    for (const r of writes)
      for (const body of [
        "[1,2,3]",
        '"a string"',
        "42",
        '{"name": 7, "title": false, "amount": "x"}',
      ]) {
        const res = await send(r, unknownPath(r), body);
        expect(res.status, `${r.operationId} ${body}: ${res.text}`).toBeGreaterThanOrEqual(400);
        expect(res.status, `${r.operationId} ${body}: ${res.text}`).toBeLessThan(500);
        expect(res.json().error?.code, r.operationId).toMatch(/^[a-z_]+$/);
      }
    expect(await snapshot()).toBe(before);
  });

  it("answers an oversize body with 413 before reading it", async () => {
    const huge = JSON.stringify({ title: "x".repeat(300 * 1024) });
    for (const r of writes.slice(0, 5)) {
      const res = await send(r, unknownPath(r), huge);
      expect(res.status, r.operationId).toBe(413);
      expect(res.json().error?.code).toBe("payload_too_large");
    }
  });

  it("refuses text dressed as an encrypted value, so it can never make a room unreadable", async () => {
    const create = writes.find((r) => r.operationId === "createWorkroom")!;
    const res = await send(
      create,
      create.path,
      JSON.stringify({ title: "\u0001ay1:ws_x:AAAA", deliverables: ["Proposal"] }),
    );
    expect(res.status).toBe(400);
    expect(res.json().error?.code).toBe("invalid_input");
    const list = await fetch(`${api.url}/api/v1/workrooms`, {
      headers: { authorization: `Bearer ${api.people.owner.key}` },
    });
    expect(list.status).toBe(200);
  });

  it("answers a body that is not JSON with 415", async () => {
    const create = writes.find((r) => r.operationId === "createWorkroom")!;
    const res = await send(create, create.path, "title=x", "text/plain");
    expect(res.status).toBe(415);
  });

  it("takes an empty body labelled JSON as no body: commands without one answer as usual", async () => {
    // Many HTTP clients send `Content-Type: application/json` on every POST, body or not.
    const bodiless = withIds.filter((r) => !r.body && r.method !== "GET");
    expect(bodiless.map((r) => r.operationId)).toEqual(
      expect.arrayContaining(["startWorkroom", "rotateApiKey", "testWebhook"]),
    );
    for (const r of bodiless) {
      const res = await send(r, unknownPath(r), "");
      expect([r.operationId, res.status]).toEqual([r.operationId, 404]);
    }
    const room = await api.call<{ id: string }>("POST", "/api/v1/workrooms", {
      key: api.people.owner.key,
      body: { title: "Aurora Coffee — Q4", deliverables: ["Proposal"] },
    });
    const start = bodiless.find((r) => r.operationId === "startWorkroom")!;
    const started = await send(start, `/api/v1/workrooms/${room.body.id}/start`, "");
    expect([started.status, started.json()]).toEqual([
      200,
      expect.objectContaining({ state: "planning" }),
    ]);
    // A route that needs a body names what is missing, as for a request with no body at all.
    const createRoute = writes.find((r) => r.operationId === "createWorkroom")!;
    const create = await send(createRoute, createRoute.path, "");
    expect([create.status, create.text]).toEqual([400, expect.stringContaining("title")]);
  });

  it("answers unknown ids with 404 on every route that takes one", async () => {
    for (const r of withIds) {
      const res = await fetch(`${api.url}${unknownPath(r)}`, {
        method: r.method,
        headers: {
          authorization: `Bearer ${api.people.owner.key}`,
          ...(r.body && !r.multipart ? { "content-type": "application/json" } : {}),
        },
        ...(r.body && !r.multipart ? { body: "{}" } : {}),
      });
      const text = await res.text();
      expect(res.status, `${r.method} ${r.path}: ${text}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `${r.method} ${r.path}: ${text}`).toBeLessThan(500);
      // An empty body may be refused as invalid before the lookup; otherwise the answer is 404.
      if (res.status !== 400 && res.status !== 415) expect(res.status, r.path).toBe(404);
    }
  });
});
