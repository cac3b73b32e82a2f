// First-run setup and sessions: sign in (sets the httpOnly cookie), who am I, switch workspace,
// sign out.
import {
  listMyWorkspaces,
  setupNeeded,
  setupOwner,
  signIn,
  signOut,
  startSession,
  switchWorkspace,
} from "../../app/accounts.js";
import { changePassword } from "../../app/passwords.js";
import { DomainError } from "../../domain/errors.js";
import {
  ChangePasswordRequestSchema,
  SetupRequestSchema,
  SignInRequestSchema,
  SwitchWorkspaceRequestSchema,
} from "../../domain/account-requests.js";
import { clearSessionCookie, keyWorkspace, setSessionCookie } from "../auth.js";
import type { Principal } from "../principal.js";
import { defineRoute, type Route } from "../route.js";
import { SessionSchema, SetupStatusSchema, sessionView } from "../views/accounts.js";

const tags = ["session"] as const;

function sessionOnly(principal: Principal): Extract<Principal, { kind: "session" }> {
  if (principal.kind !== "session")
    throw new DomainError(
      "invalid_input",
      "API keys have no session: this applies to people signed in through the web app.",
    );
  return principal;
}

const getSetup = defineRoute({
  method: "GET",
  path: "/api/v1/setup",
  operationId: "getSetup",
  summary: "Whether this installation still needs its first owner",
  tags,
  auth: "public",
  response: { kind: "json", schema: SetupStatusSchema },
  handler: async ({ deps }) => ({ setup_needed: await setupNeeded(deps) }),
});

const postSetup = defineRoute({
  method: "POST",
  path: "/api/v1/setup",
  operationId: "setup",
  summary: "Create the owner account and its workspace (first run only), and sign in",
  description: "Refused with 409 once any account exists.",
  tags,
  auth: "public",
  body: SetupRequestSchema,
  response: { kind: "json", schema: SessionSchema, status: 201 },
  handler: async ({ deps, config, body, reply }) => {
    const { user, workspace } = await setupOwner(
      deps,
      {
        email: body.email,
        name: body.name,
        password: body.password,
        workspaceName: body.workspace_name,
      },
      { defaultModel: config.defaultModel },
    );
    const session = await startSession(deps, user.id, workspace.id);
    setSessionCookie(reply, config, session.token, session.expiresAt);
    return sessionView({
      user,
      workspaces: await listMyWorkspaces(deps, user.id),
      currentWorkspaceId: workspace.id,
      via: "session",
      csrfToken: session.csrfToken,
      expiresAt: session.expiresAt,
    });
  },
});

const postSession = defineRoute({
  method: "POST",
  path: "/api/v1/session",
  operationId: "signIn",
  summary: "Sign in with e-mail and password",
  description:
    "Sets the `atelya_session` cookie (httpOnly, SameSite=Lax). Five failures in 15 minutes, per e-mail or per client address, lock sign-in for 15 minutes (429).",
  tags,
  auth: "public",
  errors: ["401", "429"],
  body: SignInRequestSchema,
  response: { kind: "json", schema: SessionSchema },
  handler: async ({ deps, config, body, request, reply }) => {
    const s = await signIn(deps, { email: body.email, password: body.password, ip: request.ip });
    setSessionCookie(reply, config, s.token, s.expiresAt);
    return sessionView({
      user: s.user,
      workspaces: s.workspaces,
      currentWorkspaceId: s.workspaces[0]?.id ?? null,
      via: "session",
      csrfToken: s.csrfToken,
      expiresAt: s.expiresAt,
    });
  },
});

const getSession = defineRoute({
  method: "GET",
  path: "/api/v1/session",
  operationId: "getSession",
  summary: "Who is calling: the person, their workspaces, the current one and the CSRF token",
  tags,
  auth: "user",
  response: { kind: "json", schema: SessionSchema },
  handler: async ({ deps, principal }) =>
    sessionView({
      user: principal.user,
      workspaces: await listMyWorkspaces(deps, principal.user.id, keyWorkspace(principal)),
      currentWorkspaceId: principal.actor?.workspaceId ?? null,
      via: principal.kind,
      csrfToken: principal.kind === "session" ? principal.csrfToken : null,
      expiresAt: principal.kind === "session" ? principal.expiresAt : null,
    }),
});

const deleteSession = defineRoute({
  method: "DELETE",
  path: "/api/v1/session",
  operationId: "signOut",
  summary: "Sign out (ends this session and clears its cookie)",
  tags,
  auth: "user",
  response: { kind: "empty", description: "Signed out." },
  handler: async ({ deps, config, principal, reply }) => {
    await signOut(deps, sessionOnly(principal).sessionId);
    clearSessionCookie(reply, config);
  },
});

const putSessionWorkspace = defineRoute({
  method: "PUT",
  path: "/api/v1/session/workspace",
  operationId: "switchWorkspace",
  summary: "Act in another of your workspaces from now on",
  description:
    "For a single request, the X-Atelya-Workspace header does the same without changing the session.",
  tags,
  auth: "user",
  errors: ["404"],
  body: SwitchWorkspaceRequestSchema,
  response: { kind: "json", schema: SessionSchema },
  handler: async ({ deps, principal, body }) => {
    const session = sessionOnly(principal);
    const target = await switchWorkspace(
      deps,
      { sessionId: session.sessionId, userId: session.user.id },
      body.workspace_id,
    );
    return sessionView({
      user: session.user,
      workspaces: await listMyWorkspaces(deps, session.user.id),
      currentWorkspaceId: target.id,
      via: "session",
      csrfToken: session.csrfToken,
      expiresAt: session.expiresAt,
    });
  },
});

const putPassword = defineRoute({
  method: "PUT",
  path: "/api/v1/session/password",
  operationId: "changePassword",
  summary: "Change your password; your other sessions are signed out",
  description:
    "A wrong `current_password` answers 403; failures count toward the sign-in lock of the account and of the client address (429 while locked).",
  tags,
  auth: "user",
  errors: ["429"],
  body: ChangePasswordRequestSchema,
  response: { kind: "empty", description: "Changed." },
  handler: async ({ deps, principal, body, request }) => {
    const session = sessionOnly(principal);
    await changePassword(
      deps,
      { sessionId: session.sessionId, userId: session.user.id },
      { current: body.current_password, next: body.new_password, ip: request.ip },
    );
  },
});

export const routes: readonly Route[] = [
  putPassword,
  getSetup,
  postSetup,
  postSession,
  getSession,
  deleteSession,
  putSessionWorkspace,
];
