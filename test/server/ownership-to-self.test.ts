// Transferring ownership to the owner themselves changes nothing, so it is refused (409) with a
// message saying so, instead of a 204 that did nothing and left no audit record.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApi, type ApiWorld } from "../support/api.js";

let world: ApiWorld;
beforeAll(async () => {
  world = await startApi("sqlite");
});
afterAll(async () => world?.close());

describe("transferring ownership", () => {
  it("refuses to make the owner the owner", async () => {
    const { owner } = world.people;
    const res = await world.call("POST", "/api/v1/ownership", {
      as: owner,
      body: { user_id: owner.userId },
    });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      error: { code: "conflict", message: expect.stringMatching(/already the owner/) },
    });
    const members = await world.call<{ members: { user: { id: string }; role: string }[] }>(
      "GET",
      "/api/v1/members",
      { as: owner },
    );
    const roles = members.body.members.map((m) => m.role);
    expect(roles.filter((r) => r === "owner")).toHaveLength(1);
  });
});
