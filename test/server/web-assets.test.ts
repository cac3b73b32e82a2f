// The web app on the API's origin: page addresses get index.html (never cached), hashed assets are
// cached for a year, an unknown asset or API path is a 404 (JSON under /api), and a server whose
// web app was never built says how to build it instead of a blank page.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/server.js";

const root = mkdtempSync(join(tmpdir(), "atelya-webroot-"));
mkdirSync(join(root, "assets"));
writeFileSync(join(root, "index.html"), '<!doctype html><div id="root"></div>');
writeFileSync(join(root, "assets", "index-abc123.js"), "console.log('app')");

let built: TestServer;
let unbuilt: TestServer;
beforeAll(async () => {
  built = await startTestServer("sqlite", { config: { webRoot: root } });
  unbuilt = await startTestServer("sqlite", { config: { webRoot: join(root, "missing") } });
});
afterAll(async () => {
  await built?.close();
  await unbuilt?.close();
  rmSync(root, { recursive: true, force: true });
});

const page = (url: string) => fetch(url, { headers: { accept: "text/html,*/*" } });

describe("the web app's files", () => {
  it("answers the root and every page address with index.html, not cached", async () => {
    for (const path of ["/", "/workrooms/room_123", "/settings/team?x=1", "/invite/tok_abc"]) {
      const res = await page(`${built.url}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type")).toContain("text/html");
      expect(res.headers.get("cache-control")).toBe("no-cache");
      expect(await res.text()).toContain('<div id="root">');
    }
  });

  it("caches hashed assets for a year and 404s an asset that is not there", async () => {
    const js = await fetch(`${built.url}/assets/index-abc123.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(await js.text()).toContain("app");
    expect((await page(`${built.url}/assets/index-old.js`)).status).toBe(404);
  });

  it("keeps the API's JSON 404 for unknown API paths, and for non-page requests", async () => {
    const api = await page(`${built.url}/api/v1/nothing`);
    expect(api.status).toBe(404);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe("not_found");
    const post = await fetch(`${built.url}/workrooms`, {
      method: "POST",
      headers: { accept: "text/html" },
    });
    expect(post.status).toBe(404);
  });

  it("says how to build the web app when it is missing", async () => {
    const res = await page(`${unbuilt.url}/dashboard`);
    expect(res.status).toBe(503);
    expect(await res.text()).toContain("npm run build");
    expect((await fetch(`${unbuilt.url}/api/v1/health`)).status).toBe(200);
  });
});
