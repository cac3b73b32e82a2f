// Resolves who is calling, once per request, into `request.principal`: the session cookie
// `atelya_session` (with the optional X-Atelya-Workspace header) or `Authorization: Bearer atk_…`.
// Cookie-authenticated writes must carry the session's CSRF token in X-CSRF-Token; bearer
// requests need none (a browser never attaches them by itself).
import cookie from "@fastify/cookie";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { authenticateSession } from "../app/accounts.js";
import { authenticateApiKey } from "../app/api-keys.js";
import type { AppDeps } from "../app/context.js";
import { sameSecret, tokenHash } from "../app/credentials.js";
import { DomainError } from "../domain/errors.js";
import { usesSecureCookies, type ServerConfig } from "./config.js";
import type { Principal } from "./principal.js";

export const SESSION_COOKIE = "atelya_session";
export const CSRF_HEADER = "x-csrf-token";
export const WORKSPACE_HEADER = "x-atelya-workspace";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const SIGN_IN = new Set(["POST /api/v1/session", "POST /api/v1/setup"]);

export function setSessionCookie(
  reply: FastifyReply,
  config: ServerConfig,
  token: string,
  expiresAt: number,
): void {
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "lax",
    secure: usesSecureCookies(config),
    path: "/",
    expires: new Date(expiresAt),
  });
}

export function clearSessionCookie(reply: FastifyReply, config: ServerConfig): void {
  reply.clearCookie(SESSION_COOKIE, {
    httpOnly: true,
    sameSite: "lax",
    secure: usesSecureCookies(config),
    path: "/",
  });
}

/** The one workspace an API key may see; undefined for people signed in (they see all theirs). */
export const keyWorkspace = (principal: Principal): string | undefined =>
  principal.kind === "api_key" ? principal.actor.workspaceId : undefined;

const header = (request: FastifyRequest, name: string): string | undefined => {
  const v = request.headers[name];
  return typeof v === "string" && v.length > 0 ? v : undefined;
};

async function fromBearer(deps: AppDeps, authorization: string): Promise<Principal> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization);
  if (!match)
    throw new DomainError(
      "unauthorized",
      "The Authorization header is not `Bearer <key>`. Send a workspace API key as `Authorization: Bearer atk_…`.",
    );
  const auth = await authenticateApiKey(deps, match[1]!);
  if (!auth)
    throw new DomainError(
      "unauthorized",
      "This API key is not valid: it was revoked, rotated, or mistyped. Create a new one under Settings → API keys.",
    );
  const { id, email, name } = auth.user;
  return {
    kind: "api_key",
    keyId: auth.keyId,
    keyHash: tokenHash(match[1]!),
    user: { id, email, name },
    actor: auth.actor,
  };
}

async function fromCookie(
  deps: AppDeps,
  config: ServerConfig,
  request: FastifyRequest,
  reply: FastifyReply,
  token: string,
): Promise<Principal | null> {
  const auth = await authenticateSession(deps, token, header(request, WORKSPACE_HEADER));
  if (!auth) {
    // Expired or signed out elsewhere: drop the stale cookie; the request goes on anonymous.
    clearSessionCookie(reply, config);
    return null;
  }
  if (!SAFE_METHODS.has(request.method)) {
    const sent = header(request, CSRF_HEADER);
    const ok = sent !== undefined && sameSecret(sent, auth.csrfToken);
    // Signing in (or first-run setup) does not act as the old session, so a page that lost its
    // CSRF token can still sign in: the request simply goes on anonymous.
    if (!ok && SIGN_IN.has(`${request.method} ${request.routeOptions.url}`)) return null;
    if (!ok)
      throw new DomainError(
        "forbidden",
        "CSRF token missing or wrong: send the csrf_token of GET /api/v1/session as the X-CSRF-Token header.",
      );
  }
  if (auth.renewed) setSessionCookie(reply, config, token, auth.expiresAt);
  const { id, email, name } = auth.user;
  return {
    kind: "session",
    sessionId: auth.sessionId,
    user: { id, email, name },
    csrfToken: auth.csrfToken,
    expiresAt: auth.expiresAt,
    actor: auth.actor,
  };
}

/**
 * Registers cookie parsing and the hook that sets `request.principal` (null when anonymous).
 * Call it on the root instance before registering routes.
 */
export async function registerAuth(
  app: FastifyInstance,
  deps: AppDeps,
  config: ServerConfig,
): Promise<void> {
  if (!app.hasDecorator("parseCookie")) await app.register(cookie);
  if (!app.hasRequestDecorator("principal")) app.decorateRequest("principal", null);
  app.addHook("onRequest", async (request, reply) => {
    request.principal = null;
    const authorization = header(request, "authorization");
    if (authorization) {
      request.principal = await fromBearer(deps, authorization);
      return;
    }
    const token = request.cookies[SESSION_COOKIE];
    if (token) request.principal = await fromCookie(deps, config, request, reply, token);
  });
}
