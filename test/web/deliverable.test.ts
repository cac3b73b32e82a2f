// The Deliverable tab in a real browser: a room run to completion over the API shows its document;
// a `tighten` revision requested through the form runs, lands as round 2 and diffs against round 1;
// .docx and .pdf download under SPEC 6's file names; a viewer reads but cannot revise or export; a room
// of eleven rounds shows "Round 11 (latest)" whole in its round select; a long unbroken address
// in the material keeps the document, its changes and the export dialog on a phone's screen.
import { statSync } from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportFilename } from "../../src/domain/naming.js";
import { proposalRoom } from "../support/fixtures.js";
import {
  apiAs,
  screenshot,
  seedOwner,
  seriousA11yViolations,
  signIn,
  startWeb,
  type WebWorld,
  addPerson,
  pageAs,
  focused,
  horizontalOverflow,
} from "./support.js";

let web: WebWorld;
let page: Page;
let roomId: string;
const TITLE = "Aurora Coffee — Q4 Proposal";

/** The bits of the DOM the page-side callbacks use (the test tsconfig has no DOM types). */
interface Browserish {
  document: {
    documentElement: { scrollWidth: number };
    getAnimations(): { finished: Promise<unknown> }[];
  };
}

interface RoomState {
  state: string;
  final_round: number;
}

/** Follows the room over the API until it rests in `state` (the page itself follows the stream). */
async function settled(p: Page, id: string, state = "completed"): Promise<RoomState> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const room = await apiAs<RoomState>(p, "GET", `/api/v1/workrooms/${id}`);
    if (room.state === state) return room;
    if (room.state === "failed" || Date.now() > deadline)
      throw new Error(`room ${id} is ${room.state}, not ${state}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function openDeliverable(p: Page) {
  await p.goto(`/workrooms/${roomId}`);
  await p.getByRole("tab", { name: "Deliverable" }).click();
  return p.getByRole("tabpanel", { name: "Deliverable" });
}

/** axe on the page as it rests: transient success toasts are closed first. */
async function noSeriousViolations(p: Page) {
  for (const close of await p.locator("[data-sonner-toast] [data-close-button]").all())
    await close.click().catch(() => {});
  await p.locator("[data-sonner-toast]").first().waitFor({ state: "detached" });
  expect(await seriousA11yViolations(p)).toEqual([]);
}

beforeAll(async () => {
  // Slow enough that a revision round is visibly in flight for a moment.
  web = await startWeb({ latencyMs: 150 });
  await seedOwner(web.url);
  page = await web.newPage();
  await signIn(page);
  const room = await apiAs<{ id: string }>(page, "POST", "/api/v1/workrooms", proposalRoom());
  roomId = room.id;
  await apiAs(page, "POST", `/api/v1/workrooms/${roomId}/start`);
  await settled(page, roomId);
}, 60_000);

afterAll(() => web?.close());

describe("the deliverable", () => {
  it("shows the composed document with its headings, on a desk and on a phone", async () => {
    const panel = await openDeliverable(page);
    const doc = panel.getByRole("article", { name: "Deliverable, round 1" });
    // The page's one h1 is the room's title; the document's title and sections sit below it.
    await doc.getByRole("heading", { level: 2, name: TITLE }).waitFor();
    await expect(page.getByRole("heading", { level: 1 }).count()).resolves.toBe(1);
    for (const section of ["Scope", "Pricing", "Timeline", "Risks", "Summary", "At a glance"])
      await expect(
        doc.getByRole("heading", { level: 3, name: section, exact: true }).isVisible(),
      ).resolves.toBe(true);
    await expect(doc.getByRole("table").count()).resolves.toBeGreaterThan(0);
    await expect(
      panel.getByRole("button", { name: "Round 1" }).getAttribute("aria-pressed"),
    ).resolves.toBe("true");
    await noSeriousViolations(page);

    const phone = await web.newPage({ viewport: { width: 390, height: 844 } });
    await signIn(phone);
    const small = await openDeliverable(phone);
    await small.getByRole("heading", { level: 2, name: TITLE }).waitFor();
    const width = await phone.evaluate(
      () => (globalThis as unknown as Browserish).document.documentElement.scrollWidth,
    );
    expect(width).toBeLessThanOrEqual(390);
    await screenshot(phone, "deliverable-phone");
  });

  it("tightens one section through the form, runs round 2 and shows its changes", async () => {
    const panel = await openDeliverable(page);
    const revise = panel.getByRole("region", { name: "Revise" });
    await revise.getByLabel("Preset").selectOption({ label: "Tighten" });
    await revise.getByLabel("Section (optional)").selectOption({ label: "1. Scope" });
    await revise.getByLabel("Instruction").fill("Cut it to the essentials.");
    // SPEC 5: max(5, ceil(base × 0.4)), priced by the server before the request.
    const { next_round_credits } = await apiAs<{ next_round_credits: number }>(
      page,
      "GET",
      `/api/v1/workrooms/${roomId}/revisions`,
    );
    expect(next_round_credits).toBeGreaterThanOrEqual(5);
    await revise
      .getByText(`Costs ${next_round_credits} credits, charged when it starts.`)
      .waitFor();
    // By keyboard: the form gives way to the round's progress, and focus stays in the panel.
    await revise.getByRole("button", { name: "Start round 2" }).focus();
    await page.keyboard.press("Enter");

    // While it runs: progress, and no way to ask for a second round.
    await revise.getByRole("progressbar", { name: "Revision round 2 in progress" }).waitFor();
    await expect(revise.getByRole("button", { name: /Start round/ }).count()).resolves.toBe(0);

    // When it lands the tab moves to round 2 and offers the diff.
    await panel.getByText("Round 2 is ready.", { exact: true }).waitFor({ timeout: 20_000 });
    await expect(
      panel.getByRole("button", { name: "Round 2" }).getAttribute("aria-pressed"),
    ).resolves.toBe("true");
    await panel.getByRole("article", { name: "Deliverable, round 2" }).waitFor();
    await revise.getByRole("button", { name: "Start round 3" }).waitFor();
    // Focus followed the round (its progress while it ran) and is back on the form, not <body>.
    await expect.poll(() => focused(page)).toMatch(/^SELECT /);
    await expect(
      revise.getByLabel("Preset").evaluate((e) => e === e.ownerDocument.activeElement),
    ).resolves.toBe(true);

    await panel.getByRole("button", { name: "Show changes" }).click();
    const changes = panel.getByRole("region", { name: "Changes from round 1 to round 2" });
    const scope = changes.getByRole("region", { name: "Scope: changed" });
    await scope.waitFor();
    // The sections' h3 headings have the comparison's h2 above them (axe's heading-order).
    await changes
      .getByRole("heading", { level: 2, name: "Changes from round 1 to round 2" })
      .waitFor({ state: "attached" });
    await expect(scope.locator("del").count()).resolves.toBeGreaterThan(0);
    await changes.getByText(/^Round 1 → round 2: 1 changed, \d+ unchanged\.$/).waitFor();
    await expect(changes.getByRole("region", { name: /: changed$/ }).count()).resolves.toBe(1);
    await noSeriousViolations(page);
    await screenshot(page, "revision-diff");
    // The highlights are theme tokens: the dark theme passes too.
    await page.getByRole("button", { name: "Dark theme" }).click();
    await page.evaluate(() =>
      Promise.all(
        (globalThis as unknown as Browserish).document.getAnimations().map((a) => a.finished),
      ),
    );
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Light theme" }).click();
  });

  it("exports .docx and .pdf under SPEC 6's file names", async () => {
    const panel = await openDeliverable(page);
    await panel.getByRole("article", { name: "Deliverable, round 2" }).waitFor();
    for (const format of ["docx", "pdf"] as const) {
      await panel.getByRole("button", { name: "Export", exact: true }).click();
      const dialog = page.getByRole("dialog", { name: "Export the deliverable" });
      await dialog.getByRole("radio", { name: new RegExp(`\\.${format}`) }).check();
      const expected = exportFilename(TITLE, 2, format);
      expect(expected).toBe(`aurora-coffee-q4-proposal-v2.${format}`);
      await dialog.getByText(expected).waitFor();
      if (format === "docx") {
        await noSeriousViolations(page);
        await screenshot(page, "export-modal");
      }
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        dialog.getByRole("button", { name: `Download .${format}` }).click(),
      ]);
      expect(download.suggestedFilename()).toBe(expected);
      expect(statSync(await download.path()).size).toBeGreaterThan(1024);
      await dialog.waitFor({ state: "detached" });
    }
  });

  it("lets a viewer read the deliverable but not revise or export it", async () => {
    const viewer = await addPerson(web, page, {
      email: "vic@northwind.test",
      name: "Vic Viewer",
      role: "viewer",
    });
    const p = await pageAs(web, viewer);
    const panel = await openDeliverable(p);
    await panel.getByRole("article", { name: "Deliverable, round 2" }).waitFor();
    await expect(panel.getByRole("region", { name: "Revise" }).count()).resolves.toBe(0);
    await expect(panel.getByRole("button", { name: "Export", exact: true }).count()).resolves.toBe(
      0,
    );
    await expect(panel.getByRole("button", { name: "Round 1" }).isVisible()).resolves.toBe(true);
  });

  it("shows a long round name whole in the round select of a room with eleven rounds", async () => {
    const room = await apiAs<{ id: string }>(page, "POST", "/api/v1/workrooms", proposalRoom());
    await apiAs(page, "POST", `/api/v1/workrooms/${room.id}/start`);
    await settled(page, room.id);
    for (let round = 2; round <= 11; round++) {
      await apiAs(page, "POST", `/api/v1/workrooms/${room.id}/revisions`, {
        preset_slug: "tighten",
        preset_args: { instruction: `Round ${round}: shorter.`, target_section: "1" },
      });
      await settled(page, room.id);
    }
    await page.goto(`/workrooms/${room.id}`);
    await page.getByRole("tab", { name: "Deliverable" }).click();
    const select = page
      .getByRole("tabpanel", { name: "Deliverable" })
      .getByRole("combobox", { name: "Round", exact: true });
    expect(await select.inputValue()).toBe("11");
    // The select is at least as wide as it draws itself when left to size to its options: its
    // own padding and arrow beside "Round 11 (latest)" (at w-44 it showed "Round 11 (lates").
    const [width, needed] = await select.evaluate((el) => {
      interface Box {
        offsetWidth: number;
        style: Record<string, string>;
        cloneNode(deep: boolean): Box;
        remove(): void;
      }
      const g = globalThis as unknown as { document: { body: { append(e: Box): void } } };
      const e = el as unknown as Box;
      const free = e.cloneNode(true);
      Object.assign(free.style, { width: "auto", minWidth: "0", position: "absolute" });
      g.document.body.append(free);
      const natural = free.offsetWidth;
      free.remove();
      return [e.offsetWidth, natural] as const;
    });
    expect(width).toBeGreaterThanOrEqual(needed);
  }, 120_000);

  it("keeps a long unbroken word or address on a phone's screen: the document, its changes and the export dialog", async () => {
    const url = `https://client.example.com/${"a".repeat(300)}`;
    const title = `Aurora Coffee Spring Launch — ${"Supercalifragilisticexpialidocious".repeat(3)}`;
    // The brief's first sentence is quoted in every section, its "must" sentence is a Risks list
    // item, and its amount a Pricing table cell: the long words land in each kind of block.
    const brief = `See ${url} for the brief. The client must read ${url} first. Budget €${"9".repeat(120)}.`;
    const room = await apiAs<{ id: string }>(
      page,
      "POST",
      "/api/v1/workrooms",
      proposalRoom({ title, inputs: [{ kind: "brief", label: "Client brief", content: brief }] }),
    );
    await apiAs(page, "POST", `/api/v1/workrooms/${room.id}/start`);
    await settled(page, room.id);
    await apiAs(page, "POST", `/api/v1/workrooms/${room.id}/revisions`, {
      preset_slug: "tighten",
      preset_args: { instruction: `Keep ${url} whole.` },
    });
    await settled(page, room.id);

    const phone = await web.newPage({ viewport: { width: 375, height: 667 }, phone: true });
    await signIn(phone);
    await phone.goto(`/workrooms/${room.id}?tab=deliverable`);
    const panel = phone.getByRole("tabpanel", { name: "Deliverable" });
    const doc = panel.getByRole("article", { name: "Deliverable, round 2" });
    await doc.getByRole("heading", { level: 2, name: title }).waitFor();
    await doc.getByRole("listitem").filter({ hasText: url }).first().waitFor();
    await doc.getByRole("cell", { name: `€${"9".repeat(120)}` }).waitFor();
    expect(await horizontalOverflow(phone)).toBeLessThanOrEqual(0);
    // The table too wide for the phone scrolls in its own box, which the keyboard can reach.
    expect(await seriousA11yViolations(phone)).toEqual([]);
    await screenshot(phone, "deliverable-long-words-phone");

    await panel.getByRole("button", { name: "Changes" }).tap();
    await panel.getByRole("region", { name: "Changes from round 1 to round 2" }).waitFor();
    await panel.getByText(url).first().waitFor();
    expect(await horizontalOverflow(phone)).toBeLessThanOrEqual(0);

    await panel.getByRole("button", { name: "Export", exact: true }).tap();
    const dialog = phone.getByRole("dialog", { name: "Export the deliverable" });
    await dialog.waitFor();
    const box = await dialog.boundingBox();
    expect(box).not.toBeNull();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(375);
    const download = await dialog.getByRole("button", { name: "Download .docx" }).boundingBox();
    expect(download!.x + download!.width).toBeLessThanOrEqual(375);
  }, 60_000);
});
