// Settings in a real browser: invites with their link shown once, role changes, the letterhead's
// live preview and its save, a provider key that is only ever "set", a webhook delivered to a
// local receiver with its delivery log, API keys shown once and revoked, the workspace's archive
// downloaded and a workspace deleted after typing its name; no serious accessibility violation on
// any settings page, at desktop and phone widths.
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { png } from "../support/images.js";
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
} from "./support.js";

let web: WebWorld;
let page: Page;
let receiver: Server;
let receiverUrl: string;
const received: { headers: IncomingMessage["headers"]; body: string }[] = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString() });
      res.writeHead(200, { "content-type": "text/plain" }).end("thanks from the receiver");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/atelya`;
  // The server refuses loopback receivers unless the operator allows them.
  web = await startWeb({ env: { ATELYA_WEBHOOK_ALLOW_ADDRESSES: "127.0.0.1" } });
  await seedOwner(web.url);
  page = await web.newPage();
  await signIn(page);
}, 60_000);

afterAll(async () => {
  await web?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

async function noSeriousViolations(p: Page = page) {
  expect(await seriousA11yViolations(p)).toEqual([]);
}

describe("team", () => {
  it("invites a member and shows the link once, with Copy", async () => {
    await page.goto("/settings");
    await page.waitForURL(/\/settings\/team$/);
    await page.getByLabel("E-mail address").fill("dana@northwind.test");
    await page.getByLabel("Role", { exact: true }).selectOption("viewer");
    await page.getByRole("button", { name: "Create invite link" }).click();
    const link = page.getByRole("region", { name: "Invite link" });
    await link.waitFor();
    expect(await link.getByRole("textbox").inputValue()).toMatch(
      new RegExp(`^${web.url}/invite/[\\w-]+$`),
    );
    await expect(link.getByRole("button", { name: "Copy" }).isVisible()).resolves.toBe(true);
    const pending = page.getByRole("list", { name: "Pending invites" });
    await pending.getByText("dana@northwind.test", { exact: true }).waitFor();
    await expect(pending.getByText("Viewer").isVisible()).resolves.toBe(true);
    await noSeriousViolations();
    await screenshot(page, "settings-team");
    // Shown once: after Done the link is gone and the list never shows it.
    await link.getByRole("button", { name: "Done" }).click();
    await expect(page.getByText("/invite/").count()).resolves.toBe(0);
  });

  it("sends an unknown settings address to the team page, once", async () => {
    for (const path of ["/settings/bogus", "/settings/export-profile/x"]) {
      await page.goto(path);
      await page.waitForURL(/\/settings\/team$/);
      await page.getByLabel("E-mail address").waitFor();
      expect(new URL(page.url()).pathname).toBe("/settings/team");
    }
  });

  it("changes a member's role", async () => {
    await addPerson(web, page, { email: "sam@northwind.test", name: "Sam Member", role: "member" });
    await page.reload();
    const role = page.getByLabel("Role of Sam Member");
    expect(await role.inputValue()).toBe("member");
    await role.selectOption("admin");
    await page.getByText("Sam Member is now an admin").waitFor();
    const { members } = await apiAs<{ members: { user: { name: string }; role: string }[] }>(
      page,
      "GET",
      "/api/v1/members",
    );
    expect(members.find((m) => m.user.name === "Sam Member")?.role).toBe("admin");
  });
});

describe("export profile", () => {
  it("previews a new accent colour as it is typed, saves it and keeps it", async () => {
    await page.goto("/settings/export");
    const preview = page.getByRole("figure", { name: "Letterhead preview" });
    const rule = preview.locator('[data-part="rule"]');
    await rule.waitFor();
    const ruleColour = () =>
      rule.evaluate(
        (el) =>
          (
            globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }
          ).getComputedStyle(el).backgroundColor,
      );
    expect(await ruleColour()).toBe("rgb(15, 118, 110)"); // the default #0f766e
    // Section headings are unnumbered, as the exports draw them.
    await preview.getByText("A section heading", { exact: true }).waitFor({ timeout: 5_000 });
    await page.getByLabel("Tagline").fill("Brand strategy for independent coffee");
    await page.getByLabel("Accent colour (hex)").fill("#c2410c");
    // Before saving: the preview follows the field, the server still has nothing.
    expect(await ruleColour()).toBe("rgb(194, 65, 12)");
    await preview.getByText("Brand strategy for independent coffee").waitFor();
    await page.getByText("Unsaved changes").waitFor();
    const before = await apiAs<{ export_profile: unknown }>(
      page,
      "GET",
      "/api/v1/settings/export-profile",
    );
    expect(before.export_profile).toBeNull();

    // A text file named .png is refused when it is picked, not on Save.
    await page.locator('input[type="file"]').setInputFiles({
      name: "notes.png",
      mimeType: "image/png",
      buffer: Buffer.from("not an image at all"),
    });
    await page
      .getByText(/^notes\.png: the logo file is damaged \(it is not a PNG or JPEG\)/)
      .waitFor();
    await expect(preview.getByRole("img", { name: "Northwind Studio logo" }).count()).resolves.toBe(
      0,
    );
    // A logo too small to print sharp is taken, with a word about it; a larger one is not.
    const logoInput = page.locator('input[type="file"]');
    await logoInput.setInputFiles({
      name: "small.png",
      mimeType: "image/png",
      buffer: png(160, 48, [194, 65, 12]),
    });
    const blurred = page.getByText(/^This logo is 160 × 48 pixels: .* will look blurred/);
    await blurred.waitFor();
    expect(await logoInput.getAttribute("aria-describedby")).toContain(
      await blurred.getAttribute("id"),
    );
    await logoInput.setInputFiles({
      name: "logo.png",
      mimeType: "image/png",
      buffer: png(480, 144, [194, 65, 12]),
    });
    await preview.getByRole("img", { name: "Northwind Studio logo" }).waitFor();
    await blurred.waitFor({ state: "detached" });
    // An American client's pages: Letter, in the preview's shape too.
    await page.getByLabel("Paper size").selectOption("letter");
    expect(await preview.getAttribute("data-paper")).toBe("letter");
    await page.getByRole("button", { name: "Save letterhead" }).click();
    await page.getByText("Letterhead saved").waitFor();

    await page.reload();
    expect(await page.getByLabel("Accent colour (hex)").inputValue()).toBe("#c2410c");
    expect(await ruleColour()).toBe("rgb(194, 65, 12)");
    await preview.getByRole("img", { name: "Northwind Studio logo" }).waitFor();
    const saved = await apiAs<{
      export_profile: { accent_color: string; logo: unknown; paper_size: string };
    }>(page, "GET", "/api/v1/settings/export-profile");
    expect(saved.export_profile.accent_color).toBe("#c2410c");
    expect(saved.export_profile.logo).not.toBeNull();
    expect(saved.export_profile.paper_size).toBe("letter");
    expect(await page.getByLabel("Paper size").inputValue()).toBe("letter");
    await noSeriousViolations();
    await screenshot(page, "settings-export-profile");
  });
});

describe("models", () => {
  it("sets a provider key and shows only that it is set", async () => {
    const key = "sk-ant-api03-secretvalue-7H2k9QxW";
    await page.goto("/settings/models");
    const anthropic = page.getByRole("region", { name: "Anthropic" });
    await anthropic.getByText("Key not set").waitFor();
    await anthropic.getByRole("button", { name: "Set key for Anthropic" }).click();
    await anthropic.getByLabel("Anthropic API key").fill(key);
    await anthropic.getByRole("button", { name: "Save key" }).click();
    await page.getByText("Anthropic key saved").waitFor();
    await anthropic.getByText("Key set").waitFor();
    await page.reload();
    await anthropic.getByText("Key set").waitFor();
    expect(await page.content()).not.toContain(key);
    expect(await page.content()).not.toContain("secretvalue");
    await noSeriousViolations();
  });
});

describe("the scripted model", () => {
  it("is named on the dashboard until a real model is the default", async () => {
    const notice = page.getByRole("complementary", { name: "Scripted model" });
    await page.goto("/");
    await notice.getByText("This workspace runs on the scripted model.").waitFor();
    await notice.getByRole("link", { name: "Choose a model" }).click();
    await page.waitForURL("**/settings/models");
    const models = page.getByRole("form", { name: "Models" });
    try {
      await models.getByLabel("Default model").fill("anthropic:claude-sonnet-4-5");
      await models.getByRole("button", { name: "Save models" }).click();
      await page.getByText("Models saved").waitFor();
      await page.getByRole("link", { name: "Workrooms" }).first().click();
      await page.getByRole("heading", { level: 1, name: "Workrooms" }).waitFor();
      expect(await notice.count()).toBe(0);
    } finally {
      // Back to the scripted model, which the other tests here run on (a retry too).
      await apiAs(page, "PATCH", "/api/v1/settings/models", { default_model: "scripted" });
    }
    await page.goto("/");
    await notice.waitFor();
    await noSeriousViolations();
  });
});

describe("webhooks", () => {
  it("creates a webhook to a local receiver, shows its secret once, test-sends and logs the delivery", async () => {
    await page.goto("/settings/webhooks");
    await page.getByText("No webhooks yet").waitFor();
    await page.getByRole("button", { name: "New webhook" }).click();
    const dialog = page.getByRole("dialog", { name: "New webhook" });
    await dialog.getByLabel("Name").fill("Studio receiver");
    await dialog.getByLabel("URL").fill(receiverUrl);
    await dialog.getByLabel("Slack").check();
    await dialog.getByLabel("Generic JSON").check();
    await dialog.getByLabel("A workroom failed").uncheck();
    await dialog.getByRole("button", { name: "Create webhook" }).click();
    const secret = page.getByRole("region", { name: "Signing secret" });
    await secret.waitFor();
    expect(await secret.getByRole("textbox").inputValue()).toMatch(/^whsec_/);
    await page.getByRole("dialog").getByRole("button", { name: "Done" }).last().click();

    const card = page.getByRole("region", { name: "Studio receiver" });
    await card.getByText(receiverUrl).waitFor();
    await card.getByRole("button", { name: "Send test" }).click();
    const log = card.getByRole("region", { name: "Delivery log" });
    await log.getByText("Delivered", { exact: true }).waitFor();
    await log.getByText("200", { exact: true }).waitFor();
    await log.getByText("thanks from the receiver").waitFor();
    await expect(log.getByText("Test send").isVisible()).resolves.toBe(true);
    expect(received).toHaveLength(1);
    expect(received[0]!.headers["x-atelya-event"]).toBe("webhook.test");
    expect(received[0]!.headers["x-atelya-signature"]).toMatch(/^sha256=[0-9a-f]{64}$/);

    await log.getByRole("button", { name: "Redeliver" }).click();
    await expect
      .poll(() => log.getByText("Delivered", { exact: true }).count(), { timeout: 10_000 })
      .toBe(2);
    expect(received).toHaveLength(2);
    await noSeriousViolations();
    await screenshot(page, "settings-webhooks");
  });
});

describe("API keys", () => {
  it("shows a new key once, lists it by prefix, and revokes it after asking", async () => {
    await page.goto("/settings/api-keys");
    await page.getByText("No API keys").waitFor();
    await page.getByLabel("Key name").fill("Reporting script");
    await page.getByRole("button", { name: "Create key" }).click();
    const shown = page.getByRole("region", { name: "API key Reporting script" });
    const key = await shown.getByRole("textbox").inputValue();
    expect(key).toMatch(/^atk_[\w-]{43}$/);
    await shown.getByText("it is shown only this once").waitFor();
    const keys = page.getByRole("list", { name: "API keys" });
    await keys.getByText(`${key.slice(0, 12)}…`).waitFor();
    await noSeriousViolations();

    await page.reload();
    await keys.getByRole("listitem").filter({ hasText: "Reporting script" }).waitFor();
    expect(await page.content()).not.toContain(key);

    await keys.getByRole("button", { name: "Revoke Reporting script" }).click();
    await page.getByRole("dialog", { name: "Revoke Reporting script?" }).waitFor();
    await page.getByRole("button", { name: "Revoke key" }).click();
    await page.getByText("Reporting script revoked").waitFor();
    await page.getByText("No API keys").waitFor();
    const revoked = await fetch(`${web.url}/api/v1/session`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(revoked.status).toBe(401);
  });
});

describe("data", () => {
  it("downloads everything the workspace holds as one zip archive", async () => {
    await page.goto("/settings");
    await page
      .getByRole("navigation", { name: "Settings" })
      .getByRole("link", { name: "Data" })
      .click();
    await page.waitForURL(/\/settings\/data$/);
    const button = page.getByRole("button", { name: "Download archive (.zip)" });
    const [download] = await Promise.all([page.waitForEvent("download"), button.click()]);
    expect(download.suggestedFilename()).toMatch(
      /^atelya-northwind-studio-\d{4}-\d{2}-\d{2}\.zip$/,
    );
    const zip = readFileSync((await download.path())!);
    expect(zip.length).toBeGreaterThan(0);
    expect(zip.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04])); // "PK\3\4"
    await page.getByText(`Downloaded ${download.suggestedFilename()}`).waitFor();
    await noSeriousViolations();
    await screenshot(page, "settings-data");
  });

  it("deletes a workspace only once its name is typed exactly, and lands in the one left", async () => {
    // A throwaway workspace of the owner's: the other tests live in Northwind Studio.
    await apiAs(page, "POST", "/api/v1/workspaces", { name: "Scratch Studio" });
    await page.goto("/");
    const switcher = page.getByRole("combobox", { name: "Workspace", exact: true });
    await switcher.selectOption({ label: "Scratch Studio (owner)" });
    await page.getByRole("heading", { level: 1, name: "Workrooms" }).waitFor();
    await page.getByRole("main").getByText("Scratch Studio", { exact: true }).waitFor();
    await page.goto("/settings/data");
    await page.getByRole("button", { name: "Delete workspace" }).click();

    const dialog = page.getByRole("dialog", { name: "Delete Scratch Studio?" });
    const name = dialog.getByLabel("To confirm, type the workspace's name");
    const confirm = dialog.getByRole("button", { name: "Delete workspace" });
    expect(await confirm.isDisabled()).toBe(true);
    for (const wrong of ["scratch studio", "Scratch Studio ", "Northwind Studio"]) {
      await name.fill(wrong);
      expect(await confirm.isDisabled()).toBe(true);
    }
    await name.fill("Scratch Studio");
    expect(await confirm.isEnabled()).toBe(true);
    await noSeriousViolations();
    await confirm.click();

    await page.getByText("Scratch Studio was deleted").waitFor();
    await page.waitForURL(`${web.url}/`);
    await page.getByRole("heading", { level: 1, name: "Workrooms" }).waitFor();
    await page.getByRole("main").getByText("Northwind Studio", { exact: true }).waitFor();
    // One workspace left: the switcher is its name alone, and the deleted one is nowhere in it.
    const sidebar = page.locator("aside");
    await sidebar.getByText("Northwind Studio", { exact: true }).waitFor();
    await expect(switcher.count()).resolves.toBe(0);
    await expect(sidebar.getByText("Scratch Studio").count()).resolves.toBe(0);
    const { workspaces } = await apiAs<{ workspaces: { name: string }[] }>(
      page,
      "GET",
      "/api/v1/workspaces",
    );
    expect(workspaces.map((w) => w.name)).toEqual(["Northwind Studio"]);
  });

  it("shows admins the export and the deletion (SPEC 1), and leaves both out for members", async () => {
    const admin = await pageAs(
      web,
      await addPerson(web, page, { email: "ada@northwind.test", name: "Ada Admin", role: "admin" }),
    );
    await admin.goto("/settings/data");
    await admin.getByRole("heading", { name: "Export everything" }).waitFor();
    await expect(
      admin.getByRole("button", { name: "Download archive (.zip)" }).isEnabled(),
    ).resolves.toBe(true);
    await admin.getByRole("heading", { name: "Delete workspace" }).waitFor();

    const member = await pageAs(
      web,
      await addPerson(web, page, { email: "mo@northwind.test", name: "Mo Member", role: "member" }),
    );
    await member.goto("/settings/data");
    await member.getByText("Only owners and admins see exports of the whole workspace").waitFor();
    const nav = member.getByRole("navigation", { name: "Settings" });
    await nav.getByRole("link", { name: "Team" }).waitFor();
    await expect(nav.getByRole("link", { name: "Data" }).count()).resolves.toBe(0);
    await expect(
      member.getByRole("button", { name: "Download archive (.zip)" }).count(),
    ).resolves.toBe(0);
    await expect(member.getByRole("button", { name: "Delete workspace" }).count()).resolves.toBe(0);
  });
});

describe("every settings page", () => {
  it("has no serious accessibility violation, and works on a phone", async () => {
    for (const path of ["plan", "tools"]) {
      await page.goto(`/settings/${path}`);
      await page
        .getByRole("heading", { level: 2, name: path === "plan" ? "Plan" : "Tools" })
        .waitFor();
      await page.locator('[role="status"]').first().waitFor({ state: "detached" });
      await noSeriousViolations();
    }
    // The dark theme too (the letterhead preview stays paper-white).
    await page.getByRole("button", { name: "Dark theme" }).click();
    for (const path of ["team", "export", "webhooks", "data"]) {
      await page.goto(`/settings/${path}`);
      await page.locator('[role="status"]').first().waitFor({ state: "detached" });
      await noSeriousViolations();
    }
    await page.getByRole("button", { name: "Light theme" }).click();

    const phone = await web.newPage({ viewport: { width: 390, height: 844 } });
    await signIn(phone);
    await phone.goto("/settings/team");
    await phone
      .getByRole("list", { name: "Members" })
      .getByText("Sam Member", { exact: true })
      .waitFor();
    const nav = phone.getByRole("navigation", { name: "Settings" });
    await expect(nav.getByRole("link", { name: "Webhooks" }).count()).resolves.toBe(1);
    const overflow = await horizontalOverflow(phone);
    expect(overflow).toBeLessThanOrEqual(0);
    await noSeriousViolations(phone);
    await screenshot(phone, "settings-phone");
  });

  it("keeps the plan page reachable by keyboard on a narrow phone: the command wraps, the plans table scrolls in a focusable region", async () => {
    const narrow = await web.newPage({ viewport: { width: 360, height: 740 } });
    await signIn(narrow);
    await narrow.goto("/settings/plan");
    await narrow.getByRole("heading", { level: 2, name: "Plan" }).waitFor();
    const command = narrow.getByText(/^atelya workspace plan <plan> --workspace /);
    await expect(command.evaluate((e) => e.scrollWidth <= e.clientWidth)).resolves.toBe(true);
    await noSeriousViolations(narrow);
    await expect(horizontalOverflow(narrow)).resolves.toBeLessThanOrEqual(0);
  });
});
