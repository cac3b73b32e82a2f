// Every response carries the baseline security headers — the app's pages and files, API answers,
// downloads, errors (ours and the router's), 404s and event streams — and the page's CSP allows
// its inline theme script by hash and nothing else inline.
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorkroom } from "../../src/app/workrooms.js";
import { startApi, type ApiWorld } from "../support/api.js";
import { proposalRoom } from "../support/fixtures.js";
import { openSse } from "../support/sse.js";

const THEME = "document.documentElement.classList.toggle('dark', true);";
const root = mkdtempSync(join(tmpdir(), "atelya-webroot-"));
mkdirSync(join(root, "assets"));
writeFileSync(
  join(root, "index.html"),
  `<!doctype html><head><script>${THEME}</script><script type="module" src="/assets/index-abc.js"></script></head><div id="root"></div>`,
);
writeFileSync(join(root, "assets", "index-abc.js"), "console.log('app')");

let world: ApiWorld;
beforeAll(async () => {
  world = await startApi("sqlite", { config: { webRoot: root } });
});
afterAll(async () => {
  await world?.close();
  rmSync(root, { recursive: true, force: true });
});

function expectBaseline(res: { headers: Headers }, what: string): string {
  expect(res.headers.get("x-content-type-options"), what).toBe("nosniff");
  expect(res.headers.get("referrer-policy"), what).toBe("no-referrer");
  expect(res.headers.get("x-frame-options"), what).toBe("DENY");
  const csp = res.headers.get("content-security-policy") ?? "";
  expect(csp, what).toContain("frame-ancestors 'none'");
  return csp;
}

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${world.url}${path}`, { headers });

describe("security headers", () => {
  it("are on the app's pages, with a CSP that admits no inline script but its own, by hash", async () => {
    for (const path of ["/", "/invite/tok_secret", "/workrooms/room_1"]) {
      const res = await get(path, { accept: "text/html" });
      expect(res.status, path).toBe(200);
      const csp = expectBaseline(res, path);
      const hash = createHash("sha256").update(THEME).digest("base64");
      expect(csp).toContain(`script-src 'self' 'sha256-${hash}'`);
      const scripts = /script-src ([^;]*)/.exec(csp)![1]!;
      expect(scripts).not.toContain("unsafe-inline");
      expect(csp).not.toContain("unsafe-eval");
    }
    expectBaseline(await get("/assets/index-abc.js"), "asset");
    expectBaseline(await get("/assets/index-gone.js"), "missing asset");
  });

  it("are on API answers, errors, 404s and downloads, with a CSP that allows nothing", async () => {
    const key = { authorization: `Bearer ${world.people.owner.key}` };
    const cases: [string, Promise<Response>, number][] = [
      ["json", get("/api/v1/members", key), 200],
      ["anonymous", get("/api/v1/members"), 401],
      ["bad key", get("/api/v1/members", { authorization: "Bearer atk_nope" }), 401],
      ["unknown route", get("/api/v1/nothing"), 404],
      ["router error", get("/api/v1/workrooms/%E0%A4%A"), 400],
      ["download", get("/api/v1/workspace/export", key), 200],
    ];
    for (const [what, pending, status] of cases) {
      const res = await pending;
      expect(res.status, what).toBe(status);
      expect(expectBaseline(res, what), what).toContain("default-src 'none'");
      await res.arrayBuffer();
    }
  });

  it("are on event streams", async () => {
    const { owner } = world.people;
    const deps = world.server.harness.runtime.deps;
    const room = await createWorkroom(deps, owner.actor, proposalRoom({ title: "Headers" }));
    const stream = await openSse(`${world.url}/api/v1/workrooms/${room.id}/stream`, {
      authorization: `Bearer ${owner.key}`,
    });
    expect(stream.status).toBe(200);
    expectBaseline(stream, "stream");
    stream.close();
  });
});
