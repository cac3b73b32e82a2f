// The webhook routes over HTTP (Fastify inject) with API keys: owners and admins manage webhooks,
// members get 403, another workspace's webhook is 404, bad URLs and templates are 400.
import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { createApiKey } from "../../src/app/api-keys.js";
import { createWorkspace } from "../../src/app/workspaces.js";
import { getWebhook } from "../../src/app/webhooks.js";
import { buildServer } from "../../src/server/app.js";
import { serverConfig } from "../../src/server/config.js";
import { actorOf, addPerson, setupAgency } from "../support/accounts.js";
import { DIALECTS } from "../support/databases.js";
import { startHarness, type Harness } from "../support/harness.js";

describe.each(DIALECTS)("webhook routes on %s", (dialect) => {
  let h: Harness;
  let app: FastifyInstance;
  afterEach(async () => {
    await app?.close();
    await h?.close();
  });

  async function start() {
    h = await startHarness(dialect, { worker: false });
    const deps = h.runtime.deps;
    app = await buildServer({ deps, config: serverConfig({ logLevel: "silent" }) });
    const { owner } = await setupAgency(deps);
    const member = await addPerson(deps, owner, "member");
    const ownerKey = (await createApiKey(deps, owner, { name: "ci" })).key;
    const memberKey = (await createApiKey(deps, member.actor, { name: "mine" })).key;
    const call = (key: string, method: string, url: string, body?: unknown) =>
      app.inject({
        method: method as "GET",
        url,
        headers: { authorization: `Bearer ${key}` },
        ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
      });
    return { deps, owner, ownerKey, memberKey, call };
  }

  it("creates, lists, updates, tests, rotates and deletes a webhook", async () => {
    const { ownerKey, call } = await start();
    const created = await call(ownerKey, "POST", "/api/v1/webhooks", {
      name: "Slack #delivery",
      url: "https://hooks.slack.example/T1/B2",
      format: "slack",
      events: ["workroom.completed", "approval.requested"],
    });
    expect(created.statusCode, created.body).toBe(201);
    const { webhook, secret } = created.json<{
      webhook: { id: string; events: string[]; active: boolean };
      secret: string;
    }>();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(webhook).toMatchObject({ events: ["workroom.completed", "approval.requested"] });

    const listed = await call(ownerKey, "GET", "/api/v1/webhooks");
    expect(listed.json()).toEqual({ webhooks: [webhook] });
    expect(listed.body).not.toContain(secret);

    const patched = await call(ownerKey, "PATCH", `/api/v1/webhooks/${webhook.id}`, {
      active: false,
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ active: false });

    const test = await call(ownerKey, "POST", `/api/v1/webhooks/${webhook.id}/test`);
    expect(test.statusCode).toBe(202);
    const { delivery_id } = test.json<{ delivery_id: string }>();
    const log = await call(ownerKey, "GET", `/api/v1/webhooks/${webhook.id}/deliveries?limit=10`);
    expect(log.json()).toMatchObject({
      deliveries: [{ id: delivery_id, event_type: "webhook.test", status: "pending", attempts: 0 }],
      next: null,
    });
    const early = await call(
      ownerKey,
      "POST",
      `/api/v1/webhooks/${webhook.id}/deliveries/${delivery_id}/redeliver`,
    );
    expect(early.statusCode).toBe(409);

    const rotated = await call(ownerKey, "POST", `/api/v1/webhooks/${webhook.id}/rotate-secret`);
    expect(rotated.statusCode).toBe(200);
    expect(rotated.json<{ secret: string }>().secret).not.toBe(secret);

    expect((await call(ownerKey, "DELETE", `/api/v1/webhooks/${webhook.id}`)).statusCode).toBe(204);
    const gone = await call(ownerKey, "GET", `/api/v1/webhooks/${webhook.id}`);
    expect(gone.statusCode).toBe(404);
    expect(gone.json()).toMatchObject({ error: { code: "not_found" } });
  });

  it("refuses non-http URLs and unknown template placeholders with 400", async () => {
    const { ownerKey, call } = await start();
    const bad = await call(ownerKey, "POST", "/api/v1/webhooks", {
      name: "x",
      url: "ftp://files.example/in",
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: "invalid_input" } });
    const tpl = await call(ownerKey, "POST", "/api/v1/webhooks", {
      name: "x",
      url: "https://x.example/in",
      format: "custom",
      template: '{"t": "{{workroom.name}}"}',
    });
    expect(tpl.statusCode).toBe(400);
    expect(tpl.json<{ error: { message: string } }>().error.message).toContain(
      "unknown placeholder {{workroom.name}}",
    );
  });

  it("refuses a receiver at an internal address when saved, unless the server allows it", async () => {
    const { deps, ownerKey, call } = await start();
    const refused = async (method: string, path: string, url: string, host: string) => {
      const res = await call(ownerKey, method, path, { name: "LAN", url });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({
        error: {
          code: "invalid_input",
          message: `${host} is an internal address: webhooks are delivered to public addresses only, unless the server allows that address (ATELYA_WEBHOOK_ALLOW_ADDRESSES).`,
        },
      });
    };
    await refused("POST", "/api/v1/webhooks", "http://10.0.0.5/hook", "10.0.0.5");
    await refused("POST", "/api/v1/webhooks", "http://localhost:8080/hook", "localhost");
    const made = await call(ownerKey, "POST", "/api/v1/webhooks", {
      name: "Public",
      url: "https://hooks.example/in",
    });
    const id = made.json<{ webhook: { id: string } }>().webhook.id;
    await refused("PATCH", `/api/v1/webhooks/${id}`, "http://[::1]:9000/in", "::1");
    expect((await call(ownerKey, "GET", "/api/v1/webhooks")).json()).toMatchObject({
      webhooks: [{ url: "https://hooks.example/in" }],
    });

    // An operator who delivers inside their network allows the address.
    const allowing = await buildServer({
      deps,
      config: serverConfig({ logLevel: "silent", webhookAllowAddresses: ["10.0.0.0/8"] }),
    });
    try {
      const res = await allowing.inject({
        method: "POST",
        url: "/api/v1/webhooks",
        headers: { authorization: `Bearer ${ownerKey}` },
        payload: { name: "LAN", url: "http://10.0.0.5/hook" },
      });
      expect(res.statusCode, res.body).toBe(201);
    } finally {
      await allowing.close();
    }
  });

  it("gives members 403 and another workspace's webhook 404", async () => {
    const { deps, owner, ownerKey, memberKey, call } = await start();
    expect((await call(memberKey, "GET", "/api/v1/webhooks")).statusCode).toBe(403);
    const created = await call(ownerKey, "POST", "/api/v1/webhooks", {
      name: "x",
      url: "https://x.example/in",
    });
    const { webhook } = created.json<{ webhook: { id: string; events: string[] } }>();
    expect(webhook.events).toHaveLength(8); // all events by default
    const other = await createWorkspace(deps, { name: "Other", plan: "agency", defaultModel: "x" });
    const stranger = actorOf(owner.userId!, other.id, "owner");
    await expect(getWebhook(deps, stranger, webhook.id)).rejects.toMatchObject({
      code: "not_found",
    });
  });
});
