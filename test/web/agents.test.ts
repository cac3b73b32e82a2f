// Agents in a real browser: an agent created in the builder shows in the list; its temperature and
// prompt stay saved after a reload; the Style tab learns from two uploaded samples, its edited
// fields are kept, and the style copies to another agent; the server's validation is shown in
// words; an unknown agent is a clear not-found; no serious accessibility violation on the list,
// the builder or the Style tab.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  apiAs,
  screenshot,
  seedOwner,
  seriousA11yViolations,
  signIn,
  startWeb,
  type WebWorld,
  horizontalOverflow,
} from "./support.js";

let web: WebWorld;
let page: Page;
let agentUrl = "";

beforeAll(async () => {
  web = await startWeb();
  await seedOwner(web.url);
  page = await web.newPage();
  await signIn(page);
}, 90_000);
afterAll(() => web?.close());

const samples = () => {
  const dir = mkdtempSync(join(tmpdir(), "atelya-samples-"));
  const a = join(dir, "aurora-proposal.md");
  const b = join(dir, "harbor-notes.txt");
  writeFileSync(
    a,
    "# Summary\nWe keep it short. We'll show the numbers first.\n\n# Approach\nThree steps, each with an owner. You'll see progress weekly.\n",
  );
  writeFileSync(
    b,
    "Harbor asked for a plain plan. It's ready. We've cut the jargon and we'd like a call on Friday.\n",
  );
  return [a, b];
};

describe("agents", () => {
  it("creates an agent in the builder and lists it", async () => {
    await page.goto("/agents");
    await page.getByText("No agents yet").waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByRole("link", { name: "New agent" }).first().click();
    await page.waitForURL(/\/agents\/new$/);
    await page.getByLabel("Name", { exact: true }).fill("Market researcher");
    await page.getByLabel("Role").fill("Finds market figures and competitors, citing sources.");
    await page.getByTitle("Search").click();
    expect(await page.getByRole("radio", { name: "Search" }).isChecked()).toBe(true);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Create agent" }).click();
    await page.waitForURL(
      (u) => /^\/agents\/[^/]+$/.test(u.pathname) && !u.pathname.endsWith("/new"),
    );
    agentUrl = new URL(page.url()).pathname;
    await page.getByRole("link", { name: "Agents", exact: true }).last().click();
    await page.waitForURL(/\/agents$/);
    await page.getByRole("link", { name: "Market researcher" }).waitFor();
    await expect(page.getByText("Workspace default model").first().isVisible()).resolves.toBe(true);
    await expect(page.getByText("No Style Memory").isVisible()).resolves.toBe(true);
  });

  it("keeps an edited temperature and prompt after a reload", async () => {
    await page.goto(agentUrl);
    await page.getByRole("tab", { name: "Prompt" }).click();
    await page.getByLabel("System prompt").fill("You are a careful market researcher.");
    await page.getByRole("tab", { name: "Model" }).click();
    await page.getByRole("spinbutton", { name: "Temperature" }).fill("0.9");
    await page.getByText("2 unsaved changes.").waitFor();
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByText("All changes saved.").waitFor();
    await page.reload();
    await page.getByRole("tab", { name: "Model" }).click();
    expect(await page.getByRole("spinbutton", { name: "Temperature" }).inputValue()).toBe("0.9");
    await page.getByRole("tab", { name: "Prompt" }).click();
    expect(await page.getByLabel("System prompt").inputValue()).toBe(
      "You are a careful market researcher.",
    );
  });

  it("shows the server's validation message in words next to the field", async () => {
    await page.goto(agentUrl);
    await page.getByLabel("Name", { exact: true }).fill("   ");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByText("The changes were not saved").waitFor();
    await page.getByText("An agent needs a name.").waitFor();
    await expect(page.getByRole("alert").innerText()).resolves.toContain("an agent needs a name");
    await page.getByRole("button", { name: "Discard" }).click();
  });

  it("extracts Style Memory from two uploaded samples, keeps an edit, and copies it", async () => {
    const other = await apiAs<{ id: string }>(page, "POST", "/api/v1/agents", {
      name: "Proposal writer",
    });
    await page.goto(agentUrl);
    await page.getByRole("tab", { name: "Style" }).click();
    await page.getByText("No Style Memory yet").waitFor();
    await page.getByLabel("Upload samples").setInputFiles(samples());
    await page.getByText("harbor-notes.txt").waitFor();
    await page.getByRole("button", { name: "Extract", exact: true }).click();
    await page.getByText(/Drafted from 2 samples for 3 credits/).waitFor();
    for (const label of ["Tone", "Banned phrases", "Required sections"])
      expect(
        await page.getByRole("list", { name: label }).getByRole("listitem").count(),
      ).toBeGreaterThan(0);
    await expect(
      page.getByRole("list", { name: "Required sections" }).innerText(),
    ).resolves.toContain("Summary");
    expect(await page.getByLabel("Structural pattern").inputValue()).not.toBe("");
    expect(await page.getByLabel("Reading level").inputValue()).not.toBe("");
    expect(await page.getByLabel("Voice example 1", { exact: true }).inputValue()).not.toBe("");
    expect(
      await page.getByRole("radio", { checked: true, name: /Relaxed|Neutral|Formal/ }).count(),
    ).toBe(1);
    // The toast of the extraction is the shell's; the Style tab itself is what is checked here.
    await page.locator("[data-sonner-toast]").first().waitFor({ state: "detached" });
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, "agent-style-tab");

    await page.getByLabel("Reading level").fill("plain (grade 6)");
    const tone = page.getByRole("textbox", { name: "Tone" });
    await tone.fill("candid");
    await tone.press("Enter");
    await page.getByRole("button", { name: "Save Style Memory" }).click();
    await page.getByText("Saved", { exact: true }).waitFor();
    await page.reload();
    await page.getByRole("tab", { name: "Style" }).click();
    expect(await page.getByLabel("Reading level").inputValue()).toBe("plain (grade 6)");
    await expect(page.getByRole("list", { name: "Tone" }).innerText()).resolves.toContain("candid");

    await page.getByRole("button", { name: "Copy style to another agent" }).click();
    const dialog = page.getByRole("dialog", { name: "Copy style to another agent" });
    await dialog.getByLabel("Copy to").selectOption({ label: "Proposal writer" });
    await dialog.getByRole("button", { name: "Copy style" }).click();
    await dialog.waitFor({ state: "hidden" });
    await page.goto(`/agents/${other.id}`);
    await page.getByRole("tab", { name: "Style" }).click();
    expect(await page.getByLabel("Reading level").inputValue()).toBe("plain (grade 6)");

    await page.goto("/agents");
    await page.getByRole("link", { name: "Proposal writer" }).waitFor();
    expect(await page.getByText("Style Memory", { exact: true }).count()).toBe(2);
    await screenshot(page, "agents-list");
  });

  it("archives an agent after confirmation and shows it behind the toggle", async () => {
    await page.goto("/agents");
    await page.getByRole("button", { name: "Archive Proposal writer" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Archive agent" }).click();
    await page.getByText("Proposal writer is archived.").waitFor();
    await page.getByRole("link", { name: "Proposal writer" }).waitFor({ state: "detached" });
    await page.getByLabel("Show archived agents").check();
    await page.getByRole("link", { name: "Proposal writer" }).waitFor();
  });

  it("fits a phone", async () => {
    const phone = await web.newPage({ viewport: { width: 390, height: 844 } });
    await signIn(phone);
    await phone.goto(agentUrl);
    await phone.getByRole("tab", { name: "Identity" }).waitFor();
    expect(await horizontalOverflow(phone)).toBeLessThanOrEqual(0);
    await screenshot(phone, "agent-builder-phone");
  });

  it("says plainly when an agent does not exist, with the way back", async () => {
    await page.goto("/agents/agt_does_not_exist");
    await page.getByRole("heading", { name: "Agent not found" }).waitFor();
    await page.getByText(/may belong to another workspace/).waitFor();
    await expect(page.getByRole("button", { name: "Try again" }).count()).resolves.toBe(0);
    await page.getByRole("link", { name: "Back to agents" }).click();
    await page.waitForURL(/\/agents$/);
  });
});
