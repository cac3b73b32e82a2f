// The server's own behaviour, before any resource: health, the OpenAPI document, the error shape
// of unknown routes and malformed bodies, request ids.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validate } from "@readme/openapi-parser";
import { startTestServer, type TestServer } from "../support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer("sqlite");
});
afterAll(async () => server?.close());

describe("the server", () => {
  it("answers health with the store it runs on", async () => {
    const res = await fetch(`${server.url}/api/v1/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", store: "sqlite" });
    expect(res.headers.get("x-request-id")).toMatch(/^req_/);
  });

  it("answers health with 503 while the workers find the database refusing writes", async () => {
    const writes = server.harness.runtime.deps.store.writes;
    writes.refused = {
      since: new Date("2026-12-07T15:00:00Z"),
      cause: "SQLITE_FULL: database or disk is full",
    };
    try {
      const res = await fetch(`${server.url}/api/v1/health`);
      expect(res.status).toBe(503);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("unavailable");
      expect(body.error.message).toContain("since 2026-12-07T15:00:00.000Z (SQLITE_FULL");
    } finally {
      writes.refused = null;
    }
    expect((await fetch(`${server.url}/api/v1/health`)).status).toBe(200);
  });

  it("answers an unknown route with the error shape and the request id", async () => {
    const res = await fetch(`${server.url}/api/v1/nothing-here`, {
      headers: { "x-request-id": "test-request-0001" },
    });
    expect(res.status).toBe(404);
    const body = await res.json();
    expect(body).toEqual({
      error: {
        code: "not_found",
        message: expect.stringContaining("/api/v1/nothing-here"),
        request_id: "test-request-0001",
      },
    });
  });

  it("serves an OpenAPI 3.1 document that a standard validator accepts", async () => {
    const res = await fetch(`${server.url}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    const text = await res.text();
    const doc = JSON.parse(text) as {
      openapi: string;
      paths: Record<string, Record<string, { operationId: string }>>;
    };
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.paths["/api/v1/health"]?.get?.operationId).toBe("getHealth");
    const result = await validate(JSON.parse(text));
    expect(result.valid ? [] : result.errors).toEqual([]);
  });
});
