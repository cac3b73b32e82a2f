// The dashboard in a real browser: workrooms grouped by client with their state, filtered by
// state through the address, and a room started over the API changing state without a reload.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  apiAs,
  screenshot,
  seedOwner,
  seriousA11yViolations,
  signIn,
  startWeb,
  type WebWorld,
} from "./support.js";

let web: WebWorld;
beforeAll(async () => {
  web = await startWeb({ latencyMs: 150 });
  await seedOwner(web.url);
});
afterAll(() => web?.close());

const brief = (text: string) => [{ kind: "brief", content: text }];

async function room(
  page: Parameters<typeof apiAs>[0],
  body: Record<string, unknown>,
): Promise<{ id: string }> {
  return apiAs<{ id: string }>(page, "POST", "/api/v1/workrooms", {
    deliverables: ["Weekly recap"],
    inputs: brief("Recap the week for the client: launch went well, two bugs left."),
    ...body,
  });
}

async function waitForState(page: Parameters<typeof apiAs>[0], id: string, state: string) {
  for (let i = 0; i < 200; i++) {
    const r = await apiAs<{ state: string }>(page, "GET", `/api/v1/workrooms/${id}`);
    if (r.state === state) return;
    await new Promise((ok) => setTimeout(ok, 100));
  }
  throw new Error(`room ${id} never reached ${state}`);
}

describe("the dashboard", () => {
  it("groups rooms by client with state badges, filters by state, and updates live", async () => {
    const page = await web.newPage();
    await signIn(page);
    const done = await room(page, { title: "Aurora Q4 recap", client: "Aurora Coffee" });
    await apiAs(page, "POST", `/api/v1/workrooms/${done.id}/start`);
    await room(page, {
      title: "Aurora pitch outline",
      client: "Aurora Coffee",
      deadline: "2020-01-10",
      max_credits: 500,
    });
    const cancelled = await room(page, { title: "Birch rebrand scope", client: "Birch & Co" });
    await apiAs(page, "POST", `/api/v1/workrooms/${cancelled.id}/cancel`);
    const later = await room(page, { title: "Internal process notes" });
    await waitForState(page, done.id, "completed");

    await page.goto("/");
    const aurora = page.getByRole("region", { name: "Aurora Coffee" });
    await aurora
      .getByRole("listitem", { name: "Aurora Q4 recap" })
      .getByText("Completed")
      .waitFor();
    const pitch = aurora.getByRole("listitem", { name: "Aurora pitch outline" });
    await expect(pitch.getByText("Draft").isVisible()).resolves.toBe(true);
    await expect(pitch.getByText(/days? late/).isVisible()).resolves.toBe(true);
    await expect(pitch.getByText("0 / 500 credits").isVisible()).resolves.toBe(true);
    const birch = page.getByRole("region", { name: "Birch & Co" });
    await expect(
      birch
        .getByRole("listitem", { name: "Birch rebrand scope" })
        .getByText("Cancelled")
        .isVisible(),
    ).resolves.toBe(true);
    const noClient = page.getByRole("region", { name: "No client" });
    await expect(
      noClient.getByRole("link", { name: "Internal process notes" }).isVisible(),
    ).resolves.toBe(true);
    // The balance shows what the finished room spent.
    await expect(page.getByRole("region", { name: "Credit balance" }).isVisible()).resolves.toBe(
      true,
    );
    expect(await seriousA11yViolations(page)).toEqual([]);

    // Filter by state: the address keeps it.
    await page
      .getByRole("group", { name: "Filter by state" })
      .getByRole("button", { name: "Completed" })
      .click();
    await page.waitForURL(/\?state=completed$/);
    await page.getByRole("region", { name: "No client" }).waitFor({ state: "detached" });
    // The filtered list has rendered once the completed room is there.
    await page.getByRole("link", { name: "Aurora Q4 recap" }).waitFor();
    await expect(page.getByRole("link", { name: "Aurora pitch outline" }).count()).resolves.toBe(0);
    await page.reload();
    await page.getByRole("link", { name: "Aurora Q4 recap" }).waitFor();
    await expect(
      page.getByRole("button", { name: "Completed", pressed: true }).isVisible(),
    ).resolves.toBe(true);
    await page.getByRole("button", { name: "Failed" }).click();
    await page.getByText("No failed workrooms").waitFor();
    await page.getByRole("button", { name: "Show all workrooms" }).click();
    await page.waitForURL((u) => u.search === "");

    // Live: a room started over the API leaves Draft on the open dashboard, no reload.
    const row = page
      .getByRole("region", { name: "No client" })
      .getByRole("listitem", { name: "Internal process notes" });
    await row.getByText("Draft").waitFor();
    await apiAs(page, "POST", `/api/v1/workrooms/${later.id}/start`);
    await row.getByText("Draft").waitFor({ state: "detached" });
    await row.getByText("Completed").waitFor({ timeout: 30_000 });

    await screenshot(page, "dashboard");
    const phone = await web.newPage({ viewport: { width: 390, height: 844 } });
    await signIn(phone);
    await phone.goto("/");
    await phone.getByRole("link", { name: "Aurora Q4 recap" }).waitFor();
    await screenshot(phone, "dashboard-phone");
  });
});
