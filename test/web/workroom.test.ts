// The workroom page in a real browser against a real `atelya serve` (scripted model, 150 ms a
// call): a room started from the page shows its tasks changing live in the list and the graph
// until it completes; a room with plan review waits for "Approve plan and start"; pause and
// resume; cancel asks first, with counts that follow the running room, and closing the question
// gives focus back to Cancel; a viewer sees no controls; a page that missed a change shows the
// API's 409 where the click happened; a server out of reach keeps the room on screen; an unknown
// room is a clear not-found.
import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { proposalRoom } from "../support/fixtures.js";
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
  focusInMain,
} from "./support.js";

let web: WebWorld;
let page: Page;
beforeAll(async () => {
  web = await startWeb({ latencyMs: 150 });
  await seedOwner(web.url);
  page = await web.newPage();
  await signIn(page);
}, 60_000);
afterAll(() => web?.close());

const createRoom = (p: Page, overrides: Parameters<typeof proposalRoom>[0] = {}) =>
  apiAs<{ id: string }>(
    p,
    "POST",
    "/api/v1/workrooms",
    proposalRoom({ deadline: "2030-01-31", max_credits: 5000, ...overrides }),
  );

const graphNode = (p: Page, title: string) =>
  p
    .getByRole("group", { name: "Dependency graph of the plan" })
    .getByRole("button", { name: new RegExp(`^\\d+\\. ${title}:`) });
const taskRow = (p: Page, title: string) =>
  p.getByRole("list", { name: "Tasks" }).getByRole("listitem", { name: new RegExp(`: ${title}$`) });
/** Toasts fade by themselves; axe looks at the page once they have. */
const noToasts = (p: Page) =>
  p.locator("[data-sonner-toast]").first().waitFor({ state: "detached", timeout: 15_000 });
const state = (p: Page) => p.getByRole("region", { name: "Status" });
const badge = (p: Page, label: string) => state(p).getByText(label, { exact: true });

describe("the workroom page", () => {
  it("starts a room and shows its tasks changing live in the list and the graph until it completes", async () => {
    const { id } = await createRoom(page);
    await page.goto(`/workrooms/${id}`);
    await page.getByRole("heading", { name: "Aurora Coffee — Q4 Proposal" }).waitFor();
    await badge(page, "Draft").waitFor();
    await state(page).getByText("of 5,000 credits cap").waitFor();
    await page.getByText("No plan yet").waitFor();

    await page.getByRole("button", { name: "Start" }).click();
    // The plan arrives over the stream; a task is seen running, in the graph and the list.
    await Promise.all([
      page.locator('g[data-status="running"]').first().waitFor(),
      page.getByRole("list", { name: "Tasks" }).getByText("Running").first().waitFor(),
    ]);
    await screenshot(page, "workroom-mid-run");

    await badge(page, "Completed").waitFor({ timeout: 30_000 });
    await graphNode(page, "Pricing").and(page.locator('[data-status="succeeded"]')).waitFor();
    await page
      .getByRole("button", { name: "2. Pricing: Done, Composer. Depends on task 1.", exact: true })
      .waitFor();
    await taskRow(page, "Pricing").getByText("Done").waitFor();
    await expect(page.locator('g[data-status="succeeded"]').count()).resolves.toBe(6);
    await noToasts(page);
    expect(await seriousA11yViolations(page)).toEqual([]);

    // A node opens its task's output in the list, and focus goes there.
    await graphNode(page, "Pricing").focus();
    await page.keyboard.press("Enter");
    await taskRow(page, "Pricing").getByRole("heading", { name: "Pricing" }).first().waitFor();
    await expect.poll(() => focused(page)).toMatch(/^DIV Output of Pricing$/);
    await expect(
      taskRow(page, "Pricing")
        .getByRole("button", { name: /Hide output/ })
        .isVisible(),
    ).resolves.toBe(true);

    await page.getByRole("tab", { name: "Activity" }).click();
    const activity = page.getByRole("list", { name: "Activity" });
    await activity.getByText(/^Task 'Pricing' finished — \d+ credits?$/).waitFor();
    await activity
      .getByText(/^Model call for 'Pricing' .* tokens in, .* out · \d+ credits? · \d+\.\d s$/)
      .waitFor();
    await activity.getByText(/^Draft → Planning by Olive Owner/).waitFor();
    await screenshot(page, "workroom-activity");
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.getByRole("tab", { name: "Inputs" }).click();
    await page.getByRole("heading", { name: "Kick-off notes" }).waitFor();
  });

  it("shows the plan of a review_plan room and starts the work when the plan is approved", async () => {
    const { id } = await createRoom(page, { title: "Plan review", review_plan: true });
    await apiAs(page, "POST", `/api/v1/workrooms/${id}/start`);
    await page.goto(`/workrooms/${id}`);
    await state(page).getByText("The plan is ready for review").waitFor();
    await taskRow(page, "Scope").getByText("Pending").waitFor();
    await graphNode(page, "Risks").waitFor();
    await page.getByRole("button", { name: "Approve plan and start" }).click();
    await badge(page, "Completed").waitFor({ timeout: 30_000 });
    await expect(
      page.getByRole("button", { name: "Approve plan and start" }).count(),
    ).resolves.toBe(0);
  });

  it("keeps keyboard focus in the page when a room opens and when Start or Approve is pressed", async () => {
    // A title of its own, so that a second try finds its own room on the dashboard.
    const title = `Keyboard only ${Date.now().toString(36)}`;
    const { id } = await createRoom(page, { title, review_plan: true });
    await page.goto("/");
    // A room opened from the dashboard with Enter: focus moves to the new page's heading.
    await page.getByRole("link", { name: title }).focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(new RegExp(`/workrooms/${id}$`));
    await expect.poll(() => focused(page)).toBe(`H1 ${title}`);

    // Start gives way to Pause and the plan: focus goes to the room's heading, not <body>.
    await page.getByRole("button", { name: "Start", exact: true }).focus();
    await page.keyboard.press("Enter");
    await state(page).getByText("The plan is ready for review").waitFor();
    await expect.poll(() => focused(page)).toBe(`H1 ${title}`);
    // The next Tab goes on from there, not from "Skip to content".
    await page.keyboard.press("Tab");
    await expect(focusInMain(page)).resolves.toBe(true);

    await page.getByRole("button", { name: "Approve plan and start" }).focus();
    await page.keyboard.press("Enter");
    await page
      .getByRole("button", { name: "Approve plan and start" })
      .waitFor({ state: "detached" });
    await expect.poll(() => focused(page)).toBe(`H1 ${title}`);
    await badge(page, "Completed").waitFor({ timeout: 30_000 });

    // "Skip to content" lands in the page: the next Tab is the page's first control.
    await page.reload();
    // The room's heading (the deliverable below it has the same title, as an h2).
    await page.getByRole("heading", { level: 1, name: title }).waitFor();
    await page.keyboard.press("Tab");
    await expect(focused(page)).resolves.toBe("A Skip to content");
    await page.keyboard.press("Enter");
    await expect.poll(() => focused(page)).toMatch(/^MAIN /);
    await page.keyboard.press("Tab");
    await expect(focused(page)).resolves.toBe("A Workrooms");
    await expect(focusInMain(page)).resolves.toBe(true);
  });

  it("tells a screen reader how the room moves on, in a polite log: states, the plan to approve, tasks done", async () => {
    const { id } = await createRoom(page, { title: "Heard", review_plan: true });
    await page.goto(`/workrooms/${id}`);
    const log = page.getByRole("log", { name: "Workroom updates" });
    await expect(log.getAttribute("aria-live")).resolves.toBe("polite");
    // Every line the log gains, as a screen reader would be handed it.
    await page.evaluate(`{
      const heard = (window.heard = []);
      const log = document.querySelector('[role="log"][aria-label="Workroom updates"]');
      new MutationObserver((changes) => {
        for (const c of changes) for (const n of c.addedNodes) heard.push(n.textContent);
      }).observe(log, { childList: true });
    }`);
    const heard = () => page.evaluate<string[]>("window.heard");

    await page.getByRole("button", { name: "Start", exact: true }).click();
    await expect
      .poll(heard)
      .toContain(
        "The plan is ready for review. Read it below, then approve it to start the work — no credits are spent on tasks until then.",
      );
    await page.getByRole("button", { name: "Approve plan and start" }).click();
    await badge(page, "Completed").waitFor({ timeout: 30_000 });
    await expect
      .poll(async () => (await heard()).join(" "))
      .toContain("Completed: the deliverable is ready (round 1).");

    const lines = await heard();
    expect(lines[0]).toBe("Started: the Planner is writing the plan.");
    expect(lines).toContain("Plan approved: the agents are working on its 6 tasks.");
    // Each task's finish is said once, by number (several that finish together share a line).
    const done = lines.flatMap((l) => {
      const m = /^Tasks? ([\d, and]+) of 6 done: /.exec(l);
      return m ? m[1]!.split(/, | and /).map(Number) : [];
    });
    expect(done.sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(lines.join(" ")).toMatch(/Tasks? [^.]*\b2\b[^.]* of 6 done: [^.]*Pricing/);
    // A line a change, not one per model call or token.
    expect(lines.length).toBeLessThanOrEqual(12);

    // A room that stops on its credit cap says so, and what to do.
    const capped = await createRoom(page, { title: "Capped", max_credits: 1 });
    await page.goto(`/workrooms/${capped.id}`);
    await page.getByRole("button", { name: "Start", exact: true }).click();
    await log
      .getByText(
        "Paused: the next model call would cross this room's credit cap. Raise the cap, then resume.",
      )
      .waitFor();
  });

  it("pauses and resumes a running room", async () => {
    const { id } = await createRoom(page, { title: "Pause me" });
    await page.goto(`/workrooms/${id}`);
    await page.getByRole("button", { name: "Start" }).click();
    await page.getByRole("button", { name: "Pause" }).click();
    await state(page).getByText("Paused by a person").waitFor();
    await page.getByRole("button", { name: "Resume" }).waitFor();
    await expect(page.getByRole("button", { name: "Pause" }).count()).resolves.toBe(0);
    // The cap can be raised while paused.
    await state(page).getByRole("button", { name: "Change cap" }).click();
    const cap = page.getByRole("dialog", { name: "Credit cap" });
    await cap.getByLabel("Maximum credits").fill("9000");
    await cap.getByRole("button", { name: "Save cap" }).click();
    await cap.waitFor({ state: "detached" });
    await state(page).getByText("of 9,000 credits cap").waitFor();
    await page.getByRole("button", { name: "Resume" }).click();
    await badge(page, "Completed").waitFor({ timeout: 30_000 });
  });

  it("says when a room a provider rate-limited resumes by itself, and goes on by itself then", async () => {
    const { id } = await createRoom(page, { title: "Rate-limited" });
    // As the engine leaves a room whose plan call got a 429 asking to wait: paused until then.
    const resumeAt = Date.now() + 4_000;
    const db = new SqliteDatabase(join(web.dataDir, "atelya.db"));
    try {
      db.prepare(
        "update workrooms set state = 'paused', paused_from = 'planning', pause_reason = 'rate_limited', resume_at = ? where id = ?",
      ).run(resumeAt, id);
    } finally {
      db.close();
    }
    await page.goto(`/workrooms/${id}`);
    const note = state(page).getByRole("status");
    await note
      .getByText(
        /^Paused: the model provider rate-limited this room and asked to wait\. Resumes by itself at \d{1,2}:\d{2}:\d{2}\s?[AP]M; resumed sooner, the call still waits until then\.$/,
      )
      .waitFor();
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);
    // Nobody presses Resume: the server's worker resumes the room once the time has come.
    await badge(page, "Completed").waitFor({ timeout: 30_000 });
  });

  it("counts the cancel dialog's tasks from the live room while it is open", async () => {
    const { id } = await createRoom(page, { title: "Live counts" });
    await page.goto(`/workrooms/${id}`);
    // What the dialog says about finished tasks, every time the page changes (the room runs for
    // about a second, then completes and takes the dialog away).
    await page.evaluate(`{
      const said = (window.said = []);
      new MutationObserver(() => {
        const m = /The \\d+ finished tasks? stays? readable/.exec(
          document.querySelector('[role="dialog"]')?.textContent ?? "",
        );
        if (m && said.at(-1) !== m[0]) said.push(m[0]);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    }`);
    await page.getByRole("button", { name: "Start" }).click();
    await page.getByRole("button", { name: "Cancel", exact: true }).click();
    await page
      .getByRole("dialog", { name: "Cancel this workroom?" })
      .getByText(/will never run/)
      .waitFor();
    await badge(page, "Completed").waitFor({ timeout: 30_000 });
    const said = await page.evaluate<string[]>("window.said");
    expect(said.length).toBeGreaterThan(0);
    for (const s of said)
      expect(s).toMatch(
        /^The (1 finished task stays|([02-9]|\d\d+) finished tasks stay) readable$/,
      );
  });

  it("asks before cancelling, and a page that missed it shows the API's 409 where the click happened", async () => {
    const { id } = await createRoom(page, { title: "Two people", review_plan: true });
    await apiAs(page, "POST", `/api/v1/workrooms/${id}/start`);
    // A second person whose page has lost its live connection (so it still shows the old state).
    const stale = await web.newPage();
    await signIn(stale);
    await stale.route(/\/stream$/, (route) => route.abort());
    await stale.goto(`/workrooms/${id}`);
    await stale.getByRole("button", { name: "Approve plan and start" }).waitFor();

    await page.goto(`/workrooms/${id}`);
    await page.getByRole("button", { name: "Cancel" }).click();
    const dialog = page.getByRole("dialog", { name: "Cancel this workroom?" });
    await dialog.getByText(/cannot be resumed or replanned/).waitFor();
    await dialog.getByRole("button", { name: "Keep working" }).click();
    await dialog.waitFor({ state: "detached" });
    await expect(
      page
        .getByRole("button", { name: "Cancel", exact: true })
        .evaluate((b) => b === b.ownerDocument.activeElement),
    ).resolves.toBe(true);
    await badge(page, "Paused").waitFor();
    await page.getByRole("button", { name: "Cancel" }).click();
    await dialog.getByRole("button", { name: "Cancel workroom" }).click();
    await badge(page, "Cancelled").waitFor();
    await expect(page.getByRole("group", { name: "Workroom controls" }).count()).resolves.toBe(0);

    await stale.getByRole("button", { name: "Approve plan and start" }).click();
    await stale
      .getByRole("alert")
      .getByText("Cannot resume a workroom that is cancelled: only a paused room can resume")
      .waitFor();
  });

  it("keeps the room and the open tab on screen while the server cannot be reached, and catches up; the tab is in the address", async () => {
    const { id } = await createRoom(page, { title: "Outage", review_plan: true });
    await apiAs(page, "POST", `/api/v1/workrooms/${id}/start`);
    await page.goto(`/workrooms/${id}`);
    await badge(page, "Paused").waitFor();
    const entries = await page.evaluate<number>("history.length");
    await page.getByRole("tab", { name: "Inputs" }).click();
    await page.waitForURL((u) => u.search === "?tab=inputs");
    // The room's reads fail as if the server were gone; a change arrives over the stream.
    const detail = new RegExp(`/api/v1/workrooms/${id}$`);
    await page.route(detail, (route) => route.abort("connectionrefused"));
    await apiAs(page, "POST", `/api/v1/workrooms/${id}/cancel`);
    const notice = page.getByRole("status").filter({ hasText: "Connection lost — reconnecting…" });
    await notice.waitFor();
    await expect(page.getByRole("heading", { name: "Outage" }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole("tab", { name: "Inputs", selected: true }).count()).resolves.toBe(
      1,
    );
    await expect(page.getByText("could not be loaded").count()).resolves.toBe(0);

    await page.unroute(detail);
    await badge(page, "Cancelled").waitFor();
    await notice.waitFor({ state: "detached" });
    await expect(page.getByRole("tab", { name: "Inputs", selected: true }).count()).resolves.toBe(
      1,
    );

    // The tab is in the address: a reload opens it; switching tabs adds no history entries, and
    // the room's usual tab keeps the address clean.
    await page.reload();
    await page.getByRole("tab", { name: "Inputs", selected: true }).waitFor();
    await page.getByRole("tab", { name: "Activity" }).click();
    await page.waitForURL((u) => u.search === "?tab=activity");
    await page.getByRole("tab", { name: "Plan" }).click();
    await page.waitForURL((u) => u.search === "");
    await expect(page.evaluate<number>("history.length")).resolves.toBe(entries);
  });

  it("shows a viewer the room without Start, Pause or Cancel", async () => {
    const { id } = await createRoom(page, { title: "Read only" });
    const viewer = await addPerson(web, page, {
      email: "vera@northwind.test",
      name: "Vera Viewer",
      role: "viewer",
    });
    const p = await pageAs(web, viewer);
    await p.goto(`/workrooms/${id}`);
    await p.getByRole("heading", { name: "Read only" }).waitFor();
    await badge(p, "Draft").waitFor();
    for (const name of ["Start", "Pause", "Resume", "Replan", "Cancel"])
      await expect(p.getByRole("button", { name, exact: true }).count()).resolves.toBe(0);
  });

  it("fits a phone, and says plainly when a room does not exist", async () => {
    const { id } = await createRoom(page, { title: "On the go" });
    await apiAs(page, "POST", `/api/v1/workrooms/${id}/start`);
    const phone = await web.newPage({ viewport: { width: 390, height: 844 } });
    await signIn(phone);
    await phone.goto(`/workrooms/${id}`);
    await phone.getByRole("heading", { name: "On the go" }).first().waitFor();
    await badge(phone, "Completed").waitFor({ timeout: 30_000 });
    await screenshot(phone, "workroom-phone");
    const overflow = await horizontalOverflow(phone);
    expect(overflow).toBeLessThanOrEqual(0);

    await phone.goto("/workrooms/wr_does_not_exist");
    await phone.getByRole("heading", { name: "Workroom not found" }).waitFor();
    await phone.getByText(/may belong to another workspace/).waitFor();
  });
});
