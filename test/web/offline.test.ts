// A phone that loses its network or its session, in a real browser (Chromium emulating a touch
// phone; offline is the browser's own offline mode, as when a phone goes into a tunnel): a write
// pressed offline fails at once in words and is never sent later by itself; the page says the
// connection is lost for as long as the phone is offline, then catches up live without a reload
// or a duplicate; a session that ended while the page was open (signed out elsewhere, expired)
// sends the person to sign-in, whether a stream or a button hears it first, and back afterwards.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { proposalRoom } from "../support/fixtures.js";
import { apiAs, OWNER, seedOwner, signIn, startWeb, type WebWorld } from "./support.js";

let web: WebWorld;
/** The owner at a desk, online throughout: arranges what the phone's tests need. */
let desk: Page;

beforeAll(async () => {
  web = await startWeb({ latencyMs: 40 });
  await seedOwner(web.url);
  desk = await web.newPage();
  await signIn(desk);
}, 60_000);
afterAll(() => web?.close());

interface RoomState {
  state: string;
  current_round: number;
}

/** Follows the room over the API until it rests in `state`. */
async function settled(id: string, state = "completed"): Promise<RoomState> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const room = await apiAs<RoomState>(desk, "GET", `/api/v1/workrooms/${id}`);
    if (room.state === state) return room;
    if (room.state === "failed" || Date.now() > deadline)
      throw new Error(`room ${id} is ${room.state}, not ${state}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function room(overrides: Parameters<typeof proposalRoom>[0] = {}): Promise<string> {
  const { id } = await apiAs<{ id: string }>(
    desk,
    "POST",
    "/api/v1/workrooms",
    proposalRoom(overrides),
  );
  await apiAs(desk, "POST", `/api/v1/workrooms/${id}/start`);
  return id;
}

/** The server's count of a room's history events (the Activity tab shows one line each). */
async function eventCount(id: string): Promise<number> {
  let count = 0;
  for (let after = 0; ;) {
    const page = await apiAs<{ events: unknown[]; has_more: boolean; next_after: number }>(
      desk,
      "GET",
      `/api/v1/workrooms/${id}/events?after=${after}&limit=200`,
    );
    count += page.events.length;
    if (!page.has_more) return count;
    after = page.next_after;
  }
}

async function phone(): Promise<Page> {
  const p = await web.newPage({ viewport: { width: 375, height: 667 }, phone: true });
  await signIn(p);
  return p;
}

const lostNotice = (p: Page) =>
  p.getByRole("status").filter({ hasText: "Connection lost — reconnecting…" });
const badge = (p: Page, label: string) =>
  p.getByRole("region", { name: "Status" }).getByText(label, { exact: true });

/** Ends the phone's session from outside, as signing out on another device does. */
async function endSessionElsewhere(p: Page) {
  const cookie = (await p.context().cookies()).find((c) => c.name === "atelya_session");
  if (!cookie) throw new Error("the phone has no session cookie");
  const headers = { cookie: `atelya_session=${cookie.value}` };
  const session = (await (await fetch(`${web.url}/api/v1/session`, { headers })).json()) as {
    csrf_token: string;
  };
  const res = await fetch(`${web.url}/api/v1/session`, {
    method: "DELETE",
    headers: { ...headers, "x-csrf-token": session.csrf_token },
  });
  if (res.status !== 204) throw new Error(`sign-out answered ${res.status}`);
}

describe("a phone that goes offline", () => {
  it("fails a revision pressed offline at once in words, keeps the instruction, and never sends it by itself", async () => {
    const id = await room({ title: "Tunnel" });
    await settled(id);
    const p = await phone();
    await p.goto(`/workrooms/${id}?tab=deliverable`);
    const revise = p
      .getByRole("tabpanel", { name: "Deliverable" })
      .getByRole("region", { name: "Revise" });
    await revise.getByLabel("Instruction").fill("Cut it down.");

    await p.context().setOffline(true);
    await revise.getByRole("button", { name: "Start round 2" }).tap();
    await revise
      .getByRole("alert")
      .getByText("Could not reach the Atelya server. Check your connection, then try again.")
      .waitFor();
    await expect(
      revise.getByRole("button", { name: "Start round 2" }).getAttribute("aria-busy"),
    ).resolves.not.toBe("true");
    await expect(revise.getByLabel("Instruction").inputValue()).resolves.toBe("Cut it down.");

    // Back online the page reads the room again; the revision was not sent behind the
    // person's back: no round 2 and nothing charged until they press again.
    const reread = p.waitForResponse(
      (r) => r.request().method() === "GET" && r.url().endsWith(`/api/v1/workrooms/${id}`),
    );
    await p.context().setOffline(false);
    await reread;
    await lostNotice(p).waitFor({ state: "detached" });
    await expect(apiAs<RoomState>(desk, "GET", `/api/v1/workrooms/${id}`)).resolves.toMatchObject({
      state: "completed",
      current_round: 1,
    });

    // Pressed again, online, it runs: one round, the one asked for.
    await revise.getByRole("button", { name: "Start round 2" }).tap();
    await p.getByText("Round 2 is ready.", { exact: true }).first().waitFor({ timeout: 30_000 });
    await expect(settled(id)).resolves.toMatchObject({ current_round: 2 });
  });

  it("says the connection is lost for as long as it is offline, then catches up live without a reload or a duplicate", async () => {
    const id = await room({ title: "Train ride", review_plan: true });
    await settled(id, "paused");
    const p = await phone();
    await p.goto(`/workrooms/${id}?tab=activity`);
    await p.getByRole("button", { name: "Approve plan and start" }).waitFor();
    const activity = p.getByRole("list", { name: "Activity" }).getByRole("listitem");
    await expect.poll(() => activity.count()).toBe(await eventCount(id));

    await p.context().setOffline(true);
    await lostNotice(p).waitFor();
    // The room stays on screen, tab and all, while the work goes on without the phone.
    await apiAs(desk, "POST", `/api/v1/workrooms/${id}/resume`);
    await settled(id);
    await expect(lostNotice(p).isVisible()).resolves.toBe(true);
    await expect(
      p.getByRole("heading", { level: 1, name: "Train ride" }).isVisible(),
    ).resolves.toBe(true);
    await expect(p.getByRole("tab", { name: "Activity", selected: true }).count()).resolves.toBe(1);

    await p.context().setOffline(false);
    await lostNotice(p).waitFor({ state: "detached" });
    await badge(p, "Completed").waitFor();
    const total = await eventCount(id);
    await expect.poll(() => activity.count()).toBe(total);

    // The stream is live again: a round started elsewhere shows up on the phone by itself.
    await apiAs(desk, "POST", `/api/v1/workrooms/${id}/revisions`, {
      preset_slug: "tighten",
      preset_args: { instruction: "Shorter." },
    });
    await settled(id);
    const after = await eventCount(id);
    expect(after).toBeGreaterThan(total);
    // One line per event: nothing the stream replayed after the outage shows twice.
    await expect.poll(() => activity.count()).toBe(after);
  });
});

describe("a session that ends while the page is open", () => {
  it("sends the person to sign-in when the stream is refused, and back to the same tab after", async () => {
    const id = await room({ title: "Overnight" });
    await settled(id);
    const p = await phone();
    await p.goto(`/workrooms/${id}?tab=activity`);
    await p.getByRole("list", { name: "Activity" }).waitFor();

    await endSessionElsewhere(p);
    // The server ends the stream when it next checks the session (every few seconds); the
    // browser's reconnect is then refused.
    await p.waitForURL(
      (u) =>
        u.pathname === "/sign-in" && u.searchParams.get("next") === `/workrooms/${id}?tab=activity`,
      { timeout: 30_000 },
    );
    await p.getByRole("status").getByText("Your session ended; sign in again.").waitFor();
    await expect(lostNotice(p).count()).resolves.toBe(0);

    await p.getByLabel("E-mail").fill(OWNER.email);
    await p.getByLabel("Password").fill(OWNER.password);
    await p.getByRole("button", { name: "Sign in" }).tap();
    await p.waitForURL((u) => u.pathname === `/workrooms/${id}` && u.search === "?tab=activity");
    await p.getByRole("tab", { name: "Activity", selected: true }).waitFor();
  });

  it("sends the person to sign-in when a button's request is refused for want of a session", async () => {
    const id = await room({ title: "Morning", review_plan: true });
    await settled(id, "paused");
    const p = await phone();
    // The streams never answer here, so it is the button's request that meets the ended session.
    await p.route(/\/stream(\?.*)?$/, () => {});
    await p.goto(`/workrooms/${id}`);
    const approve = p.getByRole("button", { name: "Approve plan and start" });
    await approve.waitFor();

    await endSessionElsewhere(p);
    await approve.tap();
    await p.waitForURL(
      (u) => u.pathname === "/sign-in" && u.searchParams.get("next") === `/workrooms/${id}`,
    );
    await p.getByRole("status").getByText("Your session ended; sign in again.").waitFor();
    await expect(apiAs<RoomState>(desk, "GET", `/api/v1/workrooms/${id}`)).resolves.toMatchObject({
      state: "paused",
    });
  });
});
