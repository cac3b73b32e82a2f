// First-run setup, sign-in, throttling and sessions, on both dialects (the app layer).
import { afterEach, describe, expect, it } from "vitest";
import {
  authenticateSession,
  createWorkspaceForUser,
  listMyWorkspaces,
  setupNeeded,
  setupOwner,
  signIn,
  signOut,
  switchWorkspace,
} from "../../src/app/accounts.js";
import { removeMember } from "../../src/app/members.js";
import { changePassword, resetPassword } from "../../src/app/passwords.js";
import { listAudit } from "../../src/store/audit.js";
import { poolExec } from "../../src/engine/deps.js";
import { DIALECTS } from "../support/databases.js";
import { ManualClock } from "../support/clock.js";
import { startHarness, type Harness } from "../support/harness.js";
import { addPerson, PASSWORD, setupAgency } from "../support/accounts.js";

const T0 = new Date("2026-03-02T09:00:00Z");
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);
const days = (n: number) => minutes(n * 24 * 60);

describe.each(DIALECTS)("accounts on %s", (dialect) => {
  let h: Harness;
  let clock: ManualClock;
  const deps = () => h.runtime.deps;
  const start = async () => {
    clock = new ManualClock(T0);
    h = await startHarness(dialect, { worker: false, clock });
  };
  afterEach(async () => h?.close());

  describe("first-run setup", () => {
    it("creates the owner, their workspace and membership once, then refuses", async () => {
      await start();
      expect(await setupNeeded(deps())).toBe(true);
      const { user, workspace } = await setupAgency(deps(), "pro");
      expect(user.email).toBe("owner@agency.test");
      expect(workspace.plan).toBe("pro");
      expect(await setupNeeded(deps())).toBe(false);
      expect(await listMyWorkspaces(deps(), user.id)).toEqual([
        { id: workspace.id, name: "Agency", plan: "pro", role: "owner" },
      ]);
      await expect(
        setupOwner(deps(), {
          email: "second@agency.test",
          name: "Second",
          password: PASSWORD,
          workspaceName: "Other",
        }),
      ).rejects.toMatchObject({
        code: "conflict",
        message: expect.stringMatching(/already has an owner/),
      });
    });

    it("takes over a workspace of the same name that the CLI made before any account", async () => {
      await start();
      const { workspace } = await setupOwner(deps(), {
        email: "o@agency.test",
        name: "O",
        password: PASSWORD,
        workspaceName: h.workspace.name,
      });
      expect(workspace.id).toBe(h.workspace.id);
    });

    it("lets only one of two simultaneous setups win", async () => {
      await start();
      const attempt = (email: string) =>
        setupOwner(deps(), { email, name: "O", password: PASSWORD, workspaceName: email });
      const results = await Promise.allSettled([attempt("a@x.test"), attempt("b@x.test")]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      expect(results.find((r) => r.status === "rejected")).toMatchObject({
        reason: { code: "conflict" },
      });
    });

    it("refuses a short password with the rule in the message", async () => {
      await start();
      await expect(
        setupOwner(deps(), { email: "o@a.test", name: "O", password: "short", workspaceName: "A" }),
      ).rejects.toMatchObject({
        code: "invalid_input",
        message: expect.stringMatching(/at least 10/),
      });
      expect(await setupNeeded(deps())).toBe(true);
    });

    it("stores a self-describing scrypt hash, not the password", async () => {
      await start();
      const { user } = await setupAgency(deps());
      const row = await deps()
        .store.db.selectFrom("users")
        .select("password_hash")
        .where("id", "=", user.id)
        .executeTakeFirstOrThrow();
      expect(row.password_hash).toMatch(/^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/);
      expect(row.password_hash).not.toContain(PASSWORD);
    });
  });

  describe("sign-in", () => {
    it("signs in with the right password (e-mail in any case) and opens a session", async () => {
      await start();
      const { user, workspace } = await setupAgency(deps());
      const s = await signIn(deps(), {
        email: " Owner@Agency.TEST",
        password: PASSWORD,
        ip: "10.0.0.1",
      });
      expect(s.user.id).toBe(user.id);
      expect(s.token).toMatch(/^[\w-]{43}$/);
      expect(s.workspaces.map((w) => w.id)).toEqual([workspace.id]);
      expect(s.expiresAt).toBe(days(14).getTime());
      const row = await deps()
        .store.db.selectFrom("sessions")
        .selectAll()
        .where("id", "=", s.sessionId)
        .executeTakeFirstOrThrow();
      expect(row.token_hash).not.toBe(s.token);
      expect(JSON.stringify(row)).not.toContain(s.token);
      const auth = await authenticateSession(deps(), s.token);
      expect(auth?.actor).toMatchObject({ id: user.id, workspaceId: workspace.id, role: "owner" });
      expect(auth?.csrfToken).toBe(s.csrfToken);
    });

    it("answers a wrong password and an unknown e-mail with the same message", async () => {
      await start();
      await setupAgency(deps());
      const wrong = signIn(deps(), {
        email: "owner@agency.test",
        password: "not the password",
        ip: "1",
      });
      await expect(wrong).rejects.toMatchObject({
        code: "unauthorized",
        message: "E-mail or password is wrong.",
      });
      const unknown = signIn(deps(), { email: "nobody@agency.test", password: PASSWORD, ip: "1" });
      await expect(unknown).rejects.toMatchObject({
        code: "unauthorized",
        message: "E-mail or password is wrong.",
      });
    });

    it("locks an e-mail for 15 minutes after 5 failures, even with the right password", async () => {
      await start();
      await setupAgency(deps());
      for (let i = 0; i < 5; i++) {
        clock.set(minutes(i));
        await expect(
          signIn(deps(), {
            email: "owner@agency.test",
            password: "wrong password!",
            ip: `10.0.0.${i}`,
          }),
        ).rejects.toMatchObject({ code: "unauthorized" });
      }
      clock.set(minutes(6));
      await expect(
        signIn(deps(), { email: "owner@agency.test", password: PASSWORD, ip: "10.9.9.9" }),
      ).rejects.toMatchObject({
        code: "rate_limited",
        message: expect.stringMatching(/Try again in 13 minutes/),
      });
      clock.set(minutes(19));
      await expect(
        signIn(deps(), { email: "owner@agency.test", password: PASSWORD, ip: "10.9.9.9" }),
      ).resolves.toMatchObject({ user: { email: "owner@agency.test" } });
    });

    it("counts a burst of parallel guesses: no more than 5 reach the password check", async () => {
      await start();
      await setupAgency(deps());
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) =>
          signIn(deps(), { email: "owner@agency.test", password: `guess number ${i}`, ip: "1" }),
        ),
      );
      const codes = results.map((r) => (r.status === "rejected" ? r.reason.code : "signed_in"));
      expect(codes.filter((c) => c === "unauthorized")).toHaveLength(5);
      expect(codes.filter((c) => c === "rate_limited")).toHaveLength(5);
    });

    it("does not lock colleagues out when one person at the same address is locked", async () => {
      await start();
      await setupAgency(deps());
      const office = "203.0.113.7";
      for (let i = 0; i < 6; i++)
        await signIn(deps(), { email: "viewer@agency.test", password: "typo!", ip: office }).catch(
          () => {},
        );
      await expect(
        signIn(deps(), { email: "viewer@agency.test", password: "typo!", ip: office }),
      ).rejects.toMatchObject({ code: "rate_limited" });
      await expect(
        signIn(deps(), { email: "owner@agency.test", password: PASSWORD, ip: office }),
      ).resolves.toMatchObject({ user: { email: "owner@agency.test" } });
    });

    it("locks a client address that tries many e-mails (50 in 15 minutes)", async () => {
      await start();
      await setupAgency(deps());
      for (let i = 0; i < 50; i++)
        await expect(
          signIn(deps(), {
            email: `guess${i}@agency.test`,
            password: "wrong password!",
            ip: "203.0.113.7",
          }),
        ).rejects.toMatchObject({ code: "unauthorized" });
      await expect(
        signIn(deps(), { email: "owner@agency.test", password: PASSWORD, ip: "203.0.113.7" }),
      ).rejects.toMatchObject({ code: "rate_limited" });
      await expect(
        signIn(deps(), { email: "owner@agency.test", password: PASSWORD, ip: "198.51.100.1" }),
      ).resolves.toBeTruthy();
    });
  });

  describe("passwords", () => {
    it("changes one's own password with the current one and signs out the other sessions", async () => {
      await start();
      const { user } = await setupAgency(deps());
      const here = await signIn(deps(), {
        email: "owner@agency.test",
        password: PASSWORD,
        ip: "1",
      });
      const there = await signIn(deps(), {
        email: "owner@agency.test",
        password: PASSWORD,
        ip: "2",
      });
      const me = { sessionId: here.sessionId, userId: user.id };
      await expect(
        changePassword(deps(), me, {
          current: "not it at all",
          next: "a brand new passphrase",
          ip: "203.0.113.4",
        }),
      ).rejects.toMatchObject({ code: "forbidden" });
      await changePassword(deps(), me, {
        current: PASSWORD,
        next: "a brand new passphrase",
        ip: "203.0.113.4",
      });
      expect(await authenticateSession(deps(), here.token)).not.toBeNull();
      expect(await authenticateSession(deps(), there.token)).toBeNull();
      await expect(
        signIn(deps(), { email: "owner@agency.test", password: "a brand new passphrase", ip: "1" }),
      ).resolves.toBeTruthy();
    });

    it("lets the operator reset a password, which also lifts the e-mail's lock", async () => {
      await start();
      await setupAgency(deps());
      for (let i = 0; i < 5; i++)
        await signIn(deps(), {
          email: "owner@agency.test",
          password: "wrong guess!",
          ip: `${i}`,
        }).catch(() => undefined);
      await resetPassword(deps(), {
        email: "OWNER@agency.test",
        password: "reset by the operator",
      });
      await expect(
        signIn(deps(), { email: "owner@agency.test", password: "reset by the operator", ip: "9" }),
      ).resolves.toBeTruthy();
    });
  });

  describe("sessions", () => {
    it("expires 14 days after the last use, sliding with use", async () => {
      await start();
      await setupAgency(deps());
      const s = await signIn(deps(), { email: "owner@agency.test", password: PASSWORD, ip: "1" });
      clock.set(days(10));
      expect(await authenticateSession(deps(), s.token)).not.toBeNull();
      clock.set(days(23));
      const later = await authenticateSession(deps(), s.token);
      expect(later?.expiresAt).toBe(days(37).getTime());
      clock.set(days(37));
      expect(await authenticateSession(deps(), s.token)).toBeNull();
    });

    it("ends at sign-out and ignores unknown tokens", async () => {
      await start();
      await setupAgency(deps());
      const s = await signIn(deps(), { email: "owner@agency.test", password: PASSWORD, ip: "1" });
      await signOut(deps(), s.sessionId);
      expect(await authenticateSession(deps(), s.token)).toBeNull();
      expect(await authenticateSession(deps(), "not-a-token")).toBeNull();
    });

    it("acts in another of the person's workspaces by request, and never in someone else's", async () => {
      await start();
      const { user, workspace } = await setupAgency(deps());
      const second = await createWorkspaceForUser(deps(), user.id, { name: "Side project" });
      expect(second.role).toBe("owner");
      const s = await signIn(deps(), { email: "owner@agency.test", password: PASSWORD, ip: "1" });
      const there = await authenticateSession(deps(), s.token, second.id);
      expect(there?.actor?.workspaceId).toBe(second.id);
      await expect(authenticateSession(deps(), s.token, h.workspace.id)).rejects.toMatchObject({
        code: "not_found",
      });
      await switchWorkspace(deps(), { sessionId: s.sessionId, userId: user.id }, second.id);
      expect((await authenticateSession(deps(), s.token))?.actor?.workspaceId).toBe(second.id);
      await expect(
        switchWorkspace(deps(), { sessionId: s.sessionId, userId: user.id }, h.workspace.id),
      ).rejects.toMatchObject({ code: "not_found" });
      expect((await listMyWorkspaces(deps(), user.id)).map((w) => w.id)).toEqual([
        workspace.id,
        second.id,
      ]);
    });

    it("lets owners and admins make more workspaces, and no one else", async () => {
      await start();
      const { owner } = await setupAgency(deps());
      const workspaceNames = async () =>
        (await deps().store.db.selectFrom("workspaces").select("name").execute())
          .map((w) => w.name)
          .sort();
      const admin = await addPerson(deps(), owner, "admin");
      const before = await workspaceNames();
      for (const role of ["member", "viewer"] as const) {
        const p = await addPerson(deps(), owner, role);
        await expect(
          createWorkspaceForUser(deps(), p.user.id, { name: `${role}'s own` }),
        ).rejects.toMatchObject({
          code: "forbidden",
          message: expect.stringMatching(/^New workspaces are made by the owners and admins/),
        });
        expect((await listMyWorkspaces(deps(), p.user.id)).map((w) => w.role)).toEqual([role]);
      }
      expect(await workspaceNames()).toEqual(before);
      const made = await createWorkspaceForUser(deps(), admin.user.id, { name: "Admin's own" });
      expect(made).toMatchObject({ name: "Admin's own", role: "owner" });
      expect(await workspaceNames()).toEqual([...before, "Admin's own"].sort());
    });

    it("loses the workspace of a removed member", async () => {
      await start();
      const { owner } = await setupAgency(deps());
      const m = await addPerson(deps(), owner, "member");
      const s = await signIn(deps(), { email: m.email, password: PASSWORD, ip: "1" });
      expect((await authenticateSession(deps(), s.token))?.actor?.role).toBe("member");
      await removeMember(deps(), owner, m.user.id);
      const after = await authenticateSession(deps(), s.token);
      expect(after?.user.id).toBe(m.user.id);
      expect(after?.actor).toBeNull();
      const log = await listAudit(poolExec(deps()), owner.workspaceId);
      expect(log.map((e) => e.action)).toContain("member.removed");
    });
  });
});
