// API keys (SPEC 7, 10) on both dialects: shown once and stored hashed, rotate and revoke, the
// issuing member's current role, plans without API access, last-used time.
import { afterEach, describe, expect, it } from "vitest";
import {
  authenticateApiKey,
  createApiKey,
  listApiKeys,
  revokeApiKey,
  rotateApiKey,
} from "../../src/app/api-keys.js";
import { changeRole, removeMember } from "../../src/app/members.js";
import { setPlan } from "../../src/app/plan.js";
import { listAudit } from "../../src/store/audit.js";
import { poolExec } from "../../src/engine/deps.js";
import { DIALECTS } from "../support/databases.js";
import { ManualClock } from "../support/clock.js";
import { startHarness, type Harness } from "../support/harness.js";
import { addPerson, setupAgency } from "../support/accounts.js";

const T0 = new Date("2026-03-02T09:00:00Z");
const seconds = (n: number) => new Date(T0.getTime() + n * 1000);

describe.each(DIALECTS)("API keys on %s", (dialect) => {
  let h: Harness;
  let clock: ManualClock;
  const deps = () => h.runtime.deps;
  const start = async () => {
    clock = new ManualClock(T0);
    h = await startHarness(dialect, { worker: false, clock });
  };
  afterEach(async () => h?.close());
  const keyRow = (id: string) =>
    deps()
      .store.db.selectFrom("api_keys")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirstOrThrow();

  it("shows the key once and stores only its hash and prefix", async () => {
    await start();
    const { owner, user } = await setupAgency(deps());
    const issued = await createApiKey(deps(), owner, { name: "Zapier" });
    expect(issued.key).toMatch(/^atk_[\w-]{43}$/);
    expect(issued.prefix).toBe(issued.key.slice(0, 12));
    const row = await keyRow(issued.id);
    expect(JSON.stringify(row)).not.toContain(issued.key);
    expect(JSON.stringify(row)).not.toContain(issued.key.slice(12));
    const [listed] = await listApiKeys(deps(), owner);
    expect(listed).toMatchObject({
      name: "Zapier",
      prefix: issued.prefix,
      issuer: { id: user.id },
    });
    expect(JSON.stringify(listed)).not.toContain(issued.key);
    const auth = await authenticateApiKey(deps(), issued.key);
    expect(auth?.actor).toMatchObject({
      id: issued.id,
      userId: user.id,
      apiKeyId: issued.id,
      workspaceId: owner.workspaceId,
      role: "owner",
    });
    const log = await listAudit(poolExec(deps()), owner.workspaceId);
    expect(log[0]).toMatchObject({ action: "api_key.created", target: issued.id });
  });

  it("rotates to a new secret with the same name; the old secret stops working", async () => {
    await start();
    const { owner } = await setupAgency(deps());
    const issued = await createApiKey(deps(), owner, { name: "CI" });
    const rotated = await rotateApiKey(deps(), owner, issued.id);
    expect(rotated).toMatchObject({ id: issued.id, name: "CI" });
    expect(rotated.key).not.toBe(issued.key);
    expect(await authenticateApiKey(deps(), issued.key)).toBeNull();
    expect(await authenticateApiKey(deps(), rotated.key)).not.toBeNull();
    await revokeApiKey(deps(), owner, issued.id);
    expect(await authenticateApiKey(deps(), rotated.key)).toBeNull();
    expect(await listApiKeys(deps(), owner)).toEqual([]);
    await expect(rotateApiKey(deps(), owner, issued.id)).rejects.toMatchObject({
      code: "not_found",
    });
  });

  it("acts with the issuer's current role, and stops when they are removed", async () => {
    await start();
    const { owner } = await setupAgency(deps());
    const m = await addPerson(deps(), owner, "member");
    const issued = await createApiKey(deps(), m.actor, { name: "Mine" });
    await changeRole(deps(), owner, m.user.id, "viewer");
    expect((await authenticateApiKey(deps(), issued.key))?.actor.role).toBe("viewer");
    await removeMember(deps(), owner, m.user.id);
    expect(await authenticateApiKey(deps(), issued.key)).toBeNull();
  });

  it("lets members manage their own keys and owners and admins everyone's", async () => {
    await start();
    const { owner } = await setupAgency(deps());
    const a = await addPerson(deps(), owner, "member");
    const b = await addPerson(deps(), owner, "member");
    const admin = await addPerson(deps(), owner, "admin");
    const viewer = await addPerson(deps(), owner, "viewer");
    const ka = await createApiKey(deps(), a.actor, { name: "A" });
    await createApiKey(deps(), b.actor, { name: "B" });
    expect((await listApiKeys(deps(), a.actor)).map((k) => k.name)).toEqual(["A"]);
    expect((await listApiKeys(deps(), admin.actor)).map((k) => k.name).sort()).toEqual(["A", "B"]);
    await expect(revokeApiKey(deps(), b.actor, ka.id)).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(createApiKey(deps(), viewer.actor, { name: "V" })).rejects.toMatchObject({
      code: "forbidden",
    });
    await revokeApiKey(deps(), admin.actor, ka.id);
    expect(await authenticateApiKey(deps(), ka.key)).toBeNull();
  });

  it("refuses keys on a plan without API access, naming the plan", async () => {
    await start();
    const { owner } = await setupAgency(deps());
    const issued = await createApiKey(deps(), owner, { name: "CI" });
    await setPlan(deps(), owner, "pro");
    await expect(authenticateApiKey(deps(), issued.key)).rejects.toMatchObject({
      code: "forbidden",
      message: expect.stringMatching(/Pro plan/),
    });
    await expect(createApiKey(deps(), owner, { name: "Another" })).rejects.toMatchObject({
      code: "forbidden",
    });
    await setPlan(deps(), owner, "growth");
    expect(await authenticateApiKey(deps(), issued.key)).not.toBeNull();
  });

  it("records the last use at most once a minute", async () => {
    await start();
    const { owner } = await setupAgency(deps());
    const issued = await createApiKey(deps(), owner, { name: "CI" });
    expect((await keyRow(issued.id)).last_used_at).toBeNull();
    clock.set(seconds(10));
    await authenticateApiKey(deps(), issued.key);
    expect((await keyRow(issued.id)).last_used_at).toBe(seconds(10).getTime());
    clock.set(seconds(40));
    await authenticateApiKey(deps(), issued.key);
    expect((await keyRow(issued.id)).last_used_at).toBe(seconds(10).getTime());
    clock.set(seconds(75));
    await authenticateApiKey(deps(), issued.key);
    expect((await keyRow(issued.id)).last_used_at).toBe(seconds(75).getTime());
  });

  it("ignores what is not a key", async () => {
    await start();
    await setupAgency(deps());
    expect(await authenticateApiKey(deps(), "sk-live-nothing")).toBeNull();
    expect(await authenticateApiKey(deps(), "atk_" + "x".repeat(43))).toBeNull();
  });
});
