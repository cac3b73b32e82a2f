// People and their memberships: users are installation-wide (one e-mail, one account); every
// membership query takes the workspace id.
import { sql } from "kysely";
import type { UserId, WorkspaceId } from "../domain/ids.js";
import type { PlanName, Role } from "../domain/roles.js";
import type { Exec } from "./exec.js";
import { newId } from "./ids.js";
import type { UserTable } from "./schema.js";

export interface User {
  id: UserId;
  email: string;
  name: string;
  createdAt: number;
}

export interface UserWithHash extends User {
  passwordHash: string;
}

export interface Member {
  user: User;
  role: Role;
  joinedAt: number;
}

export interface MyWorkspace {
  id: WorkspaceId;
  name: string;
  plan: PlanName;
  role: Role;
}

const toUser = (r: Pick<UserTable, "id" | "email" | "name" | "created_at">): User => ({
  id: r.id as UserId,
  email: r.email,
  name: r.name,
  createdAt: r.created_at,
});

export async function insertUser(
  ex: Exec,
  u: { email: string; name: string; passwordHash: string },
  now: Date,
): Promise<User> {
  const row: UserTable = {
    id: newId("user"),
    email: u.email,
    name: u.name,
    password_hash: u.passwordHash,
    created_at: now.getTime(),
    updated_at: now.getTime(),
  };
  await ex.db.insertInto("users").values(row).execute();
  return toUser(row);
}

/**
 * First-run setup counts users and then inserts one; on PostgreSQL two setups at once must not both
 * see zero, so the table is locked against writers for that transaction (SQLite: BEGIN IMMEDIATE
 * already serialises writers).
 */
export async function lockUsersForSetup(ex: Exec): Promise<void> {
  if (ex.dialect === "postgres")
    await sql`LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE`.execute(ex.db);
}

export async function countUsers(ex: Exec): Promise<number> {
  const r = await ex.db
    .selectFrom("users")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function findUserByEmail(ex: Exec, email: string): Promise<UserWithHash | undefined> {
  const r = await ex.db
    .selectFrom("users")
    .selectAll()
    .where("email", "=", email)
    .executeTakeFirst();
  return r && { ...toUser(r), passwordHash: r.password_hash };
}

export async function findUser(ex: Exec, id: string): Promise<User | undefined> {
  const r = await ex.db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
  return r && toUser(r);
}

export async function listUsers(ex: Exec): Promise<User[]> {
  const rows = await ex.db.selectFrom("users").selectAll().orderBy("created_at").execute();
  return rows.map(toUser);
}

// --- memberships --------------------------------------------------------------------------------

export async function insertMembership(
  ex: Exec,
  workspaceId: WorkspaceId,
  userId: string,
  role: Role,
  now: Date,
): Promise<void> {
  await ex.db
    .insertInto("memberships")
    .values({ workspace_id: workspaceId, user_id: userId, role, created_at: now.getTime() })
    .execute();
}

/** The member's role, or undefined when the user is not in the workspace. */
export async function findRole(
  ex: Exec,
  workspaceId: string,
  userId: string,
): Promise<Role | undefined> {
  const r = await ex.db
    .selectFrom("memberships")
    .select("role")
    .where("workspace_id", "=", workspaceId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return r?.role as Role | undefined;
}

export async function listMembers(ex: Exec, workspaceId: WorkspaceId): Promise<Member[]> {
  const rows = await ex.db
    .selectFrom("memberships")
    .innerJoin("users", "users.id", "memberships.user_id")
    .select([
      "users.id",
      "users.email",
      "users.name",
      "users.created_at",
      "memberships.role",
      "memberships.created_at as joined_at",
    ])
    .where("memberships.workspace_id", "=", workspaceId)
    .orderBy("memberships.created_at")
    .execute();
  return rows.map((r) => ({ user: toUser(r), role: r.role as Role, joinedAt: r.joined_at }));
}

export async function countMembers(ex: Exec, workspaceId: WorkspaceId): Promise<number> {
  const r = await ex.db
    .selectFrom("memberships")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("workspace_id", "=", workspaceId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function setRole(
  ex: Exec,
  workspaceId: WorkspaceId,
  userId: string,
  role: Role,
): Promise<void> {
  await ex.db
    .updateTable("memberships")
    .set({ role })
    .where("workspace_id", "=", workspaceId)
    .where("user_id", "=", userId)
    .execute();
}

export async function deleteMembership(
  ex: Exec,
  workspaceId: WorkspaceId,
  userId: string,
): Promise<void> {
  await ex.db
    .deleteFrom("memberships")
    .where("workspace_id", "=", workspaceId)
    .where("user_id", "=", userId)
    .execute();
}

/** The workspaces a user belongs to, oldest membership first. */
export async function listUserWorkspaces(ex: Exec, userId: string): Promise<MyWorkspace[]> {
  const rows = await ex.db
    .selectFrom("memberships")
    .innerJoin("workspaces", "workspaces.id", "memberships.workspace_id")
    .select(["workspaces.id", "workspaces.name", "workspaces.plan", "memberships.role"])
    .where("memberships.user_id", "=", userId)
    .orderBy("memberships.created_at")
    .execute();
  return rows.map((r) => ({
    id: r.id as WorkspaceId,
    name: r.name,
    plan: r.plan as PlanName,
    role: r.role as Role,
  }));
}

/**
 * Locks the workspace row (PostgreSQL) so seat counts and owner changes are serialised, and
 * returns its plan; undefined when the workspace is gone (deleted by a request that held the
 * lock first).
 */
export async function lockWorkspace(
  ex: Exec,
  workspaceId: WorkspaceId,
): Promise<PlanName | undefined> {
  let q = ex.db.selectFrom("workspaces").select("plan").where("id", "=", workspaceId);
  if (ex.dialect === "postgres") q = q.forUpdate();
  return (await q.executeTakeFirst())?.plan as PlanName | undefined;
}

export async function setWorkspacePlan(
  ex: Exec,
  workspaceId: WorkspaceId,
  plan: PlanName,
  monthlyAllowance: number,
): Promise<void> {
  await ex.db
    .updateTable("workspaces")
    .set({ plan, monthly_allowance: monthlyAllowance })
    .where("id", "=", workspaceId)
    .execute();
}

export async function setPasswordHash(
  ex: Exec,
  userId: string,
  passwordHash: string,
  now: Date,
): Promise<void> {
  await ex.db
    .updateTable("users")
    .set({ password_hash: passwordHash, updated_at: now.getTime() })
    .where("id", "=", userId)
    .execute();
}
