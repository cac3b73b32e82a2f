// QA: some failures left the one error shape or carried the wrong status: an over-long id got
// Fastify's own 414 body, a valid body with a "__proto__" key was called "not valid JSON", a
// multipart body to a JSON route was a 400 about missing fields.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApi, type ApiWorld } from "../support/api.js";

interface ErrorBody {
  error: { code: string; message: string; request_id: string };
}

const expectShape = (body: unknown) =>
  expect(body).toEqual({
    error: {
      code: expect.any(String),
      message: expect.any(String),
      request_id: expect.any(String),
    },
  });

describe("error shapes", () => {
  let api: ApiWorld;
  let key: string;
  beforeAll(async () => {
    api = await startApi("sqlite");
    key = api.people.owner.key;
  });
  afterAll(async () => api?.close());

  const send = async (method: string, path: string, init: RequestInit = {}) => {
    const res = await fetch(`${api.url}${path}`, {
      method,
      ...init,
      headers: { authorization: `Bearer ${key}`, ...(init.headers as Record<string, string>) },
    });
    return { status: res.status, id: res.headers.get("x-request-id"), body: await res.json() };
  };

  it("answers an over-long id with 414 in the one shape", async () => {
    const res = await send("GET", `/api/v1/workrooms/${"a".repeat(5000)}`);
    expect(res.status).toBe(414);
    expectShape(res.body);
    expect((res.body as ErrorBody).error.code).toBe("uri_too_long");
    expect((res.body as ErrorBody).error.request_id).toBe(res.id);
  });

  it("answers a path that does not decode with 400 in the one shape", async () => {
    const res = await send("GET", "/api/v1/workrooms/%E0%A4%A");
    expect(res.status).toBe(400);
    expectShape(res.body);
    expect((res.body as ErrorBody).error.code).toBe("invalid_input");
  });

  it("says a __proto__ key is not allowed, not that valid JSON is invalid", async () => {
    const res = await send("POST", "/api/v1/workrooms", {
      headers: { "content-type": "application/json" },
      body: '{"title":"x","deliverables":["a"],"__proto__":{"admin":true}}',
    });
    expect(res.status).toBe(400);
    expectShape(res.body);
    expect((res.body as ErrorBody).error.message).toContain("`__proto__`");
    expect((res.body as ErrorBody).error.message).toContain("not allowed");
    expect((res.body as ErrorBody).error.message).not.toContain("not valid JSON");
  });

  it("answers a multipart body to a JSON-only route with 415", async () => {
    const form = new FormData();
    form.set("title", "x");
    const res = await send("POST", "/api/v1/workrooms", { body: form });
    expect(res.status).toBe(415);
    expectShape(res.body);
    expect((res.body as ErrorBody).error.code).toBe("unsupported_media_type");
    expect((res.body as ErrorBody).error.message).toContain("application/json");
    const list = await send("GET", "/api/v1/workrooms");
    expect((list.body as { items: unknown[] }).items).toEqual([]);
  });
});
