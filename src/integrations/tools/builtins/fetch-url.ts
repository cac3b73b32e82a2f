// fetch_url: the text of a web page for an agent, from allow-listed hosts only, size- and
// time-limited, every redirect re-checked, internal addresses refused.
import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import { TextDecoder } from "node:util";
import { z } from "zod";
import {
  ToolError,
  ToolFailedError,
  ToolRefusedError,
  ToolTimeoutError,
  formatMs,
  messageOf,
} from "../errors.js";
import type { Tool, ToolResult } from "../types.js";
import { fetchGuard, type FetchGuard } from "./fetch-guard.js";
import { htmlToText } from "./html-text.js";

export interface FetchUrlOptions {
  /** Hosts that may be read: exact (`example.com`) or with subdomains (`*.example.com`).
   *  Empty: fetching is off. */
  allowHosts: readonly string[];
  /** Internal addresses that may be read anyway (IPs or CIDR ranges), e.g. an intranet wiki.
   *  Loopback and private ranges are refused otherwise. */
  allowPrivateAddresses?: readonly string[];
  /** Bytes of the body read; the rest is cut (default 1 MB). */
  maxBytes?: number;
  /** Time for the whole fetch, redirects included (default 10 s). */
  timeoutMs?: number;
  /** Default 3. */
  maxRedirects?: number;
}

const Args = z.object({
  url: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).describe("page to read"),
});
type Args = z.output<typeof Args>;

const TEXTUAL = /^(text\/|application\/(json|xml|xhtml\+xml|[\w.+-]+\+(json|xml))\b)/i;

export function fetchUrlTool(o: FetchUrlOptions): Tool<Args> {
  const maxBytes = o.maxBytes ?? 1_000_000;
  const timeoutMs = o.timeoutMs ?? 10_000;
  const maxRedirects = o.maxRedirects ?? 3;
  const guard = fetchGuard(o.allowHosts, o.allowPrivateAddresses ?? []);
  return {
    name: "fetch_url",
    description: `Read a web page from a host this workspace allows and return its text (first ${formatMs(timeoutMs)}, ${(maxBytes / 1e6).toLocaleString("en-US")} MB at most).`,
    inputSchema: Args,
    async run(a, ctx) {
      const deadline = AbortSignal.timeout(timeoutMs);
      const signal = AbortSignal.any([ctx.signal, deadline]);
      try {
        return await fetchText(new URL(a.url), { guard, signal, maxBytes, maxRedirects });
      } catch (e) {
        if (deadline.aborted && !ctx.signal.aborted)
          throw new ToolTimeoutError(
            "fetch_url",
            timeoutMs,
            `${new URL(a.url).host} did not answer within ${formatMs(timeoutMs)}`,
          );
        if (e instanceof ToolError || ctx.signal.aborted) throw e;
        throw new ToolFailedError(`Could not fetch ${a.url}: ${messageOf(e)}.`, true, { cause: e });
      }
    },
  };
}

interface FetchDeps {
  guard: FetchGuard;
  signal: AbortSignal;
  maxBytes: number;
  maxRedirects: number;
}

async function fetchText(start: URL, d: FetchDeps): Promise<ToolResult> {
  let url = start;
  let from: URL | undefined;
  for (let hop = 0; ; hop++) {
    d.guard.checkUrl(url, from);
    const res = await get(url, d);
    const location = res.headers.location;
    if (res.statusCode && res.statusCode >= 300 && res.statusCode < 400 && location) {
      res.resume();
      if (hop >= d.maxRedirects)
        throw new ToolFailedError(
          `${start} redirected more than ${d.maxRedirects} times; give the final address instead.`,
        );
      [from, url] = [url, new URL(location, url)];
      continue;
    }
    const status = res.statusCode ?? 0;
    if (status >= 400) {
      res.resume();
      throw new ToolFailedError(
        `${url} answered HTTP ${status} ${res.statusMessage ?? ""}`.trim() + ".",
        status >= 500 || status === 429,
      );
    }
    const type = res.headers["content-type"] ?? "text/plain";
    if (!TEXTUAL.test(type)) {
      res.destroy();
      throw new ToolRefusedError(
        `${url} is ${type.split(";")[0]}, not a text page; fetch_url reads HTML, text, JSON and XML only.`,
      );
    }
    const body = await readLimited(res, d.maxBytes, d.signal);
    const charset = /charset="?([\w-]+)/i.exec(type)?.[1] ?? "utf-8";
    const raw = decode(body.bytes, charset);
    const page = /html/i.test(type) ? htmlToText(raw) : { text: raw.trim() };
    const cut = body.truncated ? `\n\n[cut at ${d.maxBytes.toLocaleString("en-US")} bytes]` : "";
    return {
      output: `${page.title ? `${page.title}\n\n` : ""}${page.text}${cut}`,
      data: {
        url: url.toString(),
        status,
        contentType: type,
        bytes: body.bytes.length,
        truncated: body.truncated,
        title: page.title ?? null,
      },
    };
  }
}

function get(url: URL, d: FetchDeps): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = (url.protocol === "https:" ? https : http).get(url, {
      signal: d.signal,
      lookup: d.guard.lookup,
      headers: {
        "user-agent": "Atelya/0.1 (fetch_url tool)",
        accept: "text/html,text/plain;q=0.9,*/*;q=0.5",
      },
    });
    req.once("response", resolve);
    req.once("error", reject);
  });
}

/** Reads at most `maxBytes` of the body, then stops the download. */
async function readLimited(res: IncomingMessage, maxBytes: number, signal: AbortSignal) {
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  const stop = () =>
    res.destroy(signal.reason instanceof Error ? signal.reason : new Error("aborted"));
  signal.addEventListener("abort", stop, { once: true });
  try {
    for await (const chunk of res as AsyncIterable<Buffer>) {
      if (size + chunk.length > maxBytes) {
        chunks.push(chunk.subarray(0, maxBytes - size));
        size = maxBytes;
        truncated = true;
        break; // leaving the loop destroys the response: nothing more is downloaded
      }
      chunks.push(chunk);
      size += chunk.length;
    }
  } finally {
    signal.removeEventListener("abort", stop);
  }
  return { bytes: Buffer.concat(chunks), truncated };
}

function decode(bytes: Buffer, charset: string): string {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset);
  } catch {
    decoder = new TextDecoder("utf-8"); // an unknown charset label: UTF-8 is the web's default
  }
  // A cut can split a character; its replacement mark at the very end is dropped.
  return decoder.decode(bytes).replace(/\uFFFD$/, "");
}
