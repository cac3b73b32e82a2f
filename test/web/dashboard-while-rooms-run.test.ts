// An open dashboard while rooms run. It refetched the room lists, the inbox and the balance after
// every event of every room (grouped per animation frame only): with thirty rooms running, one tab
// sent a few requests a second, each reading the workspace's rooms, and slowed the server for
// everyone. It now refetches only what an event can change, at most every 2 s per query while
// events keep coming, and once more after the last, so the final state still shows.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { credits } from "../../src/domain/format.js";
import { apiAs, seedOwner, signIn, startWeb, type WebWorld } from "./support.js";

let web: WebWorld;
beforeAll(async () => {
  web = await startWeb({ latencyMs: 20 });
  await seedOwner(web.url);
});
afterAll(() => web?.close());

const ROOMS = 10;

describe("the dashboard while rooms run", () => {
  it("reads the room lists and the inbox far fewer times than events arrive, and shows where the rooms ended", async () => {
    const page = await web.newPage();
    await signIn(page);
    await page.goto("/");
    await page.getByText("No workrooms yet").waitFor();
    await page.getByText("Nothing needs you right now.").waitFor();

    // The reads the page makes from here on, by path.
    const reads = { lists: 0, inbox: 0 };
    page.on("request", (r) => {
      const path = new URL(r.url()).pathname;
      if (r.method() !== "GET") return;
      if (path === "/api/v1/workrooms") reads.lists++;
      if (path === "/api/v1/inbox") reads.inbox++;
    });

    const ids: string[] = [];
    for (let i = 0; i < ROOMS; i++) {
      const room = await apiAs<{ id: string }>(page, "POST", "/api/v1/workrooms", {
        title: `Recap ${i + 1}`,
        deliverables: ["Weekly recap"],
        inputs: [{ kind: "brief", content: `Recap week ${i + 1} for the client.` }],
      });
      ids.push(room.id);
    }
    for (const id of ids) await apiAs(page, "POST", `/api/v1/workrooms/${id}/start`);

    // Every room ends completed on the open dashboard, with what it cost.
    const settled: { title: string; credits_spent: number }[] = [];
    for (const id of ids) {
      const row = page.getByRole("listitem", { name: `Recap ${ids.indexOf(id) + 1}`, exact: true });
      await row.getByText("Completed").waitFor({ timeout: 60_000 });
      settled.push(await apiAs(page, "GET", `/api/v1/workrooms/${id}`));
    }
    for (const room of settled)
      await page
        .getByRole("listitem", { name: room.title, exact: true })
        .getByText(credits(room.credits_spent), { exact: true })
        .waitFor();

    let events = 0;
    for (const id of ids)
      events += (
        await apiAs<{ events: unknown[] }>(page, "GET", `/api/v1/workrooms/${id}/events?limit=1000`)
      ).events.length;
    // Each room's run is a few dozen events; the page read the lists and the inbox a handful of
    // times in all (it read them about once per event).
    expect(events).toBeGreaterThan(ROOMS * 10);
    expect({ ...reads, fewerThanEvents: reads.lists + reads.inbox < events / 5 }).toEqual({
      ...reads,
      fewerThanEvents: true,
    });
  });
});
