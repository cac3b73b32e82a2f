// An API world for HTTP tests: a real server on a test database with workspace A (an owner, an
// admin, a member and a viewer, each with an API key) and workspace B (its own owner and key), and
// a `call` helper that speaks JSON over real HTTP.
import type { Role } from "../../src/domain/roles.js";
import type { UserId } from "../../src/domain/ids.js";
import type { Actor } from "../../src/app/context.js";
import { preparePerson, setupOwner, startSession } from "../../src/app/accounts.js";
import { addMember } from "../../src/app/members.js";
import { createApiKey } from "../../src/app/api-keys.js";
import { addTopUp } from "../../src/app/credits.js";
import { withTx } from "../../src/engine/tx.js";
import { insertUser } from "../../src/store/users.js";
import { anotherAgency } from "./accounts.js";
import { startTestServer, type TestServer } from "./server.js";

export const PASSWORD = "correct horse battery staple";

export interface Person {
  userId: UserId;
  email: string;
  role: Role;
  /** A workspace API key of this person (viewers may not hold one: empty). */
  key: string;
  /** A signed-in web session of this person: the cookie header and its CSRF token. */
  session: { cookie: string; csrf: string };
  actor: Actor;
}

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface CallOptions {
  body?: unknown;
  /** An API key; omit (and `as`) for an anonymous call. */
  key?: string;
  /** Call as this person's web session (cookie + CSRF token). */
  as?: Person;
  headers?: Record<string, string>;
}

export interface ApiWorld {
  server: TestServer;
  url: string;
  workspaceId: string;
  /** The people of workspace A by role. */
  people: Record<Role, Person>;
  /** The owner of workspace B, which must never see anything of A. */
  outsider: Person & { workspaceId: string };
  call<T = unknown>(method: string, path: string, options?: CallOptions): Promise<ApiResponse<T>>;
  close(): Promise<void>;
}

export async function startApi(
  dialect: "sqlite" | "postgres",
  options: Parameters<typeof startTestServer>[1] = {},
): Promise<ApiWorld> {
  const server = await startTestServer(dialect, options);
  const deps = server.harness.runtime.deps;
  const { user: owner, workspace } = await setupOwner(deps, {
    email: "owner@agency.test",
    name: "Olive Owner",
    password: PASSWORD,
    workspaceName: "Agency A",
  });
  const ownerActor: Actor = {
    id: owner.id,
    userId: owner.id,
    workspaceId: workspace.id,
    role: "owner",
  };
  await addTopUp(deps, ownerActor, 100_000, "test-world-topup");
  const person = async (
    role: Role,
    userId: UserId,
    email: string,
    workspaceId = workspace.id,
  ): Promise<Person> => {
    const actor: Actor = { id: userId, userId, workspaceId, role };
    const key =
      role === "viewer" ? "" : (await createApiKey(deps, actor, { name: `${role} key` })).key;
    const session = await startSession(deps, userId, workspaceId);
    return {
      userId,
      email,
      role,
      key,
      session: { cookie: `atelya_session=${session.token}`, csrf: session.csrfToken },
      actor,
    };
  };
  const people = { owner: await person("owner", owner.id, owner.email) } as Record<Role, Person>;
  for (const role of ["admin", "member", "viewer"] as const) {
    const email = `${role}@agency.test`;
    const user = await addMember(deps, ownerActor, {
      email,
      name: `A ${role}`,
      password: PASSWORD,
      role,
    });
    people[role] = await person(role, user.id, email);
  }
  const outsiderPerson = await preparePerson({
    email: "owner@other.test",
    name: "Otto Outsider",
    password: PASSWORD,
  });
  const outsiderUser = await withTx(deps, (tx) => insertUser(tx.ex, outsiderPerson, tx.now));
  const other = await anotherAgency(deps, outsiderUser.id, "Agency B");
  const outsider = {
    ...(await person("owner", outsiderUser.id, outsiderUser.email, other.id)),
    workspaceId: other.id,
  };

  return {
    server,
    url: server.url,
    workspaceId: workspace.id,
    people,
    outsider,
    async call<T>(method: string, path: string, o: CallOptions = {}): Promise<ApiResponse<T>> {
      const headers: Record<string, string> = { ...o.headers };
      if (o.key) headers.authorization = `Bearer ${o.key}`;
      if (o.as) {
        headers.cookie = o.as.session.cookie;
        headers["x-csrf-token"] = o.as.session.csrf;
      }
      if (o.body !== undefined) headers["content-type"] = "application/json";
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers,
        ...(o.body !== undefined ? { body: JSON.stringify(o.body) } : {}),
      });
      const text = await res.text();
      let body: unknown = text;
      if (res.headers.get("content-type")?.includes("application/json")) body = JSON.parse(text);
      return { status: res.status, headers: res.headers, body: body as T, text };
    },
    close: () => server.close(),
  };
}
