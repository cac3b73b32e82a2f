// QA: on PostgreSQL a NUL character in a JSON string, a path id or a query value answered 500
// ("invalid byte sequence for encoding UTF8: 0x00"), SQLite stored it, a lone surrogate was
// accepted, and a body nested 100,000 deep overflowed the stack. All are a 400 naming the field.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApi, type ApiWorld } from "../support/api.js";
import { proposalRoom } from "../support/fixtures.js";

interface ErrorBody {
  error: { code: string; message: string; request_id: string };
}

describe("text Atelya cannot store, on PostgreSQL", () => {
  let api: ApiWorld;
  let key: string;
  let roomId: string;
  beforeAll(async () => {
    api = await startApi("postgres");
    key = api.people.owner.key;
    roomId = (
      await api.call<{ id: string }>("POST", "/api/v1/workrooms", { key, body: proposalRoom() })
    ).body.id;
  });
  afterAll(async () => api?.close());

  const raw = async (method: string, path: string, body?: string) => {
    const res = await fetch(`${api.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
      },
      ...(body !== undefined ? { body } : {}),
    });
    return { status: res.status, body: (await res.json()) as ErrorBody };
  };

  it("refuses a NUL in any JSON string field with 400 naming the field", async () => {
    const cases: [string, string, unknown, string][] = [
      ["POST", "/api/v1/workrooms", proposalRoom({ title: "Q4\u0000" }), "`title`"],
      ["POST", "/api/v1/workrooms", proposalRoom({ client: "\u0000" }), "`client`"],
      ["POST", "/api/v1/workrooms", proposalRoom({ goal: "win\u0000" }), "`goal`"],
      ["POST", "/api/v1/agents", { name: "Ann\u0000", role_description: "Writer" }, "`name`"],
      ["POST", "/api/v1/webhooks", { name: "h\u0000", url: "https://example.com/h" }, "`name`"],
      ["POST", "/api/v1/api-keys", { name: "ci\u0000" }, "`name`"],
    ];
    for (const [method, path, body, field] of cases) {
      const res = await raw(method, path, JSON.stringify(body));
      expect(res.status, `${path} ${field}`).toBe(400);
      expect(res.body.error.code).toBe("invalid_input");
      expect(res.body.error.message).toContain(field);
      expect(res.body.error.message).toContain("NUL");
    }
    const list = await api.call<{ items: unknown[] }>("GET", "/api/v1/workrooms", { key });
    expect(list.body.items).toHaveLength(1);
  });

  it("names the pasted input block that holds a NUL", async () => {
    const room = proposalRoom();
    room.inputs![1] = { ...room.inputs![1]!, content: "notes\u0000" };
    const res = await raw("POST", "/api/v1/workrooms", JSON.stringify(room));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain("`inputs[1].content`");
  });

  it("refuses a NUL in a path id or a query value with 400 naming the parameter", async () => {
    for (const [method, path, name] of [
      ["GET", "/api/v1/workrooms/%00", "`id`"],
      ["GET", "/api/v1/agents/%00", "`id`"],
      ["GET", "/api/v1/webhooks/a%00", "`id`"],
      ["POST", `/api/v1/workrooms/${roomId}/tasks/%00/approve`, "`taskId`"],
      ["POST", "/api/v1/api-keys/%00/rotate", "`id`"],
      ["GET", "/api/v1/workrooms?client=%00", "`client`"],
    ] as const) {
      const res = await raw(method, path);
      expect(res.status, path).toBe(400);
      expect(res.body.error.code, path).toBe("invalid_input");
      expect(res.body.error.message, path).toContain(name);
    }
  });

  it("refuses a lone surrogate in a title", async () => {
    const res = await raw(
      "POST",
      "/api/v1/workrooms",
      JSON.stringify(proposalRoom({ title: "x\ud800y" })),
    );
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain("`title`");
    expect(res.body.error.message).toContain("surrogate");
  });

  it("keeps a well-formed emoji (a surrogate pair)", async () => {
    const res = await api.call<{ title: string }>("POST", "/api/v1/workrooms", {
      key,
      body: proposalRoom({ title: "Launch 🚀" }),
    });
    expect(res.status).toBe(201);
    expect(res.body.title).toBe("Launch 🚀");
  });

  it("refuses a body nested 100,000 deep with 400, not a stack overflow", async () => {
    const depth = 100_000;
    const body = `{"title":"x","deliverables":["a"],"goal":${"[".repeat(depth)}${"]".repeat(depth)}}`;
    const res = await raw("POST", "/api/v1/workrooms", body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_input");
    expect(res.body.error.message).toContain("nested more than 64 levels");
  });
});
