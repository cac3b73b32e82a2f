// What the request log records of a request: method, address, client — with the secrets some
// addresses carry cut out. An invite token is the whole credential of its link (`/invite/<token>`
// pages, `/api/v1/invites/<token>` preview and accept); query values named like secrets are cut
// too, in case a client puts one there. Headers are not logged at all (cookies, Authorization).
import type { FastifyRequest } from "fastify";

export const REDACTED = "[redacted]";

/** `inv_` + 23 base32 characters: an invite's id (DELETE /api/v1/invites/:id) is not a secret. */
const INVITE_ID = /^inv_[0-9a-z]{23}$/;
const TOKEN_PATHS = [/^(\/invite\/)([^/?#]+)/, /^(\/api\/v1\/invites\/)([^/?#]+)/];
const SECRET_PARAM = /token|key|secret|password|auth|code|sig/i;

/** The address with invite tokens and secret-looking query values replaced by [redacted]. */
export function redactUrl(url: string): string {
  const q = url.indexOf("?");
  let path = q < 0 ? url : url.slice(0, q);
  const query = q < 0 ? "" : url.slice(q + 1);
  for (const pattern of TOKEN_PATHS)
    path = path.replace(pattern, (all: string, prefix: string, segment: string) =>
      INVITE_ID.test(segment) ? all : `${prefix}${REDACTED}`,
    );
  if (q < 0) return path;
  const params = query
    .split("&")
    .map((pair) => {
      const eq = pair.indexOf("=");
      const name = eq < 0 ? pair : pair.slice(0, eq);
      return eq >= 0 && SECRET_PARAM.test(name) ? `${name}=${REDACTED}` : pair;
    })
    .join("&");
  return `${path}?${params}`;
}

/** pino's `req` serializer: Fastify's default fields, with the address redacted. */
export function serializeRequest(request: FastifyRequest): Record<string, unknown> {
  return {
    method: request.method,
    url: redactUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}
