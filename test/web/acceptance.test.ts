// Issue 8's acceptance, end to end in one browser against a real `atelya serve` (SQLite, scripted
// model with latency so progress is visible): set up the owner, create a workroom with three paste
// blocks, approve its plan, watch tasks change state live, read the deliverable, ask for a
// `tighten` revision of one section and see the diff, export .docx and .pdf; a viewer sees no
// Start, Pause or Revise; the API's 409 on an illegal action is shown to the person who clicked.
import { statSync } from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  apiAs,
  OWNER,
  screenshot,
  signIn,
  startWeb,
  type WebWorld,
  addPerson,
  pageAs,
} from "./support.js";

let web: WebWorld;
let owner: Page;
let roomId = "";
beforeAll(async () => {
  web = await startWeb({ latencyMs: 120 });
  owner = await web.newPage();
});
afterAll(() => web?.close());

const TITLE = "Aurora Coffee — Spring Launch Proposal";
const status = (p: Page) => p.getByRole("region", { name: "Status" });
const deliverableTab = async (p: Page) => {
  await p.getByRole("tab", { name: "Deliverable" }).click();
  return p.getByRole("tabpanel", { name: "Deliverable" });
};

describe("an agency's first workroom in the web app", () => {
  it("sets up the owner on a new installation", async () => {
    await owner.goto("/");
    await owner.waitForURL(/\/setup$/);
    await owner.getByLabel("Your name").fill(OWNER.name);
    await owner.getByLabel("E-mail").fill(OWNER.email);
    await owner.getByLabel("Password", { exact: true }).fill(OWNER.password);
    await owner.getByLabel("Confirm password").fill(OWNER.password);
    await owner.getByLabel("Workspace name").fill(OWNER.workspace_name);
    await owner.getByRole("button", { name: "Create workspace" }).click();
    await owner.getByRole("navigation", { name: "Main" }).waitFor();
    expect(new URL(owner.url()).pathname).toBe("/");
  });

  it("creates a workroom from three paste blocks, approves the plan and watches it run live", async () => {
    await owner
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "New workroom" })
      .click();
    await owner.getByLabel("Title").fill(TITLE);
    await owner.getByLabel("Client (optional)").fill("Aurora Coffee");
    await owner.getByRole("textbox", { name: "Deliverable 1" }).fill("Proposal");
    const blocks: [string, string][] = [
      ["Client brief", "Aurora Coffee opens three cafés in spring and wants a launch campaign."],
      ["Meeting notes", "Budget around 40k. Instagram first. Deadline before the April opening."],
      ["Past sample", "Our proposals are warm, direct and short, with a clear price table."],
    ];
    for (let i = 0; i < blocks.length; i++) {
      if (i > 0) await owner.getByRole("button", { name: "Add block" }).click();
      const block = owner.getByRole("group", { name: `Block ${i + 1}` });
      await block.getByLabel("Label (optional)").fill(blocks[i]![0]);
      await block.getByLabel("Text").fill(blocks[i]![1]);
    }
    const bytes = blocks.reduce((n, [, text]) => n + Buffer.byteLength(text), 0);
    await expect(
      owner.getByRole("meter", { name: "Material size" }).getAttribute("aria-valuenow"),
    ).resolves.toBe(String(bytes));
    await owner.getByLabel("Review the plan before work starts").check();
    await owner.getByRole("button", { name: "Start workroom" }).click();
    await owner.waitForURL(/\/workrooms\/room_/);
    roomId = new URL(owner.url()).pathname.split("/").pop()!;

    const approve = owner.getByRole("button", { name: "Approve plan and start" });
    await approve.waitFor({ timeout: 30_000 });
    await approve.click();
    // Live: a task shows Running, then the room completes, all without a reload.
    const tasks = owner.getByRole("list", { name: "Tasks" });
    await tasks.getByText("Running").first().waitFor({ timeout: 30_000 });
    await screenshot(owner, "acceptance-workroom-mid-run");
    await status(owner).getByText("Completed", { exact: true }).waitFor({ timeout: 60_000 });
    await expect(tasks.getByText("Running").count()).resolves.toBe(0);
  });

  it("shows the deliverable, revises one section with tighten and shows the diff", async () => {
    const panel = await deliverableTab(owner);
    const doc = panel.getByRole("article", { name: "Deliverable, round 1" });
    await doc.getByRole("heading", { level: 2 }).waitFor();
    const revise = panel.getByRole("region", { name: "Revise" });
    await revise.getByLabel("Preset").selectOption({ label: "Tighten" });
    const section = revise.getByLabel("Section (optional)");
    const options = await section.locator("option").allTextContents();
    const first = options.find((o) => /^1\. /.test(o))!;
    await section.selectOption({ label: first });
    await revise.getByLabel("Instruction").fill("Cut it to the essentials.");
    await revise.getByRole("button", { name: "Start round 2" }).click();
    await panel.getByText("Round 2 is ready.", { exact: true }).waitFor({ timeout: 60_000 });
    await panel.getByRole("button", { name: "Show changes" }).click();
    const changes = panel.getByRole("region", { name: "Changes from round 1 to round 2" });
    await changes.getByText(/^Round 1 → round 2: 1 changed, \d+ unchanged\.$/).waitFor();
    await expect(changes.getByRole("region", { name: /: changed$/ }).count()).resolves.toBe(1);
    await screenshot(owner, "acceptance-revision-diff");
  });

  it("exports the deliverable as .docx and .pdf", async () => {
    await owner.goto(`/workrooms/${roomId}`);
    const panel = await deliverableTab(owner);
    await panel.getByRole("article", { name: "Deliverable, round 2" }).waitFor();
    for (const format of ["docx", "pdf"]) {
      await panel.getByRole("button", { name: "Export", exact: true }).click();
      const dialog = owner.getByRole("dialog", { name: "Export the deliverable" });
      await dialog.getByRole("radio", { name: new RegExp(`\\.${format}`) }).check();
      const [download] = await Promise.all([
        owner.waitForEvent("download"),
        dialog.getByRole("button", { name: `Download .${format}` }).click(),
      ]);
      // SPEC 6's rule: the title slugged, the round, the format.
      expect(download.suggestedFilename()).toBe(
        `aurora-coffee-spring-launch-proposal-v2.${format}`,
      );
      expect(statSync(await download.path()).size).toBeGreaterThan(4 * 1024);
      await dialog.waitFor({ state: "detached" });
    }
  });

  it("shows a viewer the room without Start, Pause or Revise", async () => {
    const viewer = await addPerson(web, owner, {
      email: "vera@northwind.test",
      name: "Vera Viewer",
      role: "viewer",
    });
    const page = await pageAs(web, viewer);
    await page.goto(`/workrooms/${roomId}`);
    await page.getByRole("heading", { name: TITLE }).first().waitFor();
    const panel = await deliverableTab(page);
    await panel.getByRole("article", { name: /^Deliverable, round/ }).waitFor();
    for (const name of ["Start", "Pause", "Resume", "Cancel"])
      await expect(page.getByRole("button", { name, exact: true }).count()).resolves.toBe(0);
    await expect(panel.getByRole("region", { name: "Revise" }).count()).resolves.toBe(0);
    await expect(page.getByRole("link", { name: "New workroom" }).count()).resolves.toBe(0);
  });

  it("shows the API's 409 to the person whose page missed a change", async () => {
    const room = await apiAs<{ id: string }>(owner, "POST", "/api/v1/workrooms", {
      title: "Two tabs",
      deliverables: ["Proposal"],
      review_plan: true,
      inputs: [{ kind: "brief", content: "A short brief for a bakery's new menu." }],
    });
    await apiAs(owner, "POST", `/api/v1/workrooms/${room.id}/start`);
    // A second person whose page lost its live connection, so it still offers the approval.
    const stale = await web.newPage();
    await signIn(stale);
    await stale.route(/\/stream$/, (route) => route.abort());
    await stale.goto(`/workrooms/${room.id}`);
    await stale
      .getByRole("button", { name: "Approve plan and start" })
      .waitFor({ timeout: 30_000 });
    await apiAs(owner, "POST", `/api/v1/workrooms/${room.id}/cancel`);
    await stale.getByRole("button", { name: "Approve plan and start" }).click();
    await stale
      .getByRole("alert")
      .getByText(/^Cannot resume a workroom that is cancelled/)
      .waitFor();
  });
});
