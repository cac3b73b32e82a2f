// The new-workroom screen in a real browser: paste blocks of different kinds with a live size
// counter, the server's estimate, Start landing on the running room; over 100 KB nothing can be
// saved (and nothing is); a file upload becomes a block; the server's validation in words.
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
  addPerson,
  pageAs,
  focused,
} from "./support.js";

let web: WebWorld;
beforeAll(async () => {
  web = await startWeb();
  await seedOwner(web.url);
});
afterAll(() => web?.close());

async function open(viewport?: { width: number; height: number }): Promise<Page> {
  const page = await web.newPage(viewport ? { viewport } : {});
  await signIn(page);
  await page.goto("/workrooms/new");
  await page.getByRole("heading", { name: "New workroom" }).waitFor();
  return page;
}

const block = (page: Page, n: number) => page.getByRole("group", { name: `Block ${n}` });
const rooms = async (page: Page) =>
  (await apiAs<{ items: { id: string }[] }>(page, "GET", "/api/v1/workrooms")).items.length;

describe("the new-workroom screen", () => {
  it("a server validation error is shown in words on its field", async () => {
    const page = await open();
    await block(page, 1).getByLabel("Text").fill("Aurora wants a loyalty proposal.");
    await page.getByRole("button", { name: "Save as draft" }).click();
    const alert = page.getByRole("alert").filter({ hasText: "The workroom was not saved" });
    await alert.waitFor();
    expect(await alert.textContent()).toContain("Title: A workroom needs a title");
    const title = page.getByLabel("Title", { exact: true });
    expect(await title.getAttribute("aria-invalid")).toBe("true");
    expect(await rooms(page)).toBe(0);
  });

  it("refuses material over 100 KB before anything is created", async () => {
    const page = await open();
    await page.getByLabel("Title", { exact: true }).fill("Too much");
    await page.getByRole("textbox", { name: "Deliverable 1" }).fill("Recap");
    await block(page, 1).getByLabel("Text").fill("a".repeat(60_000));
    await page.getByRole("button", { name: "Add block" }).click();
    await block(page, 2).getByLabel("Text").fill("b".repeat(40_001));
    const limit = page.getByText(/at most 100 KB \(100,000 bytes\).*100,001 bytes/);
    await limit.waitFor();
    expect(await page.locator("#total-size").textContent()).toContain("100,001 of 100,000 bytes");
    expect(await page.getByRole("button", { name: "Start workroom" }).isDisabled()).toBe(true);
    expect(await page.getByRole("button", { name: "Save as draft" }).isDisabled()).toBe(true);
    await page.getByText("shorten or remove blocks to save or start").waitFor();
    await page.getByLabel("Title", { exact: true }).press("Enter"); // submitting by keyboard too
    expect(await rooms(page)).toBe(0);
  });

  it("turns an uploaded .md file into a block", async () => {
    const page = await open();
    await page.getByLabel("Files to read into blocks").setInputFiles({
      name: "kickoff.md",
      mimeType: "text/markdown",
      buffer: Buffer.from("# Kick-off\n\n- Launch in January\n- Budget around 40k"),
    });
    const uploaded = block(page, 1);
    await expect
      .poll(() => uploaded.getByLabel("Label (optional)").inputValue(), { timeout: 15_000 })
      .toBe("kickoff.md");
    expect(await uploaded.getByLabel("Label (optional)").inputValue()).toBe("kickoff.md");
    expect(await uploaded.getByLabel("Text").inputValue()).toContain("Launch in January");
    expect(await uploaded.getByLabel("Kind").inputValue()).toBe("doc");

    await page.getByLabel("Files to read into blocks").setInputFiles({
      name: "logo.png",
      mimeType: "image/png",
      buffer: Buffer.from("\x89PNG"),
    });
    await page.getByText(/the supported file types are \.txt, \.md, \.docx and \.pdf/).waitFor();
    expect(await rooms(page)).toBe(0);
  });

  it("fills three blocks, shows the size and estimate, starts, and lands on the running room", async () => {
    const page = await open();
    await page.getByLabel("Title", { exact: true }).fill("Aurora Coffee — Q4 proposal");
    await page.getByLabel("Client (optional)").fill("Aurora Coffee");
    await page.getByRole("textbox", { name: "Deliverable 1" }).fill("Proposal");
    // A new row takes focus, as a new block does.
    await page.getByRole("button", { name: "Add deliverable" }).click();
    await expect.poll(() => focused(page)).toBe("INPUT ");
    await page.keyboard.type("Timeline");
    await expect(page.getByRole("textbox", { name: "Deliverable 2" }).inputValue()).resolves.toBe(
      "Timeline",
    );

    await block(page, 1).getByLabel("Text").fill("café");
    expect(await block(page, 1).getByTestId("block-size").textContent()).toBe("5 B");
    await block(page, 1)
      .getByLabel("Text")
      .fill("Aurora Coffee wants a Q4 loyalty programme proposal for its 40 stores.");
    await page.getByRole("button", { name: "Add block" }).click();
    await block(page, 2).getByLabel("Kind").selectOption("meeting_notes");
    await block(page, 2).getByLabel("Label (optional)").fill("Kick-off call");
    await block(page, 2)
      .getByLabel("Text")
      .fill("Dana: budget around 40k, launch in January. ".repeat(30));
    await page.getByRole("button", { name: "Add block" }).click();
    await block(page, 3).getByLabel("Kind").selectOption("email");
    await block(page, 3).getByLabel("Text").fill("Hi team — please keep it to two pages. Dana");
    const total = await page.locator("#total-size").textContent();
    expect(total).toMatch(/^1\.\d KB of 100 KB · 1,\d{3} of 100,000 bytes · 3 of 10 blocks$/);

    const expected = page.getByTestId("estimate-expected");
    await expected.waitFor();
    expect(await expected.textContent()).toMatch(/^\d[\d,]* credits?$/);
    await page.getByLabel("Credit cap (optional)").fill("1");
    await page.getByText("The expected cost is above the cap of 1 credit").waitFor();
    await page.getByLabel("Credit cap (optional)").fill("");
    await page.getByText("The expected cost is above the cap").waitFor({ state: "detached" });
    await page.getByLabel("Redact personal data").check();

    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, "new-workroom");

    // By keyboard: the room opens with focus on its heading, not on <body>.
    await page.getByRole("button", { name: "Start workroom" }).focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/workrooms\/room_[^/]+$/);
    const id = new URL(page.url()).pathname.split("/").pop()!;
    await page.getByRole("heading", { name: "Aurora Coffee — Q4 proposal" }).waitFor();
    await expect.poll(() => focused(page)).toBe("H1 Aurora Coffee — Q4 proposal");
    const room = await apiAs<{ state: string; paste_flags: { redact_pii: boolean } }>(
      page,
      "GET",
      `/api/v1/workrooms/${id}`,
    );
    expect(room.state).not.toBe("draft");
    expect(room.paste_flags.redact_pii).toBe(true);
    await page
      .getByText(/^(Planning|Working|Composing|Completed|Paused)$/)
      .first()
      .waitFor();
    expect(await page.getByText(/^Draft$/).count()).toBe(0);
  });

  it("pressing Start again after a lost answer makes one room, and starts it", async () => {
    const page = await open();
    await page.getByLabel("Title", { exact: true }).fill("Lost answer");
    await page.getByRole("textbox", { name: "Deliverable 1" }).fill("Recap");
    await block(page, 1).getByLabel("Text").fill("Aurora wants a loyalty proposal.");
    const before = await rooms(page);
    // The first create reaches the server and makes the room; its answer never arrives.
    let lost = false;
    await page.route("**/api/v1/workrooms", async (route) => {
      if (route.request().method() !== "POST" || lost) return route.fallback();
      lost = true;
      await route.fetch();
      await route.abort("connectionreset");
    });
    await page.getByRole("button", { name: "Start workroom" }).click();
    await page.getByText("Could not reach the Atelya server").waitFor();
    expect(await rooms(page)).toBe(before + 1);

    await page.getByRole("button", { name: "Start workroom" }).click();
    await page.waitForURL(/\/workrooms\/room_[^/]+$/);
    expect(await rooms(page)).toBe(before + 1);
    const id = new URL(page.url()).pathname.split("/").pop()!;
    const room = await apiAs<{ state: string }>(page, "GET", `/api/v1/workrooms/${id}`);
    expect(room.state).not.toBe("draft");
  });

  it("fits a phone", async () => {
    const page = await open({ width: 390, height: 844 });
    await block(page, 1).getByLabel("Text").fill("A short brief.");
    await page.getByTestId("estimate-expected").waitFor();
    const overflow = await horizontalOverflow(page);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, "new-workroom-phone");
  });

  it("tells a viewer why they cannot create a workroom", async () => {
    const owner = await web.newPage();
    await signIn(owner);
    const viewer = await addPerson(web, owner, {
      email: "vera@northwind.test",
      name: "Vera Viewer",
      role: "viewer",
    });
    const page = await pageAs(web, viewer);
    await page.goto("/workrooms/new");
    await page.getByRole("heading", { name: "Your role cannot create workrooms" }).waitFor();
    expect(await page.getByRole("button", { name: "Start workroom" }).count()).toBe(0);
  });
});
