// The web app's frame in a real browser: an installation without an owner sends people to set-up,
// a signed-out person to sign-in (and back to where they were going), and the signed-in shell
// has its navigation, theme switch and no serious accessibility violation in either theme. Every
// page names itself in the browser tab, the first thing a screen reader says of it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { proposalRoom } from "../support/fixtures.js";
import {
  apiAs,
  OWNER,
  seedOwner,
  seriousA11yViolations,
  signIn,
  startWeb,
  type WebWorld,
} from "./support.js";

let web: WebWorld;
beforeAll(async () => {
  web = await startWeb();
});
afterAll(() => web?.close());

describe("the web app's frame", () => {
  it("serves the app on every page address and the API's JSON errors under /api", async () => {
    const page = await fetch(`${web.url}/workrooms/room_nope`, {
      headers: { accept: "text/html" },
    });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(await page.text()).toContain('<div id="root">');
    const api = await fetch(`${web.url}/api/v1/nothing-here`, { headers: { accept: "text/html" } });
    expect(api.status).toBe(404);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe("not_found");
  });

  it("sends a new installation to set-up, and a signed-out person to sign-in and back", async () => {
    const page = await web.newPage();
    await page.goto("/agents");
    await page.waitForURL(/\/setup$/);
    await seedOwner(web.url);
    await page.goto("/agents");
    await page.waitForURL(/\/sign-in\?next=%2Fagents$/);
    await signIn(page, OWNER);
    await page.goto("/");
    // Waits for the frame to render (isVisible() alone reads the page at once, before it has).
    await page.getByRole("navigation", { name: "Main" }).waitFor({ state: "visible" });
    for (const theme of ["Dark theme", "Light theme"]) {
      expect(await seriousA11yViolations(page)).toEqual([]);
      await page.getByRole("button", { name: theme }).click();
    }
  });

  it("titles every page in the browser tab: the page, where it sits, then Atelya", async () => {
    const page = await web.newPage();
    await signIn(page, OWNER);
    const { id } = await apiAs<{ id: string }>(
      page,
      "POST",
      "/api/v1/workrooms",
      proposalRoom({ title: "Outage" }),
    );
    const titled = async (path: string, heading: string, title: string) => {
      await page.goto(path);
      await page.getByRole("heading", { level: 1, name: heading }).waitFor();
      await expect.poll(() => page.title(), { message: path }).toBe(title);
    };
    await titled("/", "Workrooms", "Workrooms · Atelya");
    await titled(`/workrooms/${id}`, "Outage", "Outage · Workrooms · Atelya");
    await titled(
      "/workrooms/wr_nope",
      "Workroom not found",
      "Workroom not found · Workrooms · Atelya",
    );
    await titled("/workrooms/new", "New workroom", "New workroom · Workrooms · Atelya");
    await titled("/agents", "Agents", "Agents · Atelya");
    await titled("/agents/new", "New agent", "New agent · Agents · Atelya");
    await titled("/credits", "Credits", "Credits · Atelya");
    await titled("/insights", "Insights", "Insights · Atelya");
    await titled("/settings/plan", "Settings", "Plan · Settings · Atelya");
    await titled("/no-such-page", "Page not found", "Page not found · Atelya");
    // Moving on inside the app retitles the tab too.
    await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Credits" })
      .click();
    await expect.poll(() => page.title()).toBe("Credits · Atelya");
  });
});
