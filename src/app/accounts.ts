// Who is calling: first-run setup, sign-in (throttled), sessions and the workspace a session acts
// in. A session token is 32 random bytes in the cookie; the database keeps only its SHA-256.
import {
  afterFailure,
  afterSuccess,
  checkName,
  checkNotLocked,
  CLIENT_THROTTLE,
  LOGIN_THROTTLE,
  checkPassword,
  normaliseEmail,
  SESSION_TOUCH_MS,
  SESSION_TTL_MS,
  WRONG_CREDENTIALS,
} from "../domain/accounts.js";
import { DomainError } from "../domain/errors.js";
import type { UserId, WorkspaceId } from "../domain/ids.js";
import type { PlanName } from "../domain/roles.js";
import type { Workspace } from "../domain/types.js";
import { poolExec } from "../engine/deps.js";
import { withTx, type Tx } from "../engine/tx.js";
import { audit } from "../store/audit.js";
import { newId } from "../store/ids.js";
import { listWorkspaces } from "../store/workspaces.js";
import {
  clearThrottle,
  deleteExpiredSessions,
  deleteSession,
  findSessionByHash,
  insertSession,
  lockThrottle,
  setSessionWorkspace,
  touchSession,
  writeThrottle,
} from "../store/sessions.js";
import {
  countUsers,
  findRole,
  findUser,
  findUserByEmail,
  insertMembership,
  insertUser,
  listUserWorkspaces,
  lockUsersForSetup,
  type MyWorkspace,
  type User,
} from "../store/users.js";
import type { Actor, AppDeps } from "./context.js";
import {
  dummyPasswordHash,
  hashPassword,
  newToken,
  tokenHash,
  verifyPassword,
} from "./credentials.js";
import { createWorkspaceInTx } from "./workspaces.js";

export type { MyWorkspace, User } from "../store/users.js";

/** What a workspace made through the server starts with (the server passes its configuration). */
export interface WorkspaceDefaults {
  plan?: PlanName;
  defaultModel?: string;
}
const DEFAULTS = { plan: "agency", defaultModel: "scripted" } as const;

export interface NewPerson {
  email: string;
  name: string;
  password: string;
}

/** True until the first account exists (the first-run page asks for the owner). */
export async function setupNeeded(deps: AppDeps): Promise<boolean> {
  return (await countUsers(poolExec(deps))) === 0;
}

/** First run only: the owner account, its workspace and the owner membership, in one go. */
export async function setupOwner(
  deps: AppDeps,
  input: NewPerson & { workspaceName: string },
  defaults: WorkspaceDefaults = {},
): Promise<{ user: User; workspace: Workspace }> {
  const person = await preparePerson(input);
  const workspaceName = checkName(input.workspaceName, "workspace name");
  return withTx(deps, async (tx) => {
    await lockUsersForSetup(tx.ex);
    if ((await countUsers(tx.ex)) > 0)
      throw new DomainError(
        "conflict",
        "Setup is done: this installation already has an owner. Sign in, or ask the owner for an invite.",
      );
    const user = await insertUser(tx.ex, person, tx.now);
    // Before any account exists the CLI may already have worked in a workspace of this name:
    // the owner takes it over instead of starting an empty one beside it.
    const earlier = (await listWorkspaces(tx.ex)).find((w) => w.name === workspaceName);
    const workspace = earlier
      ? await adoptWorkspace(tx, user.id, earlier)
      : await ownWorkspace(tx, user.id, workspaceName, defaults);
    return { user, workspace };
  });
}

/** Checks and hashes what a new account needs (before any transaction: scrypt is slow on purpose). */
export async function preparePerson(
  input: NewPerson,
): Promise<{ email: string; name: string; passwordHash: string }> {
  const email = normaliseEmail(input.email);
  const name = checkName(input.name);
  checkPassword(input.password);
  return { email, name, passwordHash: await hashPassword(input.password) };
}

async function ownWorkspace(
  tx: Tx,
  userId: UserId,
  name: string,
  defaults: WorkspaceDefaults,
): Promise<Workspace> {
  const workspace = await createWorkspaceInTx(tx, {
    name,
    plan: defaults.plan ?? DEFAULTS.plan,
    defaultModel: defaults.defaultModel ?? DEFAULTS.defaultModel,
  });
  await insertMembership(tx.ex, workspace.id, userId, "owner", tx.now);
  await audit(
    tx.ex,
    workspace.id,
    { actor: userId, action: "workspace.created", target: workspace.id, data: { name } },
    tx.now,
  );
  return workspace;
}

async function adoptWorkspace(tx: Tx, userId: UserId, workspace: Workspace): Promise<Workspace> {
  await insertMembership(tx.ex, workspace.id, userId, "owner", tx.now);
  await audit(
    tx.ex,
    workspace.id,
    { actor: userId, action: "ownership.claimed", target: userId, data: { first_run: true } },
    tx.now,
  );
  return workspace;
}

/**
 * A new workspace of a signed-in person, who becomes its owner. Only owners and admins of a
 * workspace on this installation may make one: a workspace starts with its plan's credits (and may
 * spend them on the server's provider keys), so anyone invited anywhere making workspaces at will
 * would spend the installation's money.
 */
export async function createWorkspaceForUser(
  deps: AppDeps,
  userId: UserId,
  input: { name: string },
  defaults: WorkspaceDefaults = {},
): Promise<MyWorkspace> {
  const mine = await listUserWorkspaces(poolExec(deps), userId);
  if (!mine.some((w) => w.role === "owner" || w.role === "admin"))
    throw new DomainError(
      "forbidden",
      "New workspaces are made by the owners and admins of this installation's workspaces. Ask one of them to make it, or to invite you to theirs.",
    );
  const name = checkName(input.name, "workspace name");
  const ws = await withTx(deps, (tx) => ownWorkspace(tx, userId, name, defaults));
  return { id: ws.id, name: ws.name, plan: ws.plan, role: "owner" };
}

/**
 * The workspaces a person belongs to. `onlyWorkspaceId`: an API key sees its own workspace only,
 * never the other workspaces of the member who issued it.
 */
export async function listMyWorkspaces(
  deps: AppDeps,
  userId: string,
  onlyWorkspaceId?: string,
): Promise<MyWorkspace[]> {
  const all = await listUserWorkspaces(poolExec(deps), userId);
  return onlyWorkspaceId ? all.filter((w) => w.id === onlyWorkspaceId) : all;
}

// --- sign-in ------------------------------------------------------------------------------------

export interface NewSession {
  sessionId: string;
  /** The cookie value: returned once, never stored. */
  token: string;
  csrfToken: string;
  expiresAt: number;
}

export interface SignedIn extends NewSession {
  user: User;
  workspaces: MyWorkspace[];
}

/** The counters a sign-in attempt counts against: the e-mail's first, then the client's. */
const throttles = (email: string, ip: string) =>
  [
    { key: `email:${email}`, policy: LOGIN_THROTTLE },
    { key: `ip:${ip}`, policy: CLIENT_THROTTLE },
  ] as const;

/** Signs in by e-mail and password (`provePassword`), and opens a session. */
export async function signIn(
  deps: AppDeps,
  input: { email: string; password: string; ip: string },
): Promise<SignedIn> {
  const user = await provePassword(deps, input);
  const ex = poolExec(deps);
  const workspaces = await listUserWorkspaces(ex, user.id);
  const session = await startSession(deps, user.id, workspaces[0]?.id ?? null);
  const { passwordHash: _, ...plain } = user;
  return { ...session, user: plain, workspaces };
}

/**
 * The account of an e-mail and password (sign-in, and joining from an invite with an existing
 * account). Unknown e-mails cost the same scrypt work as known ones and get the same message;
 * failures count per e-mail and per client address (LOGIN_THROTTLE, CLIENT_THROTTLE). Each attempt is counted
 * as a failure *before* the password is checked, so a burst of parallel guesses cannot all slip
 * past the limit; a right password takes its count back.
 */
export async function provePassword(
  deps: AppDeps,
  input: { email: string; password: string; ip: string },
): Promise<User & { passwordHash: string }> {
  const email = input.email.trim().toLowerCase();
  const [byEmail, byClient] = throttles(email, input.ip);
  await withTx(deps, async (tx) => {
    const states = [];
    for (const { key } of [byEmail, byClient]) states.push(await lockThrottle(tx.ex, key, tx.now));
    for (const state of states) checkNotLocked(state, tx.now);
    for (const [i, { key, policy }] of [byEmail, byClient].entries())
      await writeThrottle(tx.ex, key, afterFailure(states[i], tx.now, policy));
  });
  const ex = poolExec(deps);
  const user = await findUserByEmail(ex, email);
  const ok = await verifyPassword(
    input.password,
    user?.passwordHash ?? (await dummyPasswordHash()),
  );
  if (!user || !ok) throw new DomainError("unauthorized", WRONG_CREDENTIALS);
  await withTx(deps, async (tx) => {
    // The e-mail's counter is cleared; the client's only loses this attempt, so one good password
    // does not reset the failures of a client that tried many addresses.
    await clearThrottle(tx.ex, byEmail.key);
    const client = await lockThrottle(tx.ex, byClient.key, tx.now);
    await writeThrottle(tx.ex, byClient.key, afterSuccess(client, byClient.policy));
  });
  return user;
}

/** Opens a session for a person already proven (sign-in, or a new account from an invite). */
export async function startSession(
  deps: AppDeps,
  userId: string,
  workspaceId: string | null,
): Promise<NewSession> {
  const token = newToken();
  const csrfToken = newToken();
  const at = deps.clock.now().getTime();
  const id = newId("session");
  await deleteExpiredSessions(poolExec(deps), userId, deps.clock.now());
  await insertSession(poolExec(deps), {
    id,
    token_hash: tokenHash(token),
    user_id: userId,
    workspace_id: workspaceId,
    csrf_token: csrfToken,
    created_at: at,
    last_seen_at: at,
    expires_at: at + SESSION_TTL_MS,
  });
  return { sessionId: id, token, csrfToken, expiresAt: at + SESSION_TTL_MS };
}

export async function signOut(deps: AppDeps, sessionId: string): Promise<void> {
  await deleteSession(poolExec(deps), sessionId);
}

// --- sessions -----------------------------------------------------------------------------------

export interface SessionAuth {
  sessionId: string;
  user: User;
  csrfToken: string;
  expiresAt: number;
  /** True when this call slid the expiry (the server then renews the cookie too). */
  renewed: boolean;
  /** The session's workspace (or the requested one); null while the person belongs to none. */
  actor: Actor | null;
}

/**
 * The session of a cookie token, or null when it is unknown or expired. `requestedWorkspaceId`
 * (the X-Atelya-Workspace header) acts in another of the person's workspaces for this request;
 * a workspace they are not in answers not_found, as if it did not exist.
 */
export async function authenticateSession(
  deps: AppDeps,
  token: string,
  requestedWorkspaceId?: string,
): Promise<SessionAuth | null> {
  const ex = poolExec(deps);
  const now = deps.clock.now().getTime();
  const session = await findSessionByHash(ex, tokenHash(token));
  if (!session || session.expiresAt <= now) return null;
  const user = await findUser(ex, session.userId);
  if (!user) return null;
  const renewed = now - session.lastSeenAt >= SESSION_TOUCH_MS;
  const expiresAt = renewed ? now + SESSION_TTL_MS : session.expiresAt;
  if (renewed) await touchSession(ex, session.id, session.lastSeenAt, now, expiresAt);
  const actor = await actingIn(deps, user.id, requestedWorkspaceId, session);
  return { sessionId: session.id, user, csrfToken: session.csrfToken, expiresAt, renewed, actor };
}

async function actingIn(
  deps: AppDeps,
  userId: UserId,
  requested: string | undefined,
  session: { id: string; workspaceId: string | null },
): Promise<Actor | null> {
  const ex = poolExec(deps);
  const as = (workspaceId: string, role: NonNullable<Awaited<ReturnType<typeof findRole>>>) => ({
    id: userId,
    userId,
    workspaceId: workspaceId as WorkspaceId,
    role,
  });
  if (requested) {
    const role = await findRole(ex, requested, userId);
    if (!role) throw new DomainError("not_found", `No workspace ${requested} among yours.`);
    return as(requested, role);
  }
  const role = session.workspaceId ? await findRole(ex, session.workspaceId, userId) : undefined;
  if (session.workspaceId && role) return as(session.workspaceId, role);
  // Removed from the session's workspace (or never had one): fall back to the oldest membership.
  const first = (await listUserWorkspaces(ex, userId))[0];
  await setSessionWorkspace(ex, session.id, first?.id ?? null);
  return first ? as(first.id, first.role) : null;
}

/** Moves the session to another of the person's workspaces. */
export async function switchWorkspace(
  deps: AppDeps,
  session: { sessionId: string; userId: string },
  workspaceId: string,
): Promise<MyWorkspace> {
  const mine = await listUserWorkspaces(poolExec(deps), session.userId);
  const target = mine.find((w) => w.id === workspaceId);
  if (!target) throw new DomainError("not_found", `No workspace ${workspaceId} among yours.`);
  await setSessionWorkspace(poolExec(deps), session.sessionId, target.id);
  return target;
}
