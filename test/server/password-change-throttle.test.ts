// Changing one's password checks the current one as a sign-in does: wrong guesses count toward the
// sign-in lock, so a stolen session cannot try passwords without limit, and once locked even the
// right password waits.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PASSWORD, startApi, type ApiWorld } from "../support/api.js";

let world: ApiWorld;
beforeAll(async () => {
  world = await startApi("sqlite");
});
afterAll(async () => world?.close());

describe("changing one's password", () => {
  it("locks after repeated wrong current passwords, like sign-in", async () => {
    const change = (current: string) =>
      world.call("PUT", "/api/v1/session/password", {
        as: world.people.member,
        body: { current_password: current, new_password: "a brand new passphrase" },
      });
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await change(`wrong guess ${i}`)).status);
    expect(statuses.slice(0, 5)).toEqual([403, 403, 403, 403, 403]);
    expect(statuses.slice(5)).toEqual([429, 429, 429]);
    const right = await change(PASSWORD);
    expect(right.status).toBe(429);
    expect(right.body).toMatchObject({ error: { code: "rate_limited" } });
    // The session itself is not lost: the person is still signed in.
    expect((await world.call("GET", "/api/v1/session", { as: world.people.member })).status).toBe(
      200,
    );
  });
});
