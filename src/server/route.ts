// The one way a route is declared. A route is plain data — method, path, who may call it, the
// domain action it needs, zod schemas for its input and output — plus a handler that calls one use
// case. `registerRoutes` turns the table into Fastify routes that parse (400), authenticate (401),
// resolve the workspace, run the handler, and check the response against its schema; the same
// table generates the OpenAPI document and drives the isolation-matrix test.
import type { Readable } from "node:stream";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { DomainError } from "../domain/errors.js";
import { describeIssues } from "../domain/requests.js";
import type { Action } from "../domain/roles.js";
import { authorize, type Actor, type AppDeps } from "../app/context.js";
import type { Principal } from "./principal.js";
import { checkRequestValues } from "./request-values.js";
import { ApiError } from "./errors.js";
import type { ServerConfig } from "./config.js";
import { entityTag, parseIfMatch } from "./preconditions.js";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * `public`: anyone. `user`: a signed-in person or an API key. `workspace`: a caller acting in a
 * workspace (the session's current one, or the API key's).
 */
export type Auth = "public" | "user" | "workspace";

type Schema = z.ZodType;

/** What a successful call returns. */
export type ResponseSpec =
  | { kind: "json"; schema: Schema; status?: number; description?: string }
  /** A download: the handler returns a `FileResult`. */
  | { kind: "file"; contentTypes: readonly string[]; description: string }
  /** No body (204). */
  | { kind: "empty"; description: string }
  /** The handler takes over the reply (Server-Sent Events). */
  | { kind: "stream"; contentType: string; description: string };

export interface FileResult {
  filename: string;
  /** The name for clients that read only `filename=` (default: `filename` with other characters
   *  as "_"). */
  asciiFilename?: string;
  mimeType: string;
  /** The file, or a stream of it (sent as it is read: a workspace's archive). */
  bytes: Buffer | string | Readable;
}

type Out<S> = unknown extends S ? unknown : S extends Schema ? z.output<S> : Record<string, never>;

type HandlerResult<R extends ResponseSpec> = R extends {
  kind: "json";
  schema: infer S extends Schema;
}
  ? z.input<S>
  : R extends { kind: "file" }
    ? FileResult
    : void;

/** The server's settings as routes see them: the spool folder chosen (buildServer). */
export type RouteConfig = ServerConfig & { spoolDir: string };

export interface RouteContext<P, Q, B, A extends Auth> {
  deps: AppDeps;
  config: RouteConfig;
  principal: A extends "public" ? Principal | null : Principal;
  /** The caller acting in a workspace; null only on public and user routes. */
  actor: A extends "workspace" ? Actor : Actor | null;
  params: Out<P>;
  query: Out<Q>;
  body: Out<B>;
  /** On a write of a route with `etag`: the versions its If-Match header accepts, for the use
   *  case to check under its lock; undefined without the header or with `*`. */
  ifMatch: readonly string[] | undefined;
  /** On a route with `etag`: the version of what the answer shows, sent as its ETag. */
  setVersion(version: string): void;
  request: FastifyRequest;
  reply: FastifyReply;
}

export interface RouteSpec<
  P extends Schema | undefined,
  Q extends Schema | undefined,
  B extends Schema | undefined,
  R extends ResponseSpec,
  A extends Auth,
> {
  method: HttpMethod;
  /** Fastify syntax: `/api/v1/workrooms/:id`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tags: readonly string[];
  auth: A;
  /** The permission this needs: checked before the body is parsed, and again by the use case. */
  action?: Action;
  params?: P;
  query?: Q;
  body?: B;
  /** A multipart upload: documented with `body` as its fields; the handler reads the parts. */
  multipart?: boolean;
  /** It honours an `Idempotency-Key` header; `replayHeader`: a replay answers with
   *  `Idempotent-Replayed: true`. */
  idempotency?: { replayHeader: boolean };
  /** The largest JSON body, bytes, where it differs from the server's (a letterhead's logo). */
  bodyLimit?: number;
  /** Something two people may edit at once: the answer carries an ETag (the handler calls
   *  `setVersion`), and a write honours If-Match (`ifMatch`; 412 when the resource moved on). */
  etag?: true;
  /** Error statuses beyond those its shape implies (`errorStatuses`): a sign-in's 401 and 429, a
   *  model call's 502, a stream's 503, a lookup the handler makes beyond the path's ids (404), a
   *  state check on a read (409). The server reports any other status a route answers. */
  errors?: readonly ExtraStatus[];
  response: R;
  handler(ctx: RouteContext<P, Q, B, A>): Promise<HandlerResult<R>>;
}

export type ExtraStatus = "400" | "401" | "403" | "404" | "409" | "429" | "502" | "503";

/** A route of the table, with its types erased (what registration and docs need). */
export interface Route {
  method: HttpMethod;
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tags: readonly string[];
  auth: Auth;
  action?: Action;
  params?: Schema;
  query?: Schema;
  body?: Schema;
  multipart?: boolean;
  idempotency?: { replayHeader: boolean };
  bodyLimit?: number;
  etag?: true;
  errors?: readonly ExtraStatus[];
  response: ResponseSpec;
  handler(ctx: RouteContext<unknown, unknown, unknown, Auth>): Promise<unknown>;
}

/**
 * The error statuses a route can answer: those its shape implies, and those it declares. Every
 * query string is checked (400); a signed-in person may name a workspace they are not in with
 * X-Atelya-Workspace (404); a body is either JSON or multipart, and the other is 415. Any
 * request may find the database too busy to take it (503: who sent it is looked up there first).
 */
export function errorStatuses(r: Route): string[] {
  const codes = new Set<string>(r.errors ?? []);
  codes.add("400").add("503");
  if (r.auth !== "public") codes.add("401").add("403");
  if (r.params || r.auth === "workspace") codes.add("404");
  if (r.params) codes.add("414");
  if (r.method !== "GET") codes.add("409").add("422");
  if (r.etag && r.method !== "GET") codes.add("412");
  if (r.body) codes.add("413").add("415");
  return [...codes].sort();
}

/** Every status a route can answer: its success, then its errors. */
export function documentedStatuses(r: Route): number[] {
  const res = r.response;
  const ok = res.kind === "json" ? (res.status ?? 200) : res.kind === "empty" ? 204 : 200;
  return [ok, ...errorStatuses(r).map(Number)];
}

/** A status a route answered that its OpenAPI document does not list: a bug of ours. */
export interface UndocumentedStatus {
  operationId: string;
  method: string;
  url: string;
  status: number;
}

/** Declares a route; the types of params, query, body and result flow from the schemas. */
export function defineRoute<
  P extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  B extends Schema | undefined = undefined,
  R extends ResponseSpec = ResponseSpec,
  A extends Auth = Auth,
>(spec: RouteSpec<P, Q, B, R, A>): Route {
  return spec as unknown as Route;
}

/** Request bodies refuse fields they do not know: a misspelt field is an error, not ignored. */
function strictBody(schema: Schema | undefined): Schema | undefined {
  return schema instanceof z.ZodObject ? schema.strict() : schema;
}

function parse(schema: Schema | undefined, value: unknown, where: string): unknown {
  if (!schema) return {};
  const result = schema.safeParse(value ?? {});
  if (!result.success)
    throw new DomainError(
      "invalid_input",
      `The ${where} is invalid: ${describeIssues(result.error)}`,
      result.error.issues.map((i) => `${i.path.join(".") || where}: ${i.message}`),
    );
  return result.data;
}

const WORKSPACE_HEADER = "x-atelya-workspace";

function requireActor(route: Route, request: FastifyRequest): Actor | null {
  const principal = request.principal;
  if (route.auth === "public") return principal?.actor ?? null;
  if (!principal)
    throw new DomainError(
      "unauthorized",
      "Sign in, or send an API key as `Authorization: Bearer atk_…`.",
    );
  if (route.auth === "user") return principal.actor;
  if (principal.actor) return principal.actor;
  const asked = request.headers[WORKSPACE_HEADER];
  if (asked) throw new DomainError("not_found", `No workspace ${String(asked)} among yours.`);
  throw new DomainError(
    "forbidden",
    "You are not in a workspace yet: create one, or accept an invite from a colleague.",
  );
}

async function send(route: Route, reply: FastifyReply, result: unknown): Promise<unknown> {
  const r = route.response;
  switch (r.kind) {
    case "json": {
      const checked = r.schema.safeParse(result);
      if (!checked.success)
        throw new Error(
          `Response of ${route.operationId} does not match its schema: ${describeIssues(checked.error)}`,
        );
      return reply.code(r.status ?? 200).send(checked.data);
    }
    case "file": {
      const file = result as FileResult;
      const ascii = (file.asciiFilename ?? file.filename).replace(/[^\x20-\x7e]|["\\]/g, "_");
      return reply
        .code(200)
        .header("content-type", file.mimeType)
        .header(
          "content-disposition",
          `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
        )
        .send(file.bytes);
    }
    case "empty":
      return reply.code(204).send();
    case "stream":
      return reply;
  }
}

const openApiPath = (path: string) => path.replace(/:([A-Za-z_]+)/g, "{$1}");

/** Registers every route of the table on the Fastify instance. */
export function registerRoutes(
  app: FastifyInstance,
  deps: AppDeps,
  config: RouteConfig,
  routes: readonly Route[],
  onUndocumentedStatus: (s: UndocumentedStatus) => void,
): void {
  for (const route of routes) {
    const body = strictBody(route.body);
    const statuses = new Set(documentedStatuses(route));
    app.route({
      method: route.method,
      url: route.path,
      ...(route.bodyLimit ? { bodyLimit: route.bodyLimit } : {}),
      // A 500 is a bug reported by the error handler; any other status the document does not
      // list leaves generated clients without a type for it.
      onResponse: async (request, reply) => {
        const status = reply.statusCode;
        if (status !== 500 && !statuses.has(status))
          onUndocumentedStatus({
            operationId: route.operationId,
            method: request.method,
            url: request.url,
            status,
          });
      },
      handler: async (request, reply) => {
        const actor = requireActor(route, request);
        // The declared action is checked before the body is read, so a role that may not do
        // this learns nothing from validation errors; the use case checks it again (the CLI and
        // tests call use cases directly).
        if (route.action && actor) authorize(actor, route.action);
        // JSON to an upload route and a form to a JSON route are refused alike (415).
        if (route.body && !route.multipart && request.isMultipart())
          throw new ApiError(
            415,
            "unsupported_media_type",
            `${route.method} ${openApiPath(route.path)} takes a JSON body (application/json), not multipart/form-data.`,
          );
        if (route.multipart && !request.isMultipart())
          throw new ApiError(
            415,
            "unsupported_media_type",
            `${route.method} ${openApiPath(route.path)} takes multipart/form-data (files), not ${request.headers["content-type"]?.split(";")[0] ?? "an empty body"}.`,
          );
        checkRequestValues(request.params, "path");
        checkRequestValues(request.query, "query");
        checkRequestValues(request.body, "body");
        let version: string | undefined;
        const ctx: RouteContext<unknown, unknown, unknown, Auth> = {
          deps,
          config,
          principal: request.principal,
          actor,
          params: parse(route.params, request.params, "path"),
          query: parse(route.query, request.query, "query string"),
          body: route.multipart ? {} : parse(body, request.body, "request body"),
          ifMatch:
            route.etag && route.method !== "GET"
              ? parseIfMatch(request.headers["if-match"])
              : undefined,
          setVersion: (v) => void (version = v),
          request,
          reply,
        };
        const result = await route.handler(ctx);
        if (route.etag) {
          if (version === undefined)
            throw new Error(`${route.operationId} declares an ETag but its handler set no version`);
          reply.header("etag", entityTag(version));
        }
        return send(route, reply, result);
      },
    });
  }
}
