// Credits and insights in a real browser: after a room ran, the ledger shows what it spent and the
// chart its cost; an owner tops up from the page; insights shows the hours saved and downloads the
// breakdown as CSV.
import { readFileSync } from "node:fs";
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
  web = await startWeb();
  await seedOwner(web.url);
});
afterAll(() => web?.close());

async function runRoom(page: Parameters<typeof apiAs>[0], title: string, client?: string) {
  const { id } = await apiAs<{ id: string }>(page, "POST", "/api/v1/workrooms", {
    title,
    ...(client ? { client } : {}),
    deliverables: ["Proposal"],
    max_credits: 400,
    inputs: [{ kind: "brief", content: "A Q4 proposal for a coffee roaster: budget €12k." }],
  });
  await apiAs(page, "POST", `/api/v1/workrooms/${id}/start`);
  for (let i = 0; i < 300; i++) {
    const r = await apiAs<{ state: string }>(page, "GET", `/api/v1/workrooms/${id}`);
    if (r.state === "completed") return id;
    await new Promise((ok) => setTimeout(ok, 100));
  }
  throw new Error(`${title} did not complete`);
}

describe("credits and insights", () => {
  it("shows the ledger entry and cost of a room that ran, and adds a top-up", async () => {
    const page = await web.newPage();
    await signIn(page);
    await runRoom(page, "Aurora Q4 proposal", "Aurora Coffee");
    await runRoom(page, "Birch weekly recap", "Birch & Co");

    await page.goto("/credits");
    const ledger = page.getByRole("table", { name: "Credit ledger, newest first" });
    await ledger.getByRole("link", { name: "Aurora Q4 proposal" }).first().waitFor();
    await expect(ledger.getByText("Spent", { exact: true }).first().isVisible()).resolves.toBe(
      true,
    );
    await expect(ledger.getByText("Monthly allowance", { exact: true }).isVisible()).resolves.toBe(
      true,
    );
    const chart = page.getByRole("list", { name: "Credits spent by workroom" });
    await expect(chart.getByText("of 400 cap").first().isVisible()).resolves.toBe(true);
    await expect(chart.getByRole("link", { name: "Birch weekly recap" }).isVisible()).resolves.toBe(
      true,
    );
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, "credits");

    await page.getByLabel("Credits to add").fill("2500");
    await page.getByRole("button", { name: "Add credits" }).click();
    await page.getByText("2,500 credits added.", { exact: false }).waitFor();
    await ledger.getByText(/^Top-up by .+/).waitFor(); // who added it, by name
    await ledger.getByText("+2,500").waitFor();
    await expect(
      page.getByRole("heading", { name: "Top-ups" }).locator("..").getByText("2,500").isVisible(),
    ).resolves.toBe(true);
  });

  it("shows the hours saved and downloads the breakdown as CSV", async () => {
    const page = await web.newPage();
    await signIn(page);
    await page.goto("/insights");
    const table = page.getByRole("table", { name: "Hours saved by workroom" });
    await table.getByRole("link", { name: "Aurora Q4 proposal" }).waitFor();
    await expect(table.getByRole("link", { name: "Birch weekly recap" }).isVisible()).resolves.toBe(
      true,
    );
    const total = page.getByRole("heading", { name: "Estimated hours saved" }).locator("..");
    await expect(total.getByText(/\d h$/).isVisible()).resolves.toBe(true);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, "insights");

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download CSV" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^atelya-insights-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await download.path())!, "utf8")
      .trim()
      .split(/\r?\n/);
    expect(csv[0]).toContain("workroom_id");
    expect(csv[0]).toContain("hours_saved");
    expect(csv).toHaveLength(3);

    // A range with no completions empties the table and keeps the range in the address.
    await page.getByLabel("Completed to").fill("2020-01-01");
    await page.waitForURL(/to=2020-01-01/);
    await page.getByText("No workroom was completed in this range").waitFor();
  });
});
