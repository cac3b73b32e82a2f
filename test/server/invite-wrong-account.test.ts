// An invite is made out to one e-mail address: a signed-in account of another address cannot use
// the link (it would join with the invited role and lock the real invitee out), and is told which
// address the invite is for — nothing the invite preview does not show already.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PASSWORD, startApi, type ApiWorld } from "../support/api.js";

describe("accepting an invite while signed in", () => {
  let world: ApiWorld;

  beforeAll(async () => {
    world = await startApi("sqlite");
  });
  afterAll(async () => world?.close());

  const invite = async (email: string) => {
    const res = await world.call<{ token: string }>("POST", "/api/v1/invites", {
      as: world.people.owner,
      body: { email, role: "admin" },
    });
    expect(res.status).toBe(201);
    return res.body.token;
  };

  it("refuses an account whose address is not the invited one, and the invitee still joins", async () => {
    const token = await invite("dana@agency.test");
    const taken = await world.call("POST", `/api/v1/invites/${token}/accept`, {
      as: world.outsider,
      body: {},
    });
    expect(taken.status).toBe(403);
    expect(taken.body).toMatchObject({
      error: {
        code: "forbidden",
        message: expect.stringContaining("This invite is for dana@agency.test"),
      },
    });
    const members = await world.call<{ members: { email: string }[] }>("GET", "/api/v1/members", {
      as: world.people.owner,
    });
    expect(members.body.members.map((m) => m.email)).not.toContain(world.outsider.email);
    const joined = await world.call("POST", `/api/v1/invites/${token}/accept`, {
      body: { name: "Dana", password: PASSWORD },
    });
    expect(joined.status).toBe(200);
  });

  it("lets the invited address's own account join, whatever the letter case", async () => {
    const token = await invite(world.outsider.email.toUpperCase());
    const joined = await world.call("POST", `/api/v1/invites/${token}/accept`, {
      as: world.outsider,
      body: {},
    });
    expect(joined.status).toBe(200);
    expect(joined.body).toMatchObject({ workspace: { id: world.workspaceId, role: "admin" } });
  });
});
