// The pure parts of webhooks: event mapping, the three formats, signatures and the retry schedule.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import {
  MAX_DELIVERY_ATTEMPTS,
  WebhookCreateSchema,
  retryDelayMs,
  retryWindowMs,
  webhookEventFor,
  type WebhookEnvelope,
} from "../../src/domain/webhooks.js";
import {
  renderBody,
  renderTemplate,
  slackMessage,
  templateProblems,
} from "../../src/domain/webhook-formats.js";
import { signBody, verifySignature } from "../../src/integrations/webhooks/signature.js";

const envelope = (over: Partial<WebhookEnvelope> = {}): WebhookEnvelope => ({
  id: "dlv_1",
  type: "workroom.completed",
  created_at: "2026-03-01T10:00:00.000Z",
  workspace_id: "ws_1",
  data: {
    workroom: { id: "room_1", title: 'Aurora <Q4> "Proposal"', client: "Aurora & Co" },
    actor: "engine",
    reason: "Deliverable composed (round 1)",
  },
  ...over,
});

describe("webhook events", () => {
  it("maps the history events that matter and nothing else", () => {
    const sc = (data: Record<string, unknown>) => ({ type: "state.changed", data });
    expect(webhookEventFor(sc({ to: "completed", command: "composed" }))).toBe(
      "workroom.completed",
    );
    expect(webhookEventFor(sc({ to: "failed", command: "fail" }))).toBe("workroom.failed");
    expect(webhookEventFor(sc({ to: "completed", command: "revision_completed" }))).toBe(
      "revision.completed",
    );
    expect(webhookEventFor(sc({ to: "completed", command: "revision_failed" }))).toBeNull();
    expect(webhookEventFor(sc({ to: "executing", command: "plan_accepted" }))).toBeNull();
    expect(webhookEventFor({ type: "approval.requested", data: {} })).toBe("approval.requested");
    expect(webhookEventFor({ type: "question.asked", data: {} })).toBe("question.asked");
    expect(webhookEventFor({ type: "revision.requested", data: {} })).toBe("revision.requested");
    expect(webhookEventFor({ type: "deliverable.exported", data: {} })).toBe(
      "deliverable.exported",
    );
    expect(webhookEventFor({ type: "budget.threshold_crossed", data: {} })).toBe(
      "credits.threshold_crossed",
    );
    for (const t of ["task.started", "task.succeeded", "model.call", "plan.created"])
      expect(webhookEventFor({ type: t, data: {} })).toBeNull();
  });

  it("accepts http and https URLs only", () => {
    const base = { name: "n", events: ["workroom.completed"] };
    expect(WebhookCreateSchema.safeParse({ ...base, url: "https://x.test/h" }).success).toBe(true);
    expect(WebhookCreateSchema.safeParse({ ...base, url: "http://127.0.0.1:9/h" }).success).toBe(
      true,
    );
    for (const url of ["ftp://x.test/", "javascript:alert(1)", "file:///etc/passwd", "x"])
      expect(WebhookCreateSchema.safeParse({ ...base, url }).success).toBe(false);
    for (const url of [
      "https://user:pw@x.test/h",
      "https://user@x.test/h",
      "https://:pw@x.test/",
    ]) {
      const refused = WebhookCreateSchema.safeParse({ ...base, url });
      expect(refused.error?.issues.map((i) => i.message)).toEqual([
        expect.stringContaining("user name or password"),
      ]);
    }
    expect(WebhookCreateSchema.safeParse({ ...base, url: "https://x", events: [] }).success).toBe(
      false,
    );
    expect(
      WebhookCreateSchema.safeParse({ ...base, url: "https://x", events: ["task.started"] })
        .success,
    ).toBe(false);
  });
});

describe("generic format", () => {
  it("sends the envelope as JSON", () => {
    const r = renderBody("generic", envelope());
    expect(JSON.parse(r.body)).toEqual(envelope());
    expect(r.contentType).toMatch(/^application\/json/);
  });
});

describe("slack format", () => {
  it("says what happened with the room title linked to the room", () => {
    const m = slackMessage(envelope(), { publicBaseUrl: "https://atelya.example/" });
    expect(m.text).toBe('Workroom "Aurora <Q4> "Proposal"" completed: the deliverable is ready.');
    const section = m.blocks[0] as { text: { text: string } };
    expect(section.text.text).toBe(
      'Workroom *<https://atelya.example/workrooms/room_1|Aurora &lt;Q4&gt; "Proposal">* completed: the deliverable is ready.',
    );
    const context = m.blocks[1] as { elements: { text: string }[] };
    expect(context.elements[0]!.text).toBe(
      "workroom.completed · client Aurora &amp; Co · 2026-03-01T10:00:00.000Z",
    );
  });

  it("bolds the title without a link when no public URL is configured", () => {
    const section = slackMessage(envelope()).blocks[0] as { text: { text: string } };
    expect(section.text.text).toBe(
      'Workroom *Aurora &lt;Q4&gt; "Proposal"* completed: the deliverable is ready.',
    );
  });

  it("keeps a title with $ signs as written, linked or not", () => {
    const title = "Pricing: save $$ with $' bundles ($& $`)";
    const room = { id: "room_1", title, client: null };
    const e = envelope({ data: { ...envelope().data, workroom: room } });
    const shown = title.replace("&", "&amp;"); // Slack's escaping
    const bold = slackMessage(e).blocks[0] as { text: { text: string } };
    expect(bold.text.text).toBe(`Workroom *${shown}* completed: the deliverable is ready.`);
    const linked = slackMessage(e, { publicBaseUrl: "https://a.example" }).blocks[0] as {
      text: { text: string };
    };
    expect(linked.text.text).toBe(
      `Workroom *<https://a.example/workrooms/room_1|${shown}>* completed: the deliverable is ready.`,
    );
  });

  it("has a sentence for every event", () => {
    const cases: [WebhookEnvelope["type"], Record<string, unknown>, string][] = [
      ["workroom.failed", { failure_reason: "model down" }, "failed: model down"],
      ["approval.requested", { title: "Check pricing" }, "waits for approval: Check pricing"],
      ["question.asked", { question: "Budget?" }, "has a question: Budget?"],
      ["revision.requested", { round: 2, preset: "shorten" }, "round 2 of"],
      [
        "revision.completed",
        { reason: "Revision round 2 completed" },
        "Revision round 2 completed.",
      ],
      ["deliverable.exported", { round: 1, filename: "a-v1.pdf" }, "exported as a-v1.pdf"],
      [
        "credits.threshold_crossed",
        { scope: "workspace", used: 80, limit: 100 },
        "used 80 of its 100",
      ],
      [
        "credits.threshold_crossed",
        { scope: "workroom", spent: 8, limit: 10 },
        "spent 8 of its 10-credit cap",
      ],
      ["webhook.test", {}, "Test delivery"],
    ];
    for (const [type, data, text] of cases)
      expect(
        slackMessage(envelope({ type, data: { ...envelope().data, ...data } })).text,
      ).toContain(text);
  });
});

describe("custom format", () => {
  const template =
    '{"kind": "{{event.type}}", "room": "{{ workroom.title }}", "url": "{{workroom.url}}", "data": {{event.data}}}';

  it("substitutes placeholders JSON-escaped, so quotes in a title keep the body valid JSON", () => {
    const r = renderBody("custom", envelope(), { template, publicBaseUrl: "https://a.example" });
    expect(r.contentType).toMatch(/^application\/json/);
    const body = JSON.parse(r.body) as Record<string, unknown>;
    expect(body).toEqual({
      kind: "workroom.completed",
      room: 'Aurora <Q4> "Proposal"',
      url: "https://a.example/workrooms/room_1",
      data: envelope().data,
    });
  });

  it("sends a template that is not JSON as plain text", () => {
    const r = renderBody("custom", envelope(), { template: "{{event.summary}}" });
    expect(r.contentType).toMatch(/^text\/plain/);
    expect(r.body).toBe(
      'Workroom \\"Aurora <Q4> \\"Proposal\\"\\" completed: the deliverable is ready.',
    );
  });

  it("refuses unknown placeholders and an empty template at save time", () => {
    expect(templateProblems(template)).toEqual([]);
    expect(templateProblems('{"x": "{{workroom.name}}"}')[0]).toMatch(
      /unknown placeholder \{\{workroom.name\}\}/,
    );
    expect(templateProblems("")).toEqual(["a custom webhook needs a template"]);
    expect(renderTemplate("{{nope}}", envelope())).toBe("{{nope}}");
  });
});

describe("signature", () => {
  const now = new Date("2026-03-01T10:00:00Z");
  const ts = Math.floor(now.getTime() / 1000);
  const body = '{"a":1}';

  it("verifies the signature of the exact body and refuses a tampered one", () => {
    const sig = signBody("whsec_x", ts, body);
    expect(sig).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifySignature("whsec_x", String(ts), body, sig, now)).toBe(true);
    expect(verifySignature("whsec_x", ts, Buffer.from(body), sig, now)).toBe(true);
    expect(verifySignature("whsec_x", ts, '{"a":2}', sig, now)).toBe(false);
    expect(verifySignature("whsec_y", ts, body, sig, now)).toBe(false);
    expect(verifySignature("whsec_x", ts + 1, body, sig, now)).toBe(false);
    expect(verifySignature("whsec_x", ts, body, "sha256=00", now)).toBe(false);
  });

  it("refuses a timestamp outside the tolerance", () => {
    const old = ts - 301;
    const sig = signBody("whsec_x", old, body);
    expect(verifySignature("whsec_x", old, body, sig, now)).toBe(false);
    expect(verifySignature("whsec_x", old, body, sig, now, 600)).toBe(true);
    expect(verifySignature("whsec_x", "abc", body, sig, now)).toBe(false);
  });
});

describe("retry schedule", () => {
  it("backs off exponentially with ±20 % jitter and stops after the last attempt", () => {
    expect(retryDelayMs(1, 0.5)).toBe(10_000);
    expect(retryDelayMs(2, 0.5)).toBe(30_000);
    expect(retryDelayMs(3, 0.5)).toBe(120_000);
    expect(retryDelayMs(4, 0.5)).toBe(600_000);
    expect(retryWindowMs(1)).toEqual({ min: 8_000, max: 12_000 });
    expect(retryDelayMs(7, 0.5)).toBe(21_600_000);
    expect(retryDelayMs(MAX_DELIVERY_ATTEMPTS, 0.5)).toBeNull();
    for (let a = 1; a < MAX_DELIVERY_ATTEMPTS - 1; a++)
      expect(retryDelayMs(a + 1, 0)!).toBeGreaterThan(retryDelayMs(a, 1)!);
  });
});

describe("the receiver snippet in docs/webhooks.md", () => {
  it("verifies what Atelya signs and refuses a tampered body", async () => {
    const doc = readFileSync(new URL("../../docs/webhooks.md", import.meta.url), "utf8");
    const code = /```js\n([\s\S]*?)```/.exec(doc)![1]!;
    const dir = mkdtempSync(join(tmpdir(), "atelya-doc-"));
    const file = join(dir, "verify.mjs");
    writeFileSync(file, code);
    const { verifySignature: fromDocs } = (await import(pathToFileURL(file).href)) as {
      verifySignature: typeof verifySignature;
    };
    const now = new Date("2026-03-01T10:00:00Z");
    const ts = Math.floor(now.getTime() / 1000);
    const body = Buffer.from('{"id":"dlv_1","title":"Café"}');
    const sig = signBody("whsec_doc", ts, body);
    expect(fromDocs("whsec_doc", String(ts), body, sig, now)).toBe(true);
    expect(fromDocs("whsec_doc", String(ts), Buffer.from('{"id":"dlv_2"}'), sig, now)).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });
});
