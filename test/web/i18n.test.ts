// The web app with clients in other scripts: Arabic, Japanese and Chinese names keep their own
// dashboard groups, Arabic reads right to left, graph labels fit their nodes whatever the script;
// and the activity says which day, and nothing pulses for someone who asked for less motion.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  apiAs,
  screenshot,
  SCREENSHOTS,
  seedOwner,
  signIn,
  startWeb,
  type WebWorld,
} from "./support.js";

let web: WebWorld;
let page: Page;

beforeAll(async () => {
  web = await startWeb({ latencyMs: 40 });
  await seedOwner(web.url);
  page = await web.newPage();
  await signIn(page);
}, 60_000);
afterAll(() => web?.close());

async function room(body: Record<string, unknown>): Promise<string> {
  const r = await apiAs<{ id: string }>(page, "POST", "/api/v1/workrooms", {
    deliverables: ["Recap"],
    inputs: [{ kind: "brief", content: "Recap the week for the client." }],
    ...body,
  });
  return r.id;
}

describe("the dashboard with clients in other scripts", () => {
  it("names each client's group after that client, whatever its script", async () => {
    const clients = {
      "شركة النور للتجارة": "عرض الربع الرابع",
      株式会社さくら: "春の提案書",
      龙腾科技有限公司: "年度总结",
      // Two Latin names that differ only in punctuation.
      "A&B Studio": "A&B recap",
      "A B Studio": "A B recap",
    };
    for (const [client, title] of Object.entries(clients)) await room({ client, title });
    await page.goto("/");
    for (const [client, title] of Object.entries(clients))
      await page
        .getByRole("region", { name: client, exact: true })
        .getByRole("link", { name: title })
        .waitFor();
  });
});

/** Follows the room over the API until it rests in `state` (the page follows the stream). */
async function settled(id: string, state = "completed"): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const r = await apiAs<{ state: string }>(page, "GET", `/api/v1/workrooms/${id}`);
    if (r.state === state) return;
    if (r.state === "failed" || Date.now() > deadline)
      throw new Error(`room ${id} is ${r.state}, not ${state}`);
    await new Promise((ok) => setTimeout(ok, 100));
  }
}

interface Direction {
  text: string;
  /** The direction the browser lays the element out in. */
  direction: string;
  /** The direction of its first letter: what a reader of that language expects. */
  expected: string;
}

/** For each element the selector finds: its laid-out direction, and its first letter's. */
function directions(p: Page, selector: string): Promise<Direction[]> {
  return p.evaluate(`[...document.querySelectorAll(${JSON.stringify(selector)})].map((e) => {
    // Its own words: as dir="auto" does, leave out what sits in an element of its own direction
    // (the screen reader's "[inserted: …]").
    const own = e.cloneNode(true);
    for (const d of own.querySelectorAll("[dir]")) d.remove();
    const text = e.tagName === "TEXTAREA" || e.tagName === "INPUT" ? e.value : own.textContent;
    const first = /\\p{L}/u.exec(text)?.[0] ?? "";
    return {
      text: text.slice(0, 40),
      direction: getComputedStyle(e).direction,
      expected: /[\\u0590-\\u08ff\\ufb1d-\\ufdff\\ufe70-\\ufeff]/u.test(first) ? "rtl" : "ltr",
    };
  })`);
}

function expectEachReadsItsOwnWay(found: Direction[], atLeast = 1) {
  expect(found.length).toBeGreaterThanOrEqual(atLeast);
  expect(found.filter((d) => d.direction !== d.expected)).toEqual([]);
}

describe("an Arabic client's workroom", () => {
  const TITLE = "عرض تقديمي لشركة النور — الربع الرابع ٢٠٢٧";
  const CLIENT = "شركة النور للتجارة";
  let id: string;

  beforeAll(async () => {
    id = await room({
      title: TITLE,
      client: CLIENT,
      deliverables: ["مقترح", "الجدول الزمني"],
      inputs: [
        {
          kind: "brief",
          label: "ملخص العميل",
          content:
            'تريد شركة النور حملة تسويقية جديدة للربع الرابع. Contact: Ahmed — deadline 2027-12-01.\nEnglish notes from the call: "Quality First" since 1995.',
        },
      ],
    });
    await apiAs(page, "POST", `/api/v1/workrooms/${id}/start`);
    await settled(id);
    // A new section written from an Arabic instruction: round 2 adds Arabic text.
    await apiAs(page, "POST", `/api/v1/workrooms/${id}/revisions`, {
      preset_slug: "add_section",
      preset_args: { section_title: "الخلاصة", instruction: "يرجى إضافة خلاصة قصيرة للعرض." },
    });
    await settled(id);
  }, 90_000);

  it("lays out the title, the inputs and the deliverable right to left where they are Arabic", async () => {
    await page.goto(`/workrooms/${id}?tab=inputs`);
    await page.getByRole("heading", { level: 1, name: TITLE }).waitFor();
    expectEachReadsItsOwnWay(await directions(page, "main h1"));
    // The client's name keeps to itself in the English line under the title.
    await expect(
      page
        .getByText(CLIENT, { exact: true })
        .evaluate((e) => (globalThis as unknown as Styled).getComputedStyle(e).unicodeBidi),
    ).resolves.toBe("isolate");

    // Each paragraph of a pasted block reads its own way: the Arabic one right to left, the
    // English note under it left to right.
    const text = page.getByLabel("Text of ملخص العميل");
    await text.waitFor();
    expect(
      await text.evaluate((e) => (globalThis as unknown as Styled).getComputedStyle(e).direction),
    ).toBe("rtl");
    expect(
      await text.evaluate((e) => (globalThis as unknown as Styled).getComputedStyle(e).unicodeBidi),
    ).toBe("plaintext");

    await page.getByRole("tab", { name: "Deliverable" }).click();
    const doc = page.getByRole("article", { name: "Deliverable, round 2" });
    await doc.waitFor();
    expectEachReadsItsOwnWay(
      await directions(
        page,
        "article h1, article h2, article h3, article p, article li, article th, article td",
      ),
      8,
    );
    // The title and the new section are Arabic: some of them are right to left.
    expect(
      (await directions(page, "article h1, article p")).some((d) => d.direction === "rtl"),
    ).toBe(true);
    await screenshot(page, "deliverable-arabic");
  });

  it("types Arabic right to left in the revision form", async () => {
    await page.goto(`/workrooms/${id}?tab=deliverable`);
    const revise = page.getByRole("region", { name: "Revise" });
    await revise.getByLabel("Instruction").fill("يرجى جعل العرض أقصر وأكثر رسمية.");
    expectEachReadsItsOwnWay(await directions(page, "textarea"));
  });

  it("shows an Arabic section added by a revision right to left, each change in its own direction", async () => {
    await page.goto(`/workrooms/${id}?tab=deliverable`);
    await page.getByRole("button", { name: "Changes", exact: true }).click();
    const changes = page.getByRole("region", { name: "Changes from round 1 to round 2" });
    const added = changes.getByRole("region", { name: "الخلاصة: added" });
    await added.waitFor();
    // The Arabic heading line right to left, the English line the scripted model wrote under it
    // left to right.
    const lines = await directions(page, '[aria-label="الخلاصة: added"] div[dir]');
    expectEachReadsItsOwnWay(lines, 2);
    expect(lines.map((l) => l.direction)).toContain("rtl");
    // Isolated and in the direction of its own first letter, as <bdi> is: an Arabic insertion
    // into an English sentence stays where it was made.
    for (const mark of await changes.locator("ins, del").all())
      expect(
        await mark.evaluate(
          (e) => (globalThis as unknown as Styled).getComputedStyle(e).unicodeBidi,
        ),
      ).toBe("plaintext");
    await screenshot(page, "revision-diff-arabic");
  });
});

/** The bits of the DOM the page-side callbacks use (the test tsconfig has no DOM types). */
interface Styled {
  getComputedStyle(e: unknown): { direction: string; unicodeBidi: string };
}

describe("the dependency graph with labels in other scripts", () => {
  it("keeps every label inside its node, whole characters only, the full words in its name", async () => {
    const id = await room({
      title: "Graph labels",
      deliverables: ["提案書と年間計画の付録", "abc👍🏽 Plan", "Cafe\u0301 menu"],
    });
    await apiAs(page, "POST", `/api/v1/workrooms/${id}/start`);
    await settled(id);
    await page.goto(`/workrooms/${id}?tab=plan`);
    const graph = page.getByRole("group", { name: "Dependency graph of the plan" });
    await graph.waitFor();
    const nodes = await page.evaluate<
      { name: string; lines: string[]; overflow: number; wellFormed: boolean }[]
    >(`[...document.querySelectorAll('svg [role="button"]')].map((g) => {
      const box = g.querySelectorAll("rect")[2].getBBox();
      const texts = [...g.querySelectorAll("text")];
      return {
        name: g.querySelector("title").textContent,
        lines: texts.map((t) => t.textContent),
        overflow: Math.max(...texts.map((t) => t.getBBox().x + t.getBBox().width - (box.x + box.width))),
        wellFormed: texts.every((t) => !/[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]/.test(t.textContent)),
      };
    })`);
    expect(nodes.length).toBeGreaterThan(1);
    for (const n of nodes) {
      expect(n, n.lines.join(" / ")).toMatchObject({ wellFormed: true });
      expect(n.overflow, n.lines.join(" / ")).toBeLessThan(0);
    }
    // The Composer's node is clipped; its name keeps the full words.
    const compose = nodes.find((n) => n.name.includes("Compose the 提案書と年間計画の付録"));
    expect(compose?.lines[0]).toMatch(/…$/);
    await graph.screenshot({ path: `${SCREENSHOTS}/plan-graph-wide-labels.png` });
  });
});

describe("the activity tab", () => {
  it("says which day an event was when it was not today", async () => {
    const id = await room({ title: "Activity days" });
    await apiAs(page, "POST", `/api/v1/workrooms/${id}/start`);
    await settled(id);
    const today = new Intl.DateTimeFormat("en", { dateStyle: "medium" }).format(new Date());
    const times = async (p: Page) => {
      await p.goto(`/workrooms/${id}?tab=activity`);
      const list = p.getByRole("list", { name: "Activity" });
      await list.waitFor();
      return list.locator("li time").allInnerTexts();
    };

    // Today: the time of day is enough.
    const now = await times(page);
    expect(now.length).toBeGreaterThan(2);
    for (const t of now) expect(t).not.toContain(today);

    // Three days later the same events carry their date.
    const later = await web.newPage();
    await signIn(later);
    await later.clock.setFixedTime(new Date(Date.now() + 3 * 86_400_000));
    for (const t of await times(later)) expect(t).toContain(today);
  });
});

describe("less motion", () => {
  /** Animations that never end (a pulsing dot), with what they run on. */
  const endless = (p: Page) =>
    p.evaluate<string[]>(`document.getAnimations()
      .filter((a) => a.effect?.getComputedTiming().endTime === Infinity)
      .map((a) => a.animationName + " on " + a.effect.target.getAttribute("class"))`);

  it("pulses nothing for someone who asked for reduced motion", async () => {
    const id = await room({ title: "Motion" });
    await apiAs(page, "POST", `/api/v1/workrooms/${id}/start`);
    await settled(id);
    // Seen mid-run: the room running and its first task too, however fast the scripted model is.
    const running = await web.newPage();
    await signIn(running);
    await running.route(`**/api/v1/workrooms/${id}`, async (route) => {
      const res = await route.fetch();
      const r = (await res.json()) as { state: string; tasks: { status: string }[] };
      r.state = "executing";
      r.tasks[0]!.status = "running";
      await route.fulfill({ response: res, json: r });
    });
    await running.goto(`/workrooms/${id}?tab=plan`);
    await running.getByRole("group", { name: "Dependency graph of the plan" }).waitFor();
    await running.getByText("Running", { exact: true }).first().waitFor();
    // The badge's dot, the task's and the graph node's pulse for everyone else...
    expect((await endless(running)).length).toBeGreaterThanOrEqual(3);

    // ...and stand still once reduced motion is asked for.
    await running.emulateMedia({ reducedMotion: "reduce" });
    await running.reload();
    await running.getByRole("group", { name: "Dependency graph of the plan" }).waitFor();
    await running.getByText("Running", { exact: true }).first().waitFor();
    expect(await endless(running)).toEqual([]);
  });
});
