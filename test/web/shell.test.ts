// The web app's frame in a real browser: an installation without an owner sends people to set-up,
// a signed-out person to sign-in (and back to where they were going), and the signed-in shell
// has its navigation, theme switch and no serious accessibility violation in either theme.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
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
});
