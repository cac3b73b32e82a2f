// Two people editing the same thing in two browsers: the second save, made on what was loaded
// before the first, is refused with the server's words instead of erasing the first; nothing typed
// is lost, and Reload shows the colleague's change with the person's edits on top, to save again.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addPerson, apiAs, pageAs, screenshot, seedOwner, signIn, startWeb } from "./support.js";
import type { WebWorld } from "./support.js";

let web: WebWorld;
let olive: Page;
let sam: Page;

beforeAll(async () => {
  web = await startWeb();
  await seedOwner(web.url);
  olive = await web.newPage();
  await signIn(olive);
  sam = await pageAs(
    web,
    await addPerson(web, olive, { email: "sam@northwind.test", name: "Sam Admin", role: "admin" }),
  );
}, 60_000);

afterAll(async () => web?.close());

const STALE =
  "Someone changed the letterhead since you opened it: reload to see their change, then make yours again.";

describe("the letterhead, edited by two people at once", () => {
  it("refuses the second save, keeps the first, and loses nothing typed", async () => {
    for (const p of [olive, sam]) {
      await p.goto("/settings/export");
      await p.getByLabel("Company name").waitFor();
    }

    // Olive saves a tagline.
    await olive.getByLabel("Tagline").fill("Plain words, on time");
    await olive.getByRole("button", { name: "Save letterhead" }).click();
    await olive.getByText("Letterhead saved").waitFor();

    // Sam, on the page loaded before that, adds a phone number and saves: refused, in words.
    await sam.getByLabel("Phone").fill("+44 117 000 0000");
    await sam.getByRole("button", { name: "Save letterhead" }).click();
    const refusal = sam.getByRole("alert").filter({ hasText: "The letterhead was not saved" });
    await refusal.getByText(STALE).waitFor();
    await screenshot(sam, "letterhead-changed-meanwhile");

    // Olive's change is still there; Sam's phone number is still in Sam's form.
    const stored = () =>
      apiAs<{ export_profile: { tagline: string; phone: string } | null }>(
        olive,
        "GET",
        "/api/v1/settings/export-profile",
      );
    expect((await stored()).export_profile).toMatchObject({
      tagline: "Plain words, on time",
      phone: "",
    });
    expect(await sam.getByLabel("Phone").inputValue()).toBe("+44 117 000 0000");

    // Reload: Olive's tagline appears, Sam's phone number stays; saving again keeps both.
    await refusal.getByRole("button", { name: "Reload" }).click();
    await expect.poll(() => sam.getByLabel("Tagline").inputValue()).toBe("Plain words, on time");
    expect(await sam.getByLabel("Phone").inputValue()).toBe("+44 117 000 0000");
    await refusal.waitFor({ state: "detached" });
    await sam.getByRole("button", { name: "Save letterhead" }).click();
    await sam.getByText("Letterhead saved").waitFor();
    expect((await stored()).export_profile).toMatchObject({
      tagline: "Plain words, on time",
      phone: "+44 117 000 0000",
    });
  });
});

describe("an agent, edited by two people at once", () => {
  it("refuses the second save and puts the person's edits on top of the first's", async () => {
    const agent = await apiAs<{ id: string }>(olive, "POST", "/api/v1/agents", {
      name: "Proposal writer",
    });
    for (const p of [olive, sam]) {
      await p.goto(`/agents/${agent.id}`);
      await p.getByRole("tab", { name: "Prompt" }).click();
    }
    await olive.getByLabel("System prompt").fill("You write proposals that win.");
    await olive.getByRole("button", { name: "Save changes" }).click();
    await olive.getByText("All changes saved.").waitFor();

    await sam.getByRole("tab", { name: "Identity" }).click();
    await sam.getByLabel("Role").fill("Writes the proposal's pricing section.");
    await sam.getByRole("button", { name: "Save changes" }).click();
    const refusal = sam.getByRole("alert").filter({ hasText: "The changes were not saved" });
    await refusal
      .getByText(
        'Someone changed agent "Proposal writer" since you opened it: reload to see their change, then make yours again.',
      )
      .waitFor();
    const stored = () =>
      apiAs<{ system_prompt: string; role_description: string }>(
        olive,
        "GET",
        `/api/v1/agents/${agent.id}`,
      );
    expect(await stored()).toMatchObject({
      system_prompt: "You write proposals that win.",
      role_description: "",
    });

    await refusal.getByRole("button", { name: "Reload" }).click();
    await refusal.waitFor({ state: "detached" });
    expect(await sam.getByLabel("Role").inputValue()).toBe(
      "Writes the proposal's pricing section.",
    );
    await sam.getByRole("tab", { name: "Prompt" }).click();
    expect(await sam.getByLabel("System prompt").inputValue()).toBe(
      "You write proposals that win.",
    );
    await sam.getByText("1 unsaved change.").waitFor();
    await sam.getByRole("button", { name: "Save changes" }).click();
    await sam.getByText("All changes saved.").waitFor();
    expect(await stored()).toMatchObject({
      system_prompt: "You write proposals that win.",
      role_description: "Writes the proposal's pricing section.",
    });
  });
});
