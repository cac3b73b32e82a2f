// Who is calling: resolved once per request by the auth plugin (session cookie or API key) and
// read by the route helper. Routes never look at cookies or headers themselves.
import "fastify";
import type { Actor } from "../app/context.js";

export interface SignedInUser {
  id: string;
  email: string;
  name: string;
}

export type Principal =
  /** A person signed in through the web app. `actor` is null until they belong to a workspace. */
  | {
      kind: "session";
      sessionId: string;
      user: SignedInUser;
      csrfToken: string;
      /** When the session ends unless it is used again (epoch ms; each use renews it). */
      expiresAt: number;
      actor: Actor | null;
    }
  /** A workspace API key: it acts with the current role of the member who issued it. */
  | {
      kind: "api_key";
      keyId: string;
      /** The SHA-256 of the secret sent (a rotated key's old secret no longer matches it). */
      keyHash: string;
      user: SignedInUser;
      actor: Actor;
    };

declare module "fastify" {
  interface FastifyRequest {
    /** Set by the auth plugin before any route handler; null for anonymous requests. */
    principal: Principal | null;
  }
}
