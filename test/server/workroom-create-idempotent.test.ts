// A client that creates a workroom, loses the response and retries makes one room, not two: the
// same request with the same `Idempotency-Key` answers the first room (`Idempotent-Replayed`), the
// key with another request is refused, and keys belong to their workspace. On both stores, with
// concurrent retries.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApi, type ApiWorld } from "../support/api.js";

interface Room {
  id: string;
  title: string;
}
interface ErrorBody {
  error: { code: string; message: string };
}

const request = (title: string) => ({
  title,
  deliverables: ["Proposal"],
  inputs: [{ kind: "brief", content: "Aurora Coffee wants a Q4 loyalty proposal." }],
});

describe.each(["sqlite", "postgres"] as const)("creating a workroom once (%s)", (dialect) => {
  let api: ApiWorld;
  beforeAll(async () => {
    api = await startApi(dialect);
  });
  afterAll(async () => api?.close());

  const create = (body: unknown, key: string | undefined, apiKey = api.people.member.key) =>
    api.call<Room & ErrorBody>("POST", "/api/v1/workrooms", {
      key: apiKey,
      body,
      headers: key ? { "idempotency-key": key } : {},
    });
  const titles = async () =>
    (
      await api.call<{ items: Room[] }>("GET", "/api/v1/workrooms?limit=100", {
        key: api.people.member.key,
      })
    ).body.items.map((r) => r.title);

  it("answers a retried request with the room the first one made", async () => {
    const first = await create(request("Retried"), "create-1");
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    const again = await create(request("Retried"), "create-1");
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body.id).toBe(first.body.id);
    expect((await titles()).filter((t) => t === "Retried")).toHaveLength(1);
    const history = await api.call<{ events: { type: string }[] }>(
      "GET",
      `/api/v1/workrooms/${first.body.id}/events`,
      { key: api.people.member.key },
    );
    expect(history.body.events.filter((e) => e.type === "workroom.created")).toHaveLength(1);
  });

  it("refuses the key with another request, and makes nothing", async () => {
    await create(request("Keyed"), "create-2");
    const other = await create(request("Something else"), "create-2");
    expect(other.status).toBe(409);
    expect(other.body.error.message).toContain("use a new key for a new workroom");
    expect(await titles()).not.toContain("Something else");
  });

  it("makes one room of concurrent retries", async () => {
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => create(request("Concurrent"), "create-3")),
    );
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(answers.filter((a) => a.headers.get("idempotent-replayed") === "true")).toHaveLength(4);
    expect((await titles()).filter((t) => t === "Concurrent")).toHaveLength(1);
  });

  it("makes a room per request without a key, and keeps keys apart between workspaces", async () => {
    await create(request("Unkeyed"), undefined);
    await create(request("Unkeyed"), undefined);
    expect((await titles()).filter((t) => t === "Unkeyed")).toHaveLength(2);
    const mine = await create(request("Shared key"), "create-4");
    const theirs = await create(request("Shared key"), "create-4", api.outsider.key);
    expect(theirs.status).toBe(201);
    expect(theirs.headers.get("idempotent-replayed")).toBeNull();
    expect(theirs.body.id).not.toBe(mine.body.id);
  });
});
