// The web app on the API's origin: the built assets of web/ (npm run build writes dist/web), with
// every other GET that asks for a page answered by index.html so the app's own router takes it.
// Hashed assets are cached for a year; index.html never, so a deploy reaches browsers at once.
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ServerConfig } from "./config.js";
import { appCsp } from "./security-headers.js";

/** dist/web of this package, from src/server (tests, tsx) or dist/server (built). */
export const DEFAULT_WEB_ROOT = resolve(
  fileURLToPath(new URL("../..", import.meta.url)),
  "dist",
  "web",
);

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Atelya</title></head>
<body>
<h1>The web app is not built</h1><p>Run <code>npm run build</code> and reload this page.
The API is running: its description is at <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</p>
</body></html>`;

export interface WebApp {
  /** Answers a request the route table does not know with the app's page, when it asks for one. */
  page(request: FastifyRequest, reply: FastifyReply): FastifyReply | null;
  /** The Content-Security-Policy its index.html satisfies (its inline scripts by hash). */
  csp: string;
}

export async function registerWeb(app: FastifyInstance, config: ServerConfig): Promise<WebApp> {
  const root = resolve(config.webRoot ?? DEFAULT_WEB_ROOT);
  const built = existsSync(join(root, "index.html"));
  // Read once: a rebuilt app needs a restart anyway for its new inline scripts' hashes.
  const csp = appCsp(built ? readFileSync(join(root, "index.html"), "utf8") : null);
  const assets = join(root, "assets");
  if (built)
    await app.register(fastifyStatic, {
      root,
      wildcard: false,
      index: false,
      setHeaders: (reply, path) =>
        reply.header(
          "cache-control",
          path.startsWith(assets) ? "public, max-age=31536000, immutable" : "no-cache",
        ),
    });
  const send = (reply: FastifyReply) => {
    reply.header("cache-control", "no-cache");
    if (!built) return reply.code(503).type("text/html; charset=utf-8").send(NOT_BUILT);
    return reply.type("text/html; charset=utf-8").sendFile("index.html");
  };
  app.get("/", async (_request, reply) => send(reply));
  return {
    csp,
    page(request, reply) {
      const url = request.url.split("?")[0]!;
      const wantsPage =
        request.method === "GET" &&
        !url.startsWith("/api/") &&
        !url.startsWith("/assets/") &&
        (request.headers.accept ?? "").includes("text/html");
      return wantsPage ? send(reply) : null;
    },
  };
}
