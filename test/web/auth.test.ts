// Signing in and getting in, in a real browser: first-run set-up lands the owner on the
// dashboard, sign-in shows the server's refusal and honours `next`, and an invite link brings a
// new person into the workspace from a browser of their own.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  apiAs,
  OWNER,
  screenshot,
  seriousA11yViolations,
  startWeb,
  type WebWorld,
} from "./support.js";

let web: WebWorld;
beforeAll(async () => {
  web = await startWeb();
});
afterAll(() => web?.close());

describe("getting in", () => {
  it("sets up the first owner through the form, who lands on the dashboard signed in", async () => {
    const page = await web.newPage();
    await page.goto("/setup");
    await page.getByLabel("Your name").waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByLabel("Your name").fill(OWNER.name);
    await page.getByLabel("E-mail").fill(OWNER.email);
    await page.getByLabel("Password", { exact: true }).fill("short");
    await expect(page.getByText("Use at least 10 characters").isVisible()).resolves.toBe(true);
    // The short password is flagged on Password itself, not on Confirm password.
    const password = page.getByLabel("Password", { exact: true });
    const confirm = page.getByLabel("Confirm password");
    await expect(password.getAttribute("aria-invalid")).resolves.toBe("true");
    await expect(password.getAttribute("aria-describedby")).resolves.toMatch(/-error$/);
    await expect(confirm.getAttribute("aria-invalid")).resolves.toBeNull();
    await password.fill(OWNER.password);
    await confirm.fill("something else");
    await expect(confirm.getAttribute("aria-invalid")).resolves.toBe("true");
    await expect(password.getAttribute("aria-invalid")).resolves.toBeNull();
    await confirm.fill(OWNER.password);
    await page.getByLabel("Workspace name").fill(OWNER.workspace_name);
    await page.getByRole("button", { name: "Create workspace" }).click();
    await page.waitForURL((u) => u.pathname === "/");
    await page.getByRole("heading", { name: "Workrooms", exact: true }).waitFor();
    await page.getByText("No workrooms yet").waitFor();
    await page.getByText(OWNER.email).filter({ visible: true }).first().waitFor();

    // Set-up is done now: the page says so and points to sign-in.
    const other = await web.newPage();
    await other.goto("/setup");
    await other.getByRole("heading", { name: "Atelya is set up" }).waitFor();
    await expect(other.getByRole("link", { name: "Go to sign-in" }).isVisible()).resolves.toBe(
      true,
    );
  });

  it("signs out, refuses a wrong password in the server's words, and returns to `next`", async () => {
    const page = await web.newPage();
    await page.goto("/credits");
    await page.waitForURL(/\/sign-in\?next=%2Fcredits$/);
    await page.getByLabel("E-mail").waitFor();
    // No set-up link once an owner exists.
    await expect(page.getByRole("link", { name: "Set up Atelya" }).count()).resolves.toBe(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, "sign-in");
    await page.getByLabel("E-mail").fill(OWNER.email);
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").getByText("E-mail or password is wrong.").waitFor();
    await page.getByLabel("Password").fill(OWNER.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((u) => u.pathname === "/credits");
    await page.getByRole("heading", { name: "Credits", level: 1 }).waitFor();

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/sign-in$/);
    await page.getByLabel("E-mail").waitFor();
    // Signing out is not a session that ended under the person.
    await expect(page.getByText("Your session ended").count()).resolves.toBe(0);
    await page.goto("/");
    await page.waitForURL(/\/sign-in$/);
  });

  it("lets a new person accept an invite in their own browser and see the workspace", async () => {
    const owner = await web.newPage();
    await owner.goto("/sign-in");
    await owner.getByLabel("E-mail").fill(OWNER.email);
    await owner.getByLabel("Password").fill(OWNER.password);
    await owner.getByRole("button", { name: "Sign in" }).click();
    await owner.waitForURL((u) => u.pathname === "/");
    const { token } = await apiAs<{ token: string }>(owner, "POST", "/api/v1/invites", {
      email: "dana@northwind.test",
      role: "member",
    });

    const dana = await web.newPage({ viewport: { width: 390, height: 844 } });
    await dana.goto(`/invite/${token}`);
    await dana.getByRole("heading", { name: `Join ${OWNER.workspace_name}` }).waitFor();
    await expect(dana.getByText("dana@northwind.test", { exact: true }).isVisible()).resolves.toBe(
      true,
    );
    expect(await seriousA11yViolations(dana)).toEqual([]);
    await dana.getByLabel("Your name").fill("Dana Designer");
    await dana.getByLabel("Password", { exact: true }).fill("a long enough passphrase");
    await dana.getByLabel("Confirm password").fill("a long enough passphrase");
    await dana.getByRole("button", { name: "Create account and join" }).click();
    await dana.waitForURL((u) => u.pathname === "/");
    await dana.getByRole("heading", { name: "Workrooms", exact: true }).waitFor();
    await dana
      .getByText(OWNER.workspace_name, { exact: true })
      .filter({ visible: true })
      .first()
      .waitFor();
    // A member may create workrooms.
    await dana
      .getByRole("link", { name: "New workroom" })
      .filter({ visible: true })
      .first()
      .waitFor();

    // The link worked once.
    const late = await web.newPage();
    await late.goto(`/invite/${token}`);
    await late.getByText("This invite link has already been used.", { exact: false }).waitFor();
  });
});
