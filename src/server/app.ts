// The HTTP server: one Fastify instance with request ids, structured logs, the one error shape,
// authentication, and the route table. `atelya serve` listens with it; tests inject into it or
// listen on port 0.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Fastify, { type FastifyInstance, type FastifyReply } from "fastify";
import type { AppDeps } from "../app/context.js";
import { removeAbandonedSpoolFiles } from "../platform/spool-file.js";
import type { ServerConfig } from "./config.js";
import { registerAuth } from "./auth.js";
import { errorBody, toHttpError } from "./errors.js";
import { registerMultipart } from "./multipart.js";
import { serializeRequest } from "./request-log.js";
import { registerRoutes, type Route, type UndocumentedStatus } from "./route.js";
import { API_CSP, setSecurityHeaders } from "./security-headers.js";
import { API_ROUTES } from "./routes/index.js";
import { registerStreams, type HubOptions } from "./sse.js";
import { registerWeb } from "./web.js";

export interface ServerOptions {
  deps: AppDeps;
  config: ServerConfig;
  /** The route table; the whole API by default. */
  routes?: readonly Route[];
  /** The live-event hub's timings (tests shorten them). */
  streams?: HubOptions;
  /** Where log lines go instead of stdout (tests read them). */
  logStream?: { write(line: string): void };
  /** Told of a status a route answered that the OpenAPI document does not list (default: an
   *  error log line; tests fail on it). */
  onUndocumentedStatus?: (s: UndocumentedStatus) => void;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

export async function buildServer(o: ServerOptions): Promise<FastifyInstance> {
  // The web app's policy, known once its index.html is read (API answers never need it).
  let appPolicy = API_CSP;
  const app = Fastify({
    logger: {
      level: o.config.logLevel,
      redact: ["req.headers.authorization", "req.headers.cookie", 'res.headers["set-cookie"]'],
      // An invite link's token is in its address: the log keeps the address without it.
      serializers: { req: serializeRequest },
      ...(o.logStream ? { stream: o.logStream } : {}),
    },
    bodyLimit: o.config.bodyLimit,
    trustProxy: o.config.trustProxy,
    requestIdHeader: false,
    // A caller's own request id is kept when it looks like one, so logs on both sides match.
    genReqId: (req) => {
      const given = req.headers["x-request-id"];
      return typeof given === "string" && REQUEST_ID.test(given)
        ? given
        : `req_${randomBytes(9).toString("base64url")}`;
    },
    routerOptions: { ignoreTrailingSlash: true },
    // A "__proto__" key parses as a plain field, which the route refuses by name (safe: JSON.parse
    // never sets a prototype), instead of Fastify's "not valid JSON" for valid JSON.
    onProtoPoisoning: "ignore",
    // Errors the router raises before any hook (a bad %-escape, an over-long id) get the one shape.
    frameworkErrors: (err, request, raw) => {
      const e = toHttpError(err);
      const reply: FastifyReply = raw;
      setSecurityHeaders(request, reply, appPolicy);
      return reply.code(e.status).header("x-request-id", request.id).send(errorBody(e, request.id));
    },
  });
  app.decorateRequest("principal", null);
  // The API speaks JSON (and multipart for uploads): a text/plain body is refused with 415
  // instead of reaching a schema as a string.
  app.removeContentTypeParser("text/plain");
  // An empty body labelled JSON is no body: many clients send `Content-Type: application/json` on
  // every POST, and a command that takes no body must not refuse it. A route that needs a body
  // then names the fields missing, as for a request with no body at all.
  const json = app.getDefaultJsonParser("ignore", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    if (body.length === 0) done(null, undefined);
    else json(request, body.toString(), done);
  });
  app.addHook("onRequest", async (request, reply) => {
    reply.header("x-request-id", request.id);
    setSecurityHeaders(request, reply, appPolicy);
  });
  app.setErrorHandler(async (err, request, reply) => {
    const e = toHttpError(err);
    if (e.internal) request.log.error({ err: e.internal }, "request failed");
    if (e.retryAfter !== undefined) reply.header("retry-after", String(e.retryAfter));
    return reply.code(e.status).send(errorBody(e, request.id));
  });
  const web = await registerWeb(app, o.config);
  appPolicy = web.csp;
  app.setNotFoundHandler(
    async (request, reply) =>
      web.page(request, reply) ??
      reply.code(404).send(
        errorBody(
          {
            status: 404,
            code: "not_found",
            message: `There is no ${request.method} ${request.url.split("?")[0]}; the API is described at /api/v1/openapi.json.`,
          },
          request.id,
        ),
      ),
  );
  await registerAuth(app, o.deps, o.config);
  registerStreams(app, o.deps, o.streams);
  await registerMultipart(app, o.config);
  registerRoutes(
    app,
    o.deps,
    { ...o.config, spoolDir: spoolFolder(app, o.config.spoolDir) },
    o.routes ?? API_ROUTES,
    o.onUndocumentedStatus ??
      ((s) => app.log.error(s, "answered a status its OpenAPI document does not list")),
  );
  await app.ready();
  return app;
}

/**
 * The folder exports are spooled to: the configured one, rid of what a killed process left there,
 * or a private one of this server's own (mkdtemp makes it 0700) that goes when the server closes.
 */
function spoolFolder(app: FastifyInstance, configured: string | undefined): string {
  if (configured === undefined) {
    const own = mkdtempSync(join(tmpdir(), "atelya-spool-"));
    app.addHook("onClose", async () => rmSync(own, { recursive: true, force: true }));
    return own;
  }
  const removed = removeAbandonedSpoolFiles(configured);
  if (removed > 0)
    app.log.info({ removed, folder: configured }, "removed export spool files of a killed process");
  return configured;
}
