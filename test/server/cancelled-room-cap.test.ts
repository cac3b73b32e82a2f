// QA: PATCH max_credits on a cancelled workroom answered 200 and changed the cap of a room that
// will never spend again.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApi, type ApiWorld } from "../support/api.js";
import { proposalRoom } from "../support/fixtures.js";

interface ErrorBody {
  error: { code: string; message: string; request_id: string };
}

describe("the credit cap of a cancelled workroom", () => {
  let api: ApiWorld;
  beforeAll(async () => {
    api = await startApi("sqlite");
  });
  afterAll(async () => api?.close());

  it("cannot change, and the room keeps its cap", async () => {
    const key = api.people.member.key;
    const room = await api.call<{ id: string }>("POST", "/api/v1/workrooms", {
      key,
      body: proposalRoom({ max_credits: 500 }),
    });
    const cancelled = await api.call("POST", `/api/v1/workrooms/${room.body.id}/cancel`, { key });
    expect(cancelled.status).toBe(200);
    const res = await api.call<ErrorBody>("PATCH", `/api/v1/workrooms/${room.body.id}`, {
      key,
      body: { max_credits: 900 },
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("illegal_transition");
    expect(res.body.error.message).toContain("cancelled");
    const after = await api.call<{ max_credits: number }>(
      "GET",
      `/api/v1/workrooms/${room.body.id}`,
      {
        key,
      },
    );
    expect(after.body.max_credits).toBe(500);
  });
});
