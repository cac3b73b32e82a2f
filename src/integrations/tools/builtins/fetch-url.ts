// fetch_url: reads a web page for an agent, within an allow-list of hosts, a size limit and a time
// limit; redirects are re-checked and private addresses refused unless explicitly allowed.
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { z } from "zod";
import { parametersOf } from "../registry.js";
import { ToolError, type Tool } from "../types.js";

export interface FetchOptions {
  /** Hosts that may be fetched (exact, or `*.example.com`). Empty: nothing may be fetched. */
  allowHosts: readonly string[];
  maxBytes?: number;
  timeoutMs?: number;
  maxRedirects?: number;
  /** Allow loopback and private addresses (tests, intranets). */
  allowPrivate?: boolean;
}

const Args = z.object({ url: z.string().url() });

const PRIVATE_V4 = [
  /^10\./,
  /^127\./,
  /^169\.254\./,
  /^192\.168\./,
  /^172\.(1[6-9]|2\d|3[01])\./,
  /^0\./,
];
const isPrivate = (ip: string) =>
  isIP(ip) === 6
    ? ip === "::1" || /^f[cd]/i.test(ip) || /^fe80/i.test(ip)
    : PRIVATE_V4.some((r) => r.test(ip));

const hostAllowed = (host: string, allow: readonly string[]) =>
  allow.some((a) =>
    a.startsWith("*.") ? host === a.slice(2) || host.endsWith(a.slice(1)) : host === a,
  );

/** Visible text of an HTML page: scripts, styles and tags removed, common entities decoded. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style|noscript|svg)[\s\S]*?<\/\1>/gi, " ")
    .replace(/<\/(p|div|h[1-6]|li|tr|br|section|article)>|<br\s*\/?>/gi, "\n")
    .replace(/<[^>]+>/g, " ")
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/[ \t]+/g, " ")
    .replace(/ *\n */g, "\n")
    .replace(/\n\s*\n+/g, "\n\n")
    .trim();
}

export function fetchUrlTool(o: FetchOptions): Tool {
  const maxBytes = o.maxBytes ?? 1_000_000;
  const timeoutMs = o.timeoutMs ?? 10_000;
  const maxRedirects = o.maxRedirects ?? 3;

  async function check(url: URL): Promise<void> {
    if (url.protocol !== "https:" && url.protocol !== "http:")
      throw new ToolError(
        "invalid_args",
        `Only http and https URLs can be fetched, not ${url.protocol}`,
      );
    if (!hostAllowed(url.hostname, o.allowHosts))
      throw new ToolError(
        "not_granted",
        o.allowHosts.length
          ? `Host ${url.hostname} is not on the fetch allow-list (${o.allowHosts.join(", ")}).`
          : `Fetching is off: no host is allowed. Add ${url.hostname} to the workspace's fetch allow-list.`,
      );
    if (o.allowPrivate) return;
    const addresses = isIP(url.hostname)
      ? [url.hostname]
      : (await lookup(url.hostname, { all: true })).map((a) => a.address);
    if (addresses.some(isPrivate))
      throw new ToolError(
        "not_granted",
        `${url.hostname} resolves to a private address; it cannot be fetched.`,
      );
  }

  return {
    name: "fetch_url",
    description:
      "Fetch a web page from an allowed host and return its text (size- and time-limited).",
    args: Args as unknown as Tool["args"],
    parameters: parametersOf(Args),
    async run(raw, ctx) {
      let url = new URL(Args.parse(raw).url);
      const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(timeoutMs)]);
      for (let hop = 0; ; hop++) {
        await check(url);
        let res: Response;
        try {
          res = await fetch(url, {
            redirect: "manual",
            signal,
            headers: { "user-agent": "Atelya/0.1 (+fetch_url tool)" },
          });
        } catch (e) {
          if (signal.aborted && !ctx.signal.aborted)
            throw new ToolError(
              "timeout",
              `${url.host} did not answer within ${timeoutMs / 1000} s.`,
            );
          throw new ToolError(
            "failed",
            `Could not fetch ${url}: ${e instanceof Error ? e.message : String(e)}`,
          );
        }
        if (res.status >= 300 && res.status < 400 && res.headers.get("location")) {
          if (hop >= maxRedirects) throw new ToolError("failed", `Too many redirects from ${url}.`);
          url = new URL(res.headers.get("location")!, url);
          continue;
        }
        if (!res.ok) throw new ToolError("failed", `${url} answered HTTP ${res.status}.`);
        const { text, truncated } = await readLimited(res, maxBytes);
        const type = res.headers.get("content-type") ?? "";
        const body = type.includes("html") ? htmlToText(text) : text;
        return {
          output: `${body}${truncated ? `\n\n[cut at ${maxBytes.toLocaleString("en-US")} bytes]` : ""}`,
          data: { url: url.toString(), status: res.status, truncated },
        };
      }
    },
  };
}

async function readLimited(
  res: Response,
  maxBytes: number,
): Promise<{ text: string; truncated: boolean }> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  const reader = res.body?.getReader();
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    if (size + value.length > maxBytes) {
      chunks.push(value.subarray(0, maxBytes - size));
      truncated = true;
      await reader.cancel();
      break;
    }
    chunks.push(value);
    size += value.length;
  }
  return { text: new TextDecoder().decode(Buffer.concat(chunks)), truncated };
}
