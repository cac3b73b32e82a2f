// The security headers every response carries — pages, API answers, downloads, errors, 404s and
// event streams: no MIME sniffing, no Referer (an invite page's address holds its token), never
// framed, and a Content-Security-Policy: the web app's own (its files from this origin, the inline
// theme script by hash) for pages, and "nothing at all" for the API, so a download opened in the
// browser cannot run anything.
import { createHash } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";

/** The policy of API answers: they are data, never a document that loads anything. */
export const API_CSP =
  "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const INLINE_SCRIPT = /<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi;

/** The `'sha256-…'` source of each inline script of a page, as CSP hashes them (the exact text). */
export function inlineScriptHashes(html: string): string[] {
  return [...html.matchAll(INLINE_SCRIPT)].map(
    (m) => `'sha256-${createHash("sha256").update(m[1]!, "utf8").digest("base64")}'`,
  );
}

/**
 * The web app's policy for its index.html: scripts from this origin only (plus the page's inline
 * scripts by hash), styles and fonts from this origin (and inline styles), API calls and event
 * streams to this origin, images also as data: and blob: (a letterhead logo's preview, the icon),
 * and no plugins, <base> or framing.
 */
export function appCsp(indexHtml: string | null): string {
  const scripts = ["'self'", ...inlineScriptHashes(indexHtml ?? "")].join(" ");
  return [
    "default-src 'self'",
    `script-src ${scripts}`,
    // Inline styles stay allowed: the toast and dialog libraries add <style> elements at run time
    // (without a nonce option), and a style cannot run code the way a script can.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Sets the headers on a reply; `appPolicy` is the web app's CSP (for everything outside /api). */
export function setSecurityHeaders(
  request: FastifyRequest,
  reply: FastifyReply,
  appPolicy: string,
): void {
  const api = request.url === "/api" || request.url.startsWith("/api/");
  reply
    .header("x-content-type-options", "nosniff")
    .header("referrer-policy", "no-referrer")
    .header("x-frame-options", "DENY")
    .header("content-security-policy", api ? API_CSP : appPolicy);
}
