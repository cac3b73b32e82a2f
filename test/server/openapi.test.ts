// The OpenAPI generator names nested schemas: a schema with an id met only inside another one
// becomes its own component, and the document stays valid.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { validate } from "@readme/openapi-parser";
import { buildOpenApi } from "../../src/server/openapi.js";
import Fastify from "fastify";
import type { AppDeps } from "../../src/app/context.js";
import { DomainError } from "../../src/domain/errors.js";
import { serverConfig } from "../../src/server/config.js";
import { toHttpError } from "../../src/server/errors.js";
import { defineRoute, registerRoutes, type UndocumentedStatus } from "../../src/server/route.js";
import { API_ROUTES } from "../../src/server/routes/index.js";

describe("the OpenAPI generator", () => {
  it("turns a named schema nested in a response into its own component", async () => {
    const Line = z.object({ text: z.string() }).meta({ id: "TestLine" });
    const Page = z.object({ lines: z.array(Line) });
    const route = defineRoute({
      method: "GET",
      path: "/api/v1/things/:id",
      operationId: "getThing",
      summary: "A thing",
      tags: ["test"],
      auth: "workspace",
      params: z.object({ id: z.string() }),
      response: { kind: "json", schema: Page },
      handler: async () => ({ lines: [] }),
    });
    const doc = buildOpenApi([route], { title: "t", version: "1", description: "d" }) as {
      components: { schemas: Record<string, unknown> };
    };
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(["TestLine", "getThingResponse", "Error"]),
    );
    expect(JSON.stringify(doc)).not.toContain("__shared");
    expect(JSON.stringify(doc.components.schemas.getThingResponse)).toContain(
      '"$ref":"#/components/schemas/TestLine"',
    );
    const result = await validate(JSON.parse(JSON.stringify(doc)));
    expect(result.valid ? [] : result.errors).toEqual([]);
  });
});

describe("the API's OpenAPI document", () => {
  const doc = buildOpenApi(API_ROUTES, { title: "t", version: "1", description: "d" }) as {
    components: { schemas: Record<string, { description?: string }> };
    paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
  };
  const statuses = (path: string, method: string) =>
    Object.keys(doc.paths[path]![method]!.responses).filter((code) => Number(code) >= 400);

  it("lists the error statuses each operation can answer, no more", () => {
    expect(statuses("/api/v1/health", "get")).toEqual(["400", "503"]);
    expect(statuses("/api/v1/session", "post")).toEqual(
      expect.arrayContaining(["400", "401", "413", "415", "429"]),
    );
    expect(statuses("/api/v1/session", "post")).not.toContain("403");
    expect(statuses("/api/v1/invites/{token}/accept", "post")).toContain("401");
    // A person may name a workspace they are not in (X-Atelya-Workspace) on any workspace route.
    expect(statuses("/api/v1/workrooms", "get")).toContain("404");
    expect(statuses("/api/v1/credits", "get")).toContain("404");
    expect(statuses("/api/v1/session", "get")).not.toContain("404");
    expect(statuses("/api/v1/workrooms/uploads", "post")).toContain("415");
    expect(statuses("/api/v1/workrooms", "post")).toEqual(
      expect.arrayContaining(["400", "401", "403", "409", "413", "415", "422"]),
    );
    expect(statuses("/api/v1/workrooms/{id}", "get")).toEqual([
      "400",
      "401",
      "403",
      "404",
      "414",
      "503",
    ]);
    expect(statuses("/api/v1/workrooms/{id}/exports/{format}", "get")).toContain("409");
    expect(statuses("/api/v1/agents/{id}/style/extract", "post")).toContain("502");
    expect(statuses("/api/v1/workrooms/{id}/stream", "get")).toContain("503");
  });

  it("has no two path templates that differ only by their parameters' names (OpenAPI 3.1 §4.8.8)", () => {
    const shapes = new Map<string, string[]>();
    for (const path of Object.keys(doc.paths)) {
      const shape = path.replace(/\{[^}]+\}/g, "{}");
      shapes.set(shape, [...(shapes.get(shape) ?? []), path]);
    }
    expect([...shapes.values()].filter((paths) => paths.length > 1)).toEqual([]);
    expect(Object.keys(doc.paths["/api/v1/invites/{invite}"]!).sort()).toEqual(["delete", "get"]);
  });

  it("declares the request and response headers each operation uses", async () => {
    const op = (path: string, method: string) =>
      doc.paths[path]![method] as unknown as {
        parameters: ({ $ref: string } | { in: string })[];
        responses: Record<string, { headers?: Record<string, { $ref: string }> }>;
      };
    const headers = (path: string, method: string) =>
      op(path, method)
        .parameters.filter((p) => "$ref" in p)
        .map((p) => (p as { $ref: string }).$ref.split("/").pop());
    expect(headers("/api/v1/credits/top-ups", "post")).toEqual([
      "RequestId",
      "Workspace",
      "CsrfToken",
      "IdempotencyKey",
    ]);
    expect(headers("/api/v1/agents/{id}/style/extract", "post")).toContain("IdempotencyKey");
    expect(headers("/api/v1/workrooms/{id}/stream", "get")).toEqual([
      "RequestId",
      "Workspace",
      "LastEventId",
    ]);
    expect(headers("/api/v1/health", "get")).toEqual(["RequestId"]);
    const extract = op("/api/v1/agents/{id}/style/extract", "post").responses;
    expect(Object.keys(extract["200"]!.headers!)).toEqual(["X-Request-Id", "Idempotent-Replayed"]);
    expect(Object.keys(extract["404"]!.headers!)).toEqual(["X-Request-Id"]);
    const stream = op("/api/v1/workrooms/{id}/stream", "get").responses;
    expect(Object.keys(stream["503"]!.headers!)).toEqual(["X-Request-Id", "Retry-After"]);
    const result = await validate(JSON.parse(JSON.stringify(doc)));
    expect(result.valid ? [] : result.errors).toEqual([]);
  });

  it("describes style extraction from text as JSON only, pointing files to the upload route", () => {
    const description = doc.components.schemas.ExtractStyleRequest?.description ?? "";
    expect(description).not.toContain("multipart/form-data files");
    expect(description).toContain("/style/extract/uploads");
  });
});

describe("a status the OpenAPI document does not list", () => {
  it("is reported with the operation that answered it", async () => {
    const route = defineRoute({
      method: "GET",
      path: "/api/v1/things",
      operationId: "listThings",
      summary: "Things",
      tags: ["test"],
      auth: "public",
      response: { kind: "json", schema: z.object({}) },
      handler: async () => {
        throw new DomainError("conflict", "Not now.");
      },
    });
    const reported: UndocumentedStatus[] = [];
    const app = Fastify();
    app.decorateRequest("principal", null);
    app.setErrorHandler(async (err, _request, reply) => reply.code(toHttpError(err).status).send());
    const config = { ...serverConfig({}), spoolDir: "unused" };
    registerRoutes(app, {} as AppDeps, config, [route], (s) => reported.push(s));
    expect((await app.inject({ method: "GET", url: "/api/v1/things?x=1" })).statusCode).toBe(409);
    expect(reported).toEqual([
      { operationId: "listThings", method: "GET", url: "/api/v1/things?x=1", status: 409 },
    ]);
    await app.close();
  });
});
