// Members, roles and invites (SPEC 1) on both dialects: one owner always, seats per plan, invite
// links that work once and expire.
import { afterEach, describe, expect, it } from "vitest";
import { signIn } from "../../src/app/accounts.js";
import {
  acceptInvite,
  createInvite,
  describeInvite,
  listInvites,
  revokeInvite,
} from "../../src/app/invites.js";
import {
  addMember,
  changeRole,
  leaveWorkspace,
  listMembers,
  removeMember,
  transferOwnership,
} from "../../src/app/members.js";
import { setPlan } from "../../src/app/plan.js";
import { listAudit } from "../../src/store/audit.js";
import { poolExec } from "../../src/engine/deps.js";
import { DIALECTS } from "../support/databases.js";
import { ManualClock } from "../support/clock.js";
import { startHarness, type Harness } from "../support/harness.js";
import type { Actor } from "../../src/app/context.js";
import { addPerson, anotherAgency, PASSWORD, setupAgency } from "../support/accounts.js";

const T0 = new Date("2026-03-02T09:00:00Z");
const days = (n: number) => new Date(T0.getTime() + n * 86_400_000);

describe.each(DIALECTS)("members and invites on %s", (dialect) => {
  let h: Harness;
  let clock: ManualClock;
  const deps = () => h.runtime.deps;
  const start = async () => {
    clock = new ManualClock(T0);
    h = await startHarness(dialect, { worker: false, clock });
  };
  afterEach(async () => h?.close());

  describe("roles", () => {
    it("keeps exactly one owner: no second owner by role change, no demoting the owner", async () => {
      await start();
      const { owner, user } = await setupAgency(deps());
      const admin = await addPerson(deps(), owner, "admin");
      const member = await addPerson(deps(), owner, "member");
      await expect(changeRole(deps(), admin.actor, member.user.id, "owner")).rejects.toMatchObject({
        code: "invalid_input",
      });
      await expect(changeRole(deps(), admin.actor, user.id, "viewer")).rejects.toMatchObject({
        code: "conflict",
      });
      expect((await changeRole(deps(), admin.actor, member.user.id, "viewer")).role).toBe("viewer");
      await expect(changeRole(deps(), member.actor, admin.user.id, "viewer")).rejects.toMatchObject(
        { code: "forbidden" },
      );
      const roles = (await listMembers(deps(), owner)).map((m) => m.role);
      expect(roles.filter((r) => r === "owner")).toHaveLength(1);
    });

    it("transfers ownership only from the owner; the old owner becomes admin", async () => {
      await start();
      const { owner, user } = await setupAgency(deps());
      const admin = await addPerson(deps(), owner, "admin");
      await expect(transferOwnership(deps(), admin.actor, admin.user.id)).rejects.toMatchObject({
        code: "forbidden",
      });
      await transferOwnership(deps(), owner, admin.user.id);
      const byId = new Map((await listMembers(deps(), owner)).map((m) => [m.user.id, m.role]));
      expect(byId.get(admin.user.id)).toBe("owner");
      expect(byId.get(user.id)).toBe("admin");
      const log = await listAudit(poolExec(deps()), owner.workspaceId);
      expect(log[0]).toMatchObject({
        actor: user.id,
        action: "ownership.transferred",
        target: admin.user.id,
      });
    });

    it("removes members but never the owner, and lets members leave", async () => {
      await start();
      const { owner, user } = await setupAgency(deps());
      const admin = await addPerson(deps(), owner, "admin");
      const viewer = await addPerson(deps(), owner, "viewer");
      await expect(removeMember(deps(), admin.actor, user.id)).rejects.toMatchObject({
        code: "conflict",
      });
      await expect(leaveWorkspace(deps(), owner)).rejects.toMatchObject({ code: "conflict" });
      await leaveWorkspace(deps(), viewer.actor);
      await removeMember(deps(), owner, admin.user.id);
      expect((await listMembers(deps(), owner)).map((m) => m.user.id)).toEqual([user.id]);
      await expect(removeMember(deps(), owner, admin.user.id)).rejects.toMatchObject({
        code: "not_found",
      });
    });
  });

  describe("invites", () => {
    it("lets a new person join with the invited role, once", async () => {
      await start();
      const { owner } = await setupAgency(deps());
      const { invite, token } = await createInvite(deps(), owner, {
        email: "Dana@Agency.test",
        role: "member",
      });
      expect(invite.email).toBe("dana@agency.test");
      expect(invite.expiresAt).toBe(days(7).getTime());
      const row = await deps()
        .store.db.selectFrom("invites")
        .selectAll()
        .where("id", "=", invite.id)
        .executeTakeFirstOrThrow();
      expect(JSON.stringify(row)).not.toContain(token);
      expect(await describeInvite(deps(), token)).toMatchObject({
        workspace: { name: "Agency" },
        role: "member",
        hasAccount: false,
      });
      const joined = await acceptInvite(deps(), token, {
        kind: "new",
        name: "Dana",
        password: PASSWORD,
      });
      expect(joined.workspace).toMatchObject({ id: owner.workspaceId, role: "member" });
      await expect(
        signIn(deps(), { email: "dana@agency.test", password: PASSWORD, ip: "1" }),
      ).resolves.toBeTruthy();
      await expect(
        acceptInvite(deps(), token, { kind: "new", name: "Eve", password: PASSWORD }),
      ).rejects.toMatchObject({
        code: "conflict",
        message: expect.stringMatching(/already been used/),
      });
      expect(await listInvites(deps(), owner)).toEqual([]);
    });

    it("refuses an expired link and a revoked one, each with its reason", async () => {
      await start();
      const { owner } = await setupAgency(deps());
      const a = await createInvite(deps(), owner, { email: "a@agency.test", role: "viewer" });
      const b = await createInvite(deps(), owner, { email: "b@agency.test", role: "viewer" });
      await revokeInvite(deps(), owner, b.invite.id);
      await expect(
        acceptInvite(deps(), b.token, { kind: "new", name: "B", password: PASSWORD }),
      ).rejects.toMatchObject({ code: "conflict", message: expect.stringMatching(/revoked/) });
      clock.set(days(7));
      await expect(describeInvite(deps(), a.token)).rejects.toMatchObject({
        message: expect.stringMatching(/expired/),
      });
      await expect(
        acceptInvite(deps(), a.token, { kind: "new", name: "A", password: PASSWORD }),
      ).rejects.toMatchObject({ code: "conflict", message: expect.stringMatching(/expired/) });
      await expect(
        acceptInvite(deps(), "no-such-token", { kind: "new", name: "A", password: PASSWORD }),
      ).rejects.toMatchObject({ code: "not_found" });
    });

    it("adds an existing account (by its password, or signed in) to a second workspace", async () => {
      await start();
      const { owner } = await setupAgency(deps());
      const other = await setupOtherWorkspace();
      const first = await createInvite(deps(), owner, {
        email: "owner2@other.test",
        role: "admin",
      });
      expect((await describeInvite(deps(), first.token)).hasAccount).toBe(true);
      const existing = (password: string) =>
        acceptInvite(deps(), first.token, { kind: "existing", password, ip: "203.0.113.9" });
      // Wrong passwords count toward the sign-in lock, as a sign-in's do: five, then locked.
      for (let i = 0; i < 5; i++)
        await expect(existing("wrong password!")).rejects.toMatchObject({ code: "unauthorized" });
      await expect(existing(PASSWORD)).rejects.toMatchObject({ code: "rate_limited" });
      clock.set(new Date(clock.now().getTime() + 16 * 60_000)); // the lock lasts 15 minutes
      await existing(PASSWORD);
      expect((await listMembers(deps(), owner)).map((m) => m.user.id)).toContain(other.id);
    });

    it("counts pending invites against the plan's seats and names the plan", async () => {
      await start();
      const { owner } = await setupAgency(deps(), "starter");
      await createInvite(deps(), owner, { email: "one@agency.test", role: "member" });
      await expect(
        createInvite(deps(), owner, { email: "two@agency.test", role: "member" }),
      ).rejects.toMatchObject({
        code: "conflict",
        message: expect.stringMatching(/Starter plan has 2 seats/),
      });
      // Re-inviting the same address replaces the pending invite instead of taking a seat.
      await expect(
        createInvite(deps(), owner, { email: "one@agency.test", role: "admin" }),
      ).resolves.toBeTruthy();
      await setPlan(deps(), owner, "solo");
      const pending = await listInvites(deps(), owner);
      expect(pending).toHaveLength(1);
    });

    it("refuses inviting an owner, and members who may not manage people", async () => {
      await start();
      const { owner } = await setupAgency(deps());
      const member = await addPerson(deps(), owner, "member");
      await expect(
        createInvite(deps(), owner, { email: "x@agency.test", role: "owner" }),
      ).rejects.toMatchObject({ code: "invalid_input" });
      await expect(
        createInvite(deps(), member.actor, { email: "x@agency.test", role: "viewer" }),
      ).rejects.toMatchObject({ code: "forbidden" });
      const log = await listAudit(poolExec(deps()), owner.workspaceId);
      expect(log.map((e) => e.action)).not.toContain("invite.created");
    });
  });

  /** Another person of the installation, owner of a workspace of their own. */
  async function setupOtherWorkspace() {
    // As the CLI acts: for the installation, with no membership of its own.
    const cli: Actor = { id: "cli", workspaceId: h.workspace.id, role: "owner" };
    const user = await addMember(deps(), cli, {
      email: "owner2@other.test",
      name: "Other Owner",
      password: PASSWORD,
      role: "member",
    });
    await anotherAgency(deps(), user.id, "Other");
    return user;
  }
});
