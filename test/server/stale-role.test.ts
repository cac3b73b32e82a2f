// A request resolves its caller's role when it arrives; a change made while it waited must still
// count. Each case takes the caller as their request found them, changes their role or membership
// (or deletes the workspace), then runs the request with that stale caller: it is refused, and
// nothing changes. Both dialects; the last case races two real requests.
import { afterEach, describe, expect, it } from "vitest";
import { createApiKey, rotateApiKey } from "../../src/app/api-keys.js";
import { createInvite, listInvites, revokeInvite } from "../../src/app/invites.js";
import {
  addMember,
  changeRole,
  listMembers,
  removeMember,
  transferOwnership,
} from "../../src/app/members.js";
import { describeWorkspace, setPlan } from "../../src/app/plan.js";
import { deleteWorkspace } from "../../src/app/workspace-data.js";
import { poolExec } from "../../src/engine/deps.js";
import { listAudit } from "../../src/store/audit.js";
import { DIALECTS } from "../support/databases.js";
import { startHarness, type Harness } from "../support/harness.js";
import { addPerson, PASSWORD, setupAgency } from "../support/accounts.js";

describe.each(DIALECTS)(
  "a request that waited while its caller or workspace changed, on %s",
  (dialect) => {
    let h: Harness;
    const deps = () => h.runtime.deps;
    afterEach(async () => h?.close());
    const start = async () => {
      h = await startHarness(dialect, { worker: false });
      const agency = await setupAgency(deps());
      return { ...agency, roles: () => rolesIn(agency.owner) };
    };
    const rolesIn = async (owner: Parameters<typeof listMembers>[1]) =>
      Object.fromEntries((await listMembers(deps(), owner)).map((m) => [m.user.email, m.role]));
    const forbidden = { code: "forbidden" };

    it("refuses a second ownership transfer from an owner who has just handed it on", async () => {
      const { owner, roles } = await start();
      const admin1 = await addPerson(deps(), owner, "admin", "admin one");
      const admin2 = await addPerson(deps(), owner, "admin", "admin two");
      await transferOwnership(deps(), owner, admin1.user.id);
      await expect(transferOwnership(deps(), owner, admin2.user.id)).rejects.toMatchObject(
        forbidden,
      );
      expect(await roles()).toMatchObject({ [admin1.email]: "owner", [admin2.email]: "admin" });
      const log = await listAudit(poolExec(deps()), owner.workspaceId);
      expect(log.filter((e) => e.action === "ownership.transferred")).toHaveLength(1);
    });

    it("refuses a promotion by an admin demoted to viewer meanwhile", async () => {
      const { owner, roles } = await start();
      const admin = await addPerson(deps(), owner, "admin");
      const member = await addPerson(deps(), owner, "member");
      await changeRole(deps(), owner, admin.user.id, "viewer");
      await expect(changeRole(deps(), admin.actor, member.user.id, "admin")).rejects.toMatchObject({
        code: "forbidden",
        message: "Your role (viewer) does not allow members: manage. Ask an owner or admin.",
      });
      expect((await roles())[member.email]).toBe("member");
    });

    it("keeps the workspace when an admin demoted meanwhile deletes it", async () => {
      const { owner, workspace } = await start();
      const admin = await addPerson(deps(), owner, "admin");
      await changeRole(deps(), owner, admin.user.id, "member");
      await expect(deleteWorkspace(deps(), admin.actor, workspace.name)).rejects.toMatchObject(
        forbidden,
      );
      expect((await describeWorkspace(deps(), owner)).name).toBe(workspace.name);
    });

    it("refuses a removal by an admin removed meanwhile: two admins removing each other", async () => {
      const { owner, roles } = await start();
      const admin1 = await addPerson(deps(), owner, "admin");
      const admin2 = await addPerson(deps(), owner, "admin");
      await removeMember(deps(), admin1.actor, admin2.user.id);
      await expect(removeMember(deps(), admin2.actor, admin1.user.id)).rejects.toMatchObject({
        code: "forbidden",
        message: expect.stringContaining("no longer a member of this workspace"),
      });
      expect((await roles())[admin1.email]).toBe("admin");
    });

    it("issues no API key to a member removed meanwhile, and rotates none of theirs", async () => {
      const { owner } = await start();
      const member = await addPerson(deps(), owner, "member");
      const kept = await createApiKey(deps(), member.actor, { name: "Before" });
      await removeMember(deps(), owner, member.user.id);
      await expect(createApiKey(deps(), member.actor, { name: "After" })).rejects.toMatchObject(
        forbidden,
      );
      await expect(rotateApiKey(deps(), member.actor, kept.id)).rejects.toMatchObject(forbidden);
      const live = await deps()
        .store.db.selectFrom("api_keys")
        .select("name")
        .where("user_id", "=", member.user.id)
        .where("revoked_at", "is", null)
        .execute();
      expect(live).toEqual([]);
    });

    it("refuses invites, plan changes and additions by an admin demoted meanwhile", async () => {
      const { owner } = await start();
      const admin = await addPerson(deps(), owner, "admin");
      const pending = await createInvite(deps(), owner, {
        email: "new@agency.test",
        role: "member",
      });
      await changeRole(deps(), owner, admin.user.id, "member");
      await expect(
        createInvite(deps(), admin.actor, { email: "other@agency.test", role: "admin" }),
      ).rejects.toMatchObject(forbidden);
      await expect(revokeInvite(deps(), admin.actor, pending.invite.id)).rejects.toMatchObject(
        forbidden,
      );
      await expect(setPlan(deps(), admin.actor, "solo")).rejects.toMatchObject(forbidden);
      await expect(
        addMember(deps(), admin.actor, {
          email: "added@agency.test",
          name: "Added",
          password: PASSWORD,
          role: "admin",
        }),
      ).rejects.toMatchObject(forbidden);
      expect((await listInvites(deps(), owner)).map((i) => i.email)).toEqual(["new@agency.test"]);
      expect((await describeWorkspace(deps(), owner)).plan).toBe("agency");
    });

    it("answers not found, not a crash, when the workspace was deleted meanwhile", async () => {
      const { owner, workspace } = await start();
      const member = await addPerson(deps(), owner, "member");
      await deleteWorkspace(deps(), owner, workspace.name);
      await expect(changeRole(deps(), owner, member.user.id, "viewer")).rejects.toMatchObject({
        code: "not_found",
        message: "This workspace no longer exists.",
      });
    });

    it("lets only one of two ownership transfers sent at once go through", async () => {
      const { owner, roles } = await start();
      const admin1 = await addPerson(deps(), owner, "admin");
      const admin2 = await addPerson(deps(), owner, "admin");
      const outcomes = await Promise.allSettled([
        transferOwnership(deps(), owner, admin1.user.id),
        transferOwnership(deps(), owner, admin2.user.id),
      ]);
      expect(outcomes.map((o) => o.status).sort()).toEqual(["fulfilled", "rejected"]);
      const refused = outcomes.find((o) => o.status === "rejected")!;
      expect(refused.reason).toMatchObject(forbidden);
      const now = await roles();
      expect(Object.values(now).filter((r) => r === "owner")).toHaveLength(1);
    });
  },
);
