// Browser tests: a real `atelya serve` (SQLite, scripted model with latency) on a data folder of
// the test's own, Debian's Chromium driven by playwright-core, an axe-core check, and screenshots
// under test-artifacts/screenshots/ for people to look at.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { startServe, type ServeProcess } from "../support/serve-process.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** The built web app the server serves; `npm run build:web` writes it. */
export const WEB_ROOT = resolve(process.env.ATELYA_TEST_WEB_ROOT ?? join(ROOT, "dist", "web"));
export const SCREENSHOTS = join(ROOT, "test-artifacts", "screenshots");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export const OWNER = {
  email: "olive@northwind.test",
  name: "Olive Owner",
  password: "correct horse battery staple",
  workspace_name: "Northwind Studio",
};

export interface WebWorld {
  server: ServeProcess;
  url: string;
  /** The server's data folder (its SQLite database is `atelya.db` there). */
  dataDir: string;
  browser: Browser;
  /** A fresh browser context (own cookies) with one page at the app's origin; `phone` emulates a
   *  touch phone (isMobile: the page lays out at the device width and can be zoomed out, so a
   *  page too wide for it widens its layout viewport, as on a real phone). */
  newPage(o?: { viewport?: { width: number; height: number }; phone?: boolean }): Promise<Page>;
  close(): Promise<void>;
}

export async function startWeb(
  o: {
    latencyMs?: number;
    /** Extra environment for `atelya serve`, e.g. ATELYA_WEBHOOK_ALLOW_ADDRESSES. */
    env?: Record<string, string>;
  } = {},
): Promise<WebWorld> {
  if (!existsSync(join(WEB_ROOT, "index.html")))
    throw new Error(`No built web app in ${WEB_ROOT}: run npm run build:web first.`);
  const dataDir = mkdtempSync(join(tmpdir(), "atelya-web-"));
  const server = await startServe({
    dataDir,
    latencyMs: o.latencyMs ?? 40,
    env: { ...o.env, ATELYA_WEB_ROOT: WEB_ROOT },
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const contexts: BrowserContext[] = [];
  // What the browser refused under the server's Content-Security-Policy: the app must need none.
  const cspViolations: string[] = [];
  return {
    server,
    url: server.url,
    dataDir,
    browser,
    async newPage(p = {}) {
      const context = await browser.newContext({
        baseURL: server.url,
        viewport: p.viewport ?? { width: 1280, height: 860 },
        acceptDownloads: true,
        ...(p.phone ? { isMobile: true, hasTouch: true } : {}),
      });
      context.setDefaultTimeout(15_000);
      contexts.push(context);
      const page = await context.newPage();
      // A page error is a bug of ours: fail loudly rather than click on into a broken screen.
      page.on("pageerror", (e) => {
        console.error(`page error on ${page.url()}: ${e.stack ?? e.message}`);
      });
      page.on("console", (m) => {
        if (/Content Security Policy/i.test(m.text())) {
          cspViolations.push(`${page.url()}: ${m.text()}`);
          console.error(`CSP violation on ${page.url()}: ${m.text()}`);
        }
      });
      return page;
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => {});
      await browser.close();
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
      if (cspViolations.length > 0)
        throw new Error(`The browser refused under the CSP:\n${cspViolations.join("\n")}`);
      if (server.undocumented.length > 0)
        throw new Error(
          `The server answered statuses its OpenAPI document does not list:\n${server.undocumented.join("\n")}`,
        );
    },
  };
}

/** Creates the first owner over the API (for tests whose subject is not the set-up screen). */
export async function seedOwner(url: string, owner = OWNER): Promise<void> {
  const res = await fetch(`${url}/api/v1/setup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(owner),
  });
  if (res.status !== 201) throw new Error(`setup answered ${res.status}: ${await res.text()}`);
}

/** Signs the page's browser context in over the API: the session cookie lands in the context. */
export async function signIn(page: Page, who: { email: string; password: string } = OWNER) {
  const res = await page.request.post("/api/v1/session", {
    data: { email: who.email, password: who.password },
  });
  if (!res.ok()) throw new Error(`sign-in answered ${res.status()}: ${await res.text()}`);
  return (await res.json()) as { csrf_token: string };
}

/**
 * Calls the API as the page's signed-in person (cookie + CSRF token), for arranging what a test
 * needs that is not its subject.
 */
export async function apiAs<T = unknown>(
  page: Page,
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE",
  path: string,
  body?: unknown,
): Promise<T> {
  const session = await page.request.get("/api/v1/session");
  const { csrf_token } = (await session.json()) as { csrf_token: string | null };
  const res = await page.request.fetch(path, {
    method,
    headers: csrf_token ? { "x-csrf-token": csrf_token } : {},
    ...(body !== undefined ? { data: body } : {}),
  });
  if (!res.ok()) throw new Error(`${method} ${path} answered ${res.status()}: ${await res.text()}`);
  return (res.status() === 204 ? undefined : await res.json()) as T;
}

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; html: string }[];
}

/** axe-core on the page as it is now: the serious and critical violations, for `toEqual([])`. */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  // Colours mid-transition (a theme switch, a hover) are neither theme's: check the settled page.
  // Only finite ones (a pulsing badge never ends); a cancelled one (a toast removed) counts as done.
  await page.evaluate(`Promise.race([
    Promise.all(document.getAnimations()
      .filter((a) => a.effect?.getComputedTiming().endTime !== Infinity)
      .map((a) => a.finished.catch(() => undefined))),
    new Promise((resolve) => setTimeout(resolve, 2000)),
  ])`);
  // Evaluated, not added as an inline <script>: the app's CSP refuses those, as it should.
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: { run: (o: unknown) => Promise<{ violations: AxeViolation[] }> };
      }
    ).axe;
    const result = await axe.run({ resultTypes: ["violations"] });
    return result.violations;
  });
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help} — ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(" "))
          .join(", ")}`,
    );
}

/** Saves a full-page screenshot as test-artifacts/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * What has keyboard focus, as tag and name: "H1 Outage", "BUTTON Pause", "BODY " when focus fell
 * off the page. For `expect.poll`, since focus moves once the page has redrawn.
 */
export async function focused(page: Page): Promise<string> {
  return page.evaluate<string>(`(() => {
    const e = document.activeElement;
    if (!e) return "none";
    const name = e === document.body ? "" : e.getAttribute("aria-label") ?? e.textContent ?? "";
    return e.tagName + " " + name.replace(/\\s+/g, " ").trim().slice(0, 80);
  })()`);
}

/** Whether keyboard focus is inside the page's main region (not on the shell or <body>). */
export async function focusInMain(page: Page): Promise<boolean> {
  return page.evaluate<boolean>(
    `document.getElementById("main").contains(document.activeElement) && document.activeElement.id !== "main"`,
  );
}

/** How many pixels the page is wider than its viewport (0: no sideways scrolling). */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate<number>(
    "document.documentElement.scrollWidth - document.documentElement.clientWidth",
  );
}

export const MEMBER_PASSWORD = "a long enough password";

/** A second person joins the owner's workspace through an invite (over the API). */
export async function addPerson(
  web: WebWorld,
  owner: Page,
  who: { email: string; name: string; role: "admin" | "member" | "viewer" },
): Promise<{ email: string; password: string }> {
  const { token } = await apiAs<{ token: string }>(owner, "POST", "/api/v1/invites", {
    email: who.email,
    role: who.role,
  });
  const res = await fetch(`${web.url}/api/v1/invites/${token}/accept`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: who.name, password: MEMBER_PASSWORD }),
  });
  if (res.status !== 200)
    throw new Error(`invite accept answered ${res.status}: ${await res.text()}`);
  return { email: who.email, password: MEMBER_PASSWORD };
}

/** A page of that person's own browser context, signed in. */
export async function pageAs(
  web: WebWorld,
  who: { email: string; password: string },
): Promise<Page> {
  const page = await web.newPage();
  await signIn(page, who);
  return page;
}
