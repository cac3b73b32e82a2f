// The OpenAPI 3.1 document, generated from the route table and its zod schemas (never written by
// hand, so it cannot drift from the code). Every request and response schema becomes a named
// component; schemas that carry a `.meta({ id })` keep that name, the rest are named after their
// operation (`createWorkroomRequest`, `getWorkroomResponse`).
import { z } from "zod";
import { ErrorBodySchema } from "./errors.js";
import { errorStatuses, type Route } from "./route.js";

type JsonSchema = Record<string, unknown>;

const ERROR_RESPONSES: Record<string, string> = {
  "400": "The request is malformed or breaks a rule.",
  "401": "No valid session or API key.",
  "403": "Your role does not allow this.",
  "404": "No such resource in this workspace.",
  "409": "Not allowed in the resource's current state.",
  "412":
    "Someone changed the resource since the version If-Match names: reload it, then make the change again.",
  "413": "The body or an upload is over its limit.",
  "414": "A path parameter is over its length limit.",
  "415": "The body is not of the media type the operation takes.",
  "422": "The request is well-formed but cannot be carried out.",
  "429": "Too many attempts; wait and retry.",
  "502": "The model provider failed the call (retried first); try again later.",
  "503":
    "The database is too busy to take the request, or the server is stopping; retry after the Retry-After header's seconds.",
};

/** Request headers the server reads, declared once and referenced by the operations using them. */
const HEADER_PARAMETERS: Record<string, JsonSchema> = {
  RequestId: {
    name: "X-Request-Id",
    in: "header",
    required: false,
    description:
      "Your own id for this request (8–64 characters of A-Za-z0-9._-), echoed back and logged; one is made up otherwise.",
    schema: { type: "string", pattern: "^[A-Za-z0-9._-]{8,64}$" },
  },
  Workspace: {
    name: "X-Atelya-Workspace",
    in: "header",
    required: false,
    description:
      "Signed in with the session cookie: the workspace (ws_…) to act in for this request, default the session's current one (404 if you are not in it). Ignored for API keys.",
    schema: { type: "string" },
  },
  CsrfToken: {
    name: "X-CSRF-Token",
    in: "header",
    required: false,
    description:
      "Signed in with the session cookie: the session's csrf_token (GET /api/v1/session), required on every write (403 without it). Not needed with an API key.",
    schema: { type: "string" },
  },
  IdempotencyKey: {
    name: "Idempotency-Key",
    in: "header",
    required: false,
    description:
      "Up to 200 printable ASCII characters without spaces (a UUID is fine): a retry with the same key and the same request does the work once.",
    schema: { type: "string", pattern: "^[\\x21-\\x7e]{1,200}$" },
  },
  IfMatch: {
    name: "If-Match",
    in: "header",
    required: false,
    description:
      "The ETag of the GET the change was made on, quotes included: the write is refused with 412 when the resource has changed since. Absent or `*`: it applies to whatever is current.",
    schema: { type: "string" },
  },
  LastEventId: {
    name: "Last-Event-ID",
    in: "header",
    required: false,
    description:
      "The id of the last message received: the stream resumes after it, with no gap and no duplicate (or `?last_event_id=`).",
    schema: { type: "string" },
  },
};

/** Response headers, declared once and referenced by the responses that carry them. */
const RESPONSE_HEADERS: Record<string, JsonSchema> = {
  RequestId: {
    description: "This request's id, as in an error body's request_id and the server's log.",
    schema: { type: "string" },
  },
  IdempotentReplayed: {
    description:
      "`true` when this is the answer of an earlier request with the same Idempotency-Key, replayed.",
    schema: { type: "string", enum: ["true"] },
  },
  ETag: {
    description:
      'The version of the resource this answer shows (a strong validator, e.g. `"3q2-7wHbQ1GhzmPBn4lzUw"`): send it back as If-Match on a change.',
    schema: { type: "string" },
  },
  RetryAfter: {
    description: "Seconds to wait before trying again.",
    schema: { type: "integer", minimum: 0 },
  },
};

const headerRef = (id: string) => ({ $ref: `#/components/headers/${id}` });
const parameterRef = (id: string) => ({ $ref: `#/components/parameters/${id}` });

/** The request headers an operation reads, from its route definition. */
function headerParameters(r: Route): JsonSchema[] {
  const ids = ["RequestId"];
  if (r.auth === "workspace") ids.push("Workspace");
  if (r.method !== "GET") ids.push("CsrfToken");
  if (r.idempotency) ids.push("IdempotencyKey");
  if (r.etag && r.method !== "GET") ids.push("IfMatch");
  if (r.response.kind === "stream") ids.push("LastEventId");
  return ids.map(parameterRef);
}

const toOpenApiPath = (path: string) => path.replace(/:([A-Za-z_]+)/g, "{$1}");

function idOf(schema: z.ZodType): string | undefined {
  const meta = z.globalRegistry.get(schema);
  return typeof meta?.id === "string" ? meta.id : undefined;
}

/** Component schemas in one direction (request bodies read `input`, responses `output`). */
function components(
  schemas: Map<z.ZodType, string>,
  io: "input" | "output",
): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [schema, id] of schemas) if (!registry.has(schema)) registry.add(schema, { id });
  const out = z.toJSONSchema(registry, {
    io,
    uri: (id) => `#/components/schemas/${id}`,
    unrepresentable: "any",
  }).schemas;
  // Named schemas nested in others (a view's `.meta({ id })` used inside another view) come back
  // as `__shared.$defs`: they become components of their own, and references to them are rewritten.
  const { __shared, ...named } = out;
  const shared = ((__shared as JsonSchema | undefined)?.$defs ?? {}) as Record<string, JsonSchema>;
  const clean: Record<string, JsonSchema> = {};
  for (const [id, s] of Object.entries({ ...shared, ...named })) {
    const { $schema: _s, $id: _i, ...rest } = s as JsonSchema;
    clean[id] = rest;
  }
  return JSON.parse(
    JSON.stringify(clean).replaceAll(
      "#/components/schemas/__shared#/$defs/",
      "#/components/schemas/",
    ),
  ) as Record<string, JsonSchema>;
}

/** Path and query parameters from their zod object schemas. */
function parameters(schema: z.ZodType | undefined, where: "path" | "query"): JsonSchema[] {
  if (!schema) return [];
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, s]) => {
    const { description, ...rest } = s;
    return {
      name,
      in: where,
      required: where === "path" || (json.required ?? []).includes(name),
      ...(typeof description === "string" ? { description } : {}),
      schema: rest,
    };
  });
}

export interface OpenApiInfo {
  title: string;
  version: string;
  description: string;
}

export function buildOpenApi(routes: readonly Route[], info: OpenApiInfo): JsonSchema {
  const requests = new Map<z.ZodType, string>();
  const responses = new Map<z.ZodType, string>([[ErrorBodySchema, "Error"]]);
  const name = (schema: z.ZodType, fallback: string) => idOf(schema) ?? fallback;
  for (const r of routes) {
    if (r.body) requests.set(r.body, name(r.body, `${r.operationId}Request`));
    if (r.response.kind === "json")
      responses.set(r.response.schema, name(r.response.schema, `${r.operationId}Response`));
  }
  const inputs = components(requests, "input");
  // The server refuses a body field it does not know (route.ts, `strictBody`): say so.
  for (const [schema, id] of requests)
    if (schema instanceof z.ZodObject && inputs[id]?.type === "object")
      inputs[id].additionalProperties ??= false;
  const outputs = components(responses, "output");
  const schemas: Record<string, JsonSchema> = { ...outputs };
  // A schema named in both directions whose input form differs (defaults make fields optional)
  // keeps its name for the response and gets an `Input` suffix for the request.
  const inputName = new Map<string, string>();
  for (const [id, s] of Object.entries(inputs)) {
    const same = schemas[id] && JSON.stringify(schemas[id]) === JSON.stringify(s);
    const target = schemas[id] && !same ? `${id}Input` : id;
    inputName.set(id, target);
    schemas[target] = s;
  }
  const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });

  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = toOpenApiPath(r.path);
    const ok: Record<string, Record<string, unknown>> = {};
    const res = r.response;
    if (res.kind === "json")
      ok[String(res.status ?? 200)] = {
        description: res.description ?? r.summary,
        content: { "application/json": { schema: ref(responses.get(res.schema)!) } },
      };
    else if (res.kind === "file")
      ok["200"] = {
        description: res.description,
        content: Object.fromEntries(
          res.contentTypes.map((t) => [t, { schema: { type: "string", format: "binary" } }]),
        ),
      };
    else if (res.kind === "empty") ok["204"] = { description: res.description };
    else ok["200"] = { description: res.description, content: { [res.contentType]: {} } };
    for (const success of Object.values(ok))
      success.headers = {
        "X-Request-Id": headerRef("RequestId"),
        ...(r.idempotency?.replayHeader
          ? { "Idempotent-Replayed": headerRef("IdempotentReplayed") }
          : {}),
        ...(r.etag ? { ETag: headerRef("ETag") } : {}),
      };
    const errors = Object.fromEntries(
      errorStatuses(r).map((code) => [
        code,
        {
          description:
            code === "404" && r.auth === "workspace"
              ? `${r.params ? "No such resource in this workspace, or the" : "The"} X-Atelya-Workspace header names a workspace you are not in.`
              : ERROR_RESPONSES[code],
          headers: {
            "X-Request-Id": headerRef("RequestId"),
            ...(code === "503" ? { "Retry-After": headerRef("RetryAfter") } : {}),
          },
          content: { "application/json": { schema: ref("Error") } },
        },
      ]),
    );
    const body = r.body
      ? {
          requestBody: {
            required: true,
            content: {
              [r.multipart ? "multipart/form-data" : "application/json"]: {
                schema: ref(inputName.get(requests.get(r.body)!)!),
              },
            },
          },
        }
      : {};
    (paths[path] ??= {})[r.method.toLowerCase()] = {
      operationId: r.operationId,
      summary: r.summary,
      ...(r.description ? { description: r.description } : {}),
      tags: [...r.tags],
      ...(r.auth === "public" ? { security: [] } : {}),
      ...(r.action ? { "x-atelya-action": r.action } : {}),
      parameters: [
        ...parameters(r.params, "path"),
        ...parameters(r.query, "query"),
        ...headerParameters(r),
      ],
      ...body,
      responses: { ...ok, ...errors },
    };
  }
  return {
    openapi: "3.1.0",
    info,
    servers: [{ url: "/" }],
    paths,
    components: {
      schemas,
      parameters: HEADER_PARAMETERS,
      headers: RESPONSE_HEADERS,
      securitySchemes: {
        apiKey: { type: "http", scheme: "bearer", description: "A workspace API key, atk_…" },
        session: { type: "apiKey", in: "cookie", name: "atelya_session" },
      },
    },
    security: [{ apiKey: [] }, { session: [] }],
  };
}
