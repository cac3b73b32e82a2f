// Who did what, after a restore on another installation: a member who has an account there
// already, and an owner whose archived id is taken there, are the ones the rooms, revisions,
// webhooks, history and audit log name (they named the archive's ids, which this installation
// does not know); what an API key did is still said with the key's name, prefix and issuer (the
// keys were not restored at all), while the key itself lets no one in; and the report asks to
// invite again only the people whose invite was still pending.
import { describe, expect, it } from "vitest";
import { setupOwner } from "../../src/app/accounts.js";
import { authenticateApiKey, createApiKey, listApiKeys } from "../../src/app/api-keys.js";
import { auditLog } from "../../src/app/audit.js";
import type { Actor } from "../../src/app/context.js";
import { acceptInvite, createInvite } from "../../src/app/invites.js";
import { addMember } from "../../src/app/members.js";
import { requestRevision, roomRevisions } from "../../src/app/revisions.js";
import { createWebhook, listWebhooks } from "../../src/app/webhooks.js";
import { restoreWorkspace } from "../../src/app/workspace-restore.js";
import {
  createWorkroom,
  getWorkroom,
  startWorkroom,
  workroomHistory,
} from "../../src/app/workrooms.js";
import type { UserId } from "../../src/domain/ids.js";
import { poolExec } from "../../src/engine/deps.js";
import { findUserByEmail } from "../../src/store/users.js";
import { actorOf, PASSWORD, setupAgency } from "../support/accounts.js";
import { proposalRoom } from "../support/fixtures.js";
import { exportedArchive, roomState, useInstallations } from "../support/installations.js";

const { installation } = useInstallations();

const MARIA = "maria@agency.test";

/** Maria (an admin) runs and revises a room and adds a webhook; the owner's API key makes a room;
 *  one invite was accepted, one is pending. */
async function source(dialect: "sqlite" | "postgres") {
  const rt = await installation(dialect);
  const { owner, user } = await setupAgency(rt.deps);
  const maria = await addMember(rt.deps, owner, {
    email: MARIA,
    name: "Maria",
    password: PASSWORD,
    role: "admin",
  });
  const asMaria = actorOf(maria.id, owner.workspaceId, "admin");
  const worker = rt.startWorker();
  const room = await createWorkroom(rt.deps, asMaria, proposalRoom());
  let settled = roomState(rt, room.id, ["completed"]);
  await startWorkroom(rt.deps, asMaria, room.id);
  await settled;
  settled = roomState(rt, room.id, ["completed"]);
  await requestRevision(rt.deps, asMaria, room.id, {
    preset_slug: "tighten",
    preset_args: { instruction: "Shorter" },
  });
  await settled;
  await worker.stop();
  await createWebhook(rt.deps, asMaria, {
    name: "Slack",
    url: "http://127.0.0.1:9/hook",
    events: ["workroom.completed"],
  });
  const key = await createApiKey(rt.deps, owner, { name: "Zapier" });
  const asKey: Actor = { ...owner, id: key.id, apiKeyId: key.id };
  const keyRoom = await createWorkroom(rt.deps, asKey, proposalRoom({ title: "By key" }));
  await createInvite(rt.deps, owner, { email: "pending@agency.test", role: "member" });
  const { token } = await createInvite(rt.deps, owner, {
    email: "joined@agency.test",
    role: "viewer",
  });
  await acceptInvite(rt.deps, token, { kind: "new", name: "Jo", password: PASSWORD });
  return {
    archive: await exportedArchive(rt, owner),
    workspaceId: owner.workspaceId,
    ownerId: user.id,
    room: room.id,
    keyRoom: keyRoom.id,
    key,
  };
}

describe.each([
  ["sqlite", "postgres"],
  ["postgres", "sqlite"],
] as const)("a workspace exported on %s and restored on %s", (fromDialect, toDialect) => {
  it("names the people here and the API keys as they were", async () => {
    const a = await source(fromDialect);
    const b = await installation(toDialect);
    const boss = await setupOwner(
      b.deps,
      { email: "boss@other.test", name: "Boss", password: PASSWORD, workspaceName: "Other" },
      { plan: "agency", defaultModel: "scripted" },
    );
    // Maria has an account here; the owner's archived id belongs to someone else here.
    const mariaHere = await addMember(b.deps, actorOf(boss.user.id, boss.workspace.id, "owner"), {
      email: MARIA,
      name: "Maria B",
      password: "maria's own password",
      role: "member",
    });
    await b.deps.store.db
      .insertInto("users")
      .values({
        id: a.ownerId,
        email: "someone@other.test",
        name: "Someone else",
        password_hash: "!",
        created_at: 0,
        updated_at: 0,
      })
      .execute();

    const report = await restoreWorkspace(b.deps, a.archive);
    expect(report.leftOut).toMatchObject({ invites: 1, apiKeys: 1 });
    const ownerHere = (await findUserByEmail(poolExec(b.deps), "owner@agency.test"))!;
    expect(ownerHere.id).not.toBe(a.ownerId);
    const owner = actorOf(ownerHere.id as UserId, a.workspaceId, "owner");

    // Maria's room, revision, events and webhook are hers here.
    expect((await getWorkroom(b.deps, owner, a.room)).room.createdBy).toBe(mariaHere.id);
    expect((await roomRevisions(b.deps, owner, a.room)).revisions[0]!.requestedBy).toBe(
      mariaHere.id,
    );
    const history = await workroomHistory(b.deps, owner, a.room);
    for (const type of ["workroom.created", "revision.requested"])
      expect(history.find((e) => e.type === type)?.actor, type).toBe(mariaHere.id);
    expect((await listWebhooks(b.deps, owner)).map((w) => w.created_by)).toEqual([mariaHere.id]);

    // The audit log names every person who acted, and the key by its name and issuer.
    const entries = (await auditLog(b.deps, owner, { limit: 200 })).entries;
    const people = entries.filter((e) => e.who.kind === "user");
    expect(people.filter((e) => e.who.kind === "user" && e.who.name === null)).toEqual([]);
    expect(
      entries.find((e) => e.action === "workroom.created" && e.target === a.room)?.who,
    ).toMatchObject({ kind: "user", id: mariaHere.id, name: "Maria B" });
    const byKey = entries.find((e) => e.action === "workroom.created" && e.target === a.keyRoom)!;
    expect(byKey.who).toEqual({
      kind: "api_key",
      id: a.key.id,
      name: "Zapier",
      prefix: a.key.prefix,
      user: { id: ownerHere.id, name: "Olive Owner" },
    });
    expect(byKey.data).toMatchObject({ api_key: a.key.id, user: ownerHere.id });
    expect(
      (await workroomHistory(b.deps, owner, a.keyRoom)).find((e) => e.type === "workroom.created")
        ?.actor,
    ).toBe(a.key.id);

    // The key is a record of what it was: it lets no one in, and is not among the live keys.
    expect(await authenticateApiKey(b.deps, a.key.key)).toBeNull();
    expect(await listApiKeys(b.deps, owner)).toEqual([]);
  });
});
