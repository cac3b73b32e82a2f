import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtinTools } from "./builtins/index.js";
import { htmlToText } from "./builtins/html-text.js";
import type { FetchUrlOptions } from "./builtins/fetch-url.js";
import { createToolRegistry } from "./registry.js";

/** A local web server; `hits` records every path it was asked for. */
async function listen(handler: Parameters<typeof createServer>[1]) {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? "");
    handler!(req, res);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, hits, port: (server.address() as AddressInfo).port };
}

describe("fetch_url", () => {
  let site: Awaited<ReturnType<typeof listen>>;
  let other: Awaited<ReturnType<typeof listen>>;
  let base: string;

  beforeAll(async () => {
    other = await listen((_req, res) => res.end("internal secrets"));
    site = await listen((req, res) => {
      if (req.url === "/pricing")
        return res
          .writeHead(200, { "content-type": "text/html; charset=utf-8" })
          .end(
            "<html><head><title>Rates &amp; terms</title><style>h1{}</style></head><body>" +
              "<script>track()</script><h1>Day rates</h1><ul><li>Design: €950</li><li>Build: €1,100</li></ul>" +
              "<p>Valid until 31&nbsp;March&#160;2027.</p></body></html>",
          );
      if (req.url === "/big")
        return res.writeHead(200, { "content-type": "text/plain" }).end("x".repeat(5_000));
      if (req.url === "/hop") return res.writeHead(301, { location: "/pricing" }).end();
      if (req.url === "/away")
        return res.writeHead(302, { location: `http://localhost:${other.port}/` }).end();
      if (req.url === "/loop") return res.writeHead(302, { location: "/loop" }).end();
      if (req.url === "/slow") return void setTimeout(() => res.end("late"), 1_000).unref();
      if (req.url === "/logo.png")
        return res.writeHead(200, { "content-type": "image/png" }).end("PNG");
      res.writeHead(404, "Not Found").end();
    });
    base = `http://127.0.0.1:${site.port}`;
  });
  afterAll(async () => {
    site.server.closeAllConnections();
    await Promise.all([site, other].map((s) => new Promise((r) => s.server.close(r))));
  });

  const fetchUrl = (url: string, over: Partial<FetchUrlOptions> = {}) =>
    createToolRegistry({
      builtins: builtinTools({
        allowHosts: ["127.0.0.1"],
        allowPrivateAddresses: ["127.0.0.1"],
        maxBytes: 1_000,
        timeoutMs: 150,
        ...over,
      }),
    }).runGranted(
      ["fetch_url"],
      "fetch_url",
      { url },
      {
        signal: new AbortController().signal,
        inputs: [],
        now: () => new Date(),
      },
    );

  it("returns the readable text of an allowed page, following a redirect on an allowed host", async () => {
    const r = await fetchUrl(`${base}/hop`);
    expect(r.output).toBe(
      "Rates & terms\n\n# Day rates\n\n- Design: €950\n- Build: €1,100\n\nValid until 31 March 2027.",
    );
    expect(r.data).toMatchObject({ url: `${base}/pricing`, status: 200, truncated: false });
  });

  it("is off until hosts are allowed, and says how to allow one", async () => {
    await expect(fetchUrl(`${base}/pricing`, { allowHosts: [] })).rejects.toMatchObject({
      code: "refused",
      message: expect.stringContaining(
        "fetch_url is off: no host is allowed in this workspace. An owner or admin can allow hosts with `atelya fetch-allow 127.0.0.1`",
      ),
    });
    await expect(
      fetchUrl(`${base}/pricing`, { allowHosts: ["*.example.com"] }),
    ).rejects.toMatchObject({
      message: expect.stringContaining(
        "127.0.0.1 is not on this workspace's fetch allow-list (*.example.com)",
      ),
    });
  });

  it("refuses loopback and private addresses unless the address is allowed explicitly", async () => {
    const before = site.hits.length;
    await expect(fetchUrl(`${base}/pricing`, { allowPrivateAddresses: [] })).rejects.toMatchObject({
      code: "refused",
      message: expect.stringContaining("127.0.0.1 is an internal address"),
    });
    // A name that resolves to loopback is refused when the socket connects.
    await expect(
      fetchUrl(`http://localhost:${site.port}/pricing`, {
        allowHosts: ["localhost"],
        allowPrivateAddresses: [],
      }),
    ).rejects.toMatchObject({
      code: "refused",
      message: expect.stringMatching(/localhost is an internal address \((127\.0\.0\.1|::1)\)/),
    });
    expect(site.hits.length).toBe(before);
  });

  it("refuses a redirect to a host off the allow-list without contacting it", async () => {
    await expect(fetchUrl(`${base}/away`)).rejects.toMatchObject({
      code: "refused",
      message: expect.stringContaining(
        "localhost is not on this workspace's fetch allow-list (127.0.0.1) (redirected from 127.0.0.1",
      ),
    });
    expect(other.hits).toEqual([]);
    await expect(fetchUrl(`${base}/loop`)).rejects.toMatchObject({
      code: "failed",
      message: expect.stringContaining("redirected more than 3 times"),
    });
  });

  it("cuts a body at the size limit and says so", async () => {
    const r = await fetchUrl(`${base}/big`);
    expect(r.output).toBe(`${"x".repeat(1_000)}\n\n[cut at 1,000 bytes]`);
    expect(r.data).toMatchObject({ bytes: 1_000, truncated: true });
  });

  it("stops a server that does not answer in time", async () => {
    await expect(fetchUrl(`${base}/slow`)).rejects.toMatchObject({
      code: "timeout",
      message: expect.stringContaining(`127.0.0.1:${site.port} did not answer within 150 ms`),
    });
  });

  it("reports HTTP errors and refuses binary files", async () => {
    await expect(fetchUrl(`${base}/missing`)).rejects.toMatchObject({
      code: "failed",
      message: `${base}/missing answered HTTP 404 Not Found.`,
    });
    await expect(fetchUrl(`${base}/logo.png`)).rejects.toMatchObject({
      code: "refused",
      message: expect.stringContaining("is image/png, not a text page"),
    });
    await expect(fetchUrl("ftp://127.0.0.1/file")).rejects.toMatchObject({ code: "invalid_args" });
  });
});

describe("htmlToText", () => {
  it("keeps what a reader sees and drops code, comments and markup", () => {
    expect(
      htmlToText(
        "<div>Q&amp;A<!-- hidden --><noscript>enable js</noscript></div><table><tr><td>Phase</td><td>Weeks</td></tr></table><p>&lt;b&gt; is &#x201C;bold&#8221;</p>",
      ),
    ).toEqual({ text: "Q&A\n\nPhase Weeks\n\n<b> is “bold”" });
  });
});
