// Health and the API's own description.
import { z } from "zod";
import { storeErrorCode } from "../../store/unwritable.js";
import { ApiError } from "../errors.js";
import { buildOpenApi } from "../openapi.js";
import { defineRoute, type Route } from "../route.js";

const HealthSchema = z
  .object({ status: z.literal("ok"), store: z.enum(["sqlite", "postgres"]) })
  .meta({ id: "Health" });

const OpenApiDocumentSchema = z
  .record(z.string(), z.unknown())
  .meta({ id: "OpenApiDocument", description: "This document." });

export const API_INFO = {
  title: "Atelya API",
  version: "1",
  description:
    "Workrooms turn pasted client material into one finished, branded client document. Authenticate with a workspace API key (`Authorization: Bearer atk_…`) or the web app's session cookie; errors are `{ error: { code, message, request_id } }`.",
};

const health = defineRoute({
  method: "GET",
  path: "/api/v1/health",
  operationId: "getHealth",
  summary: "Whether the server and its database answer",
  tags: ["system"],
  description:
    "503 `unavailable` while the database cannot be reached (a stopped or lost database server), saying why, and while this server's workers find that it refuses writes (a full disk), saying since when and why; it answers 200 again once the database answers and a write goes through.",
  auth: "public",
  errors: ["503"],
  response: { kind: "json", schema: HealthSchema },
  handler: async ({ deps }) => {
    try {
      await deps.store.db.selectFrom("workspaces").select("id").limit(1).execute();
    } catch (e) {
      // Whatever keeps this read from answering (a stopped server, refused connections), the
      // store cannot be reached: said as such by every replica, with a worker or without.
      throw new ApiError(
        503,
        "unavailable",
        `The database cannot be reached (${storeErrorCode(e) ?? "it did not answer"}): bring it back; the server and its workers carry on by themselves once it answers.`,
      );
    }
    const refused = deps.store.writes.refused;
    if (refused)
      throw new ApiError(
        503,
        "unavailable",
        `The database has refused writes since ${refused.since.toISOString()} (${refused.cause}): free disk space, or bring the database back; the workers retry by themselves.`,
      );
    return { status: "ok" as const, store: deps.store.dialect };
  },
});

/** The document route describes the table it is given (itself included). */
export function openApiRoute(routes: () => readonly Route[]): Route {
  let doc: Record<string, unknown> | undefined;
  return defineRoute({
    method: "GET",
    path: "/api/v1/openapi.json",
    operationId: "getOpenApi",
    summary: "The OpenAPI 3.1 description of this API",
    tags: ["system"],
    auth: "public",
    response: { kind: "json", schema: OpenApiDocumentSchema },
    handler: async () => (doc ??= buildOpenApi(routes(), API_INFO)),
  });
}

export const systemRoutes: readonly Route[] = [health];
