// Invites by link: owners and admins create, list and revoke them; anyone holding the link can
// see what it is for and accept it (creating an account, or joining with a signed-in one).
import { z } from "zod";
import { startSession } from "../../app/accounts.js";
import {
  acceptInvite,
  createInvite,
  describeInvite,
  listInvites,
  revokeInvite,
  type Acceptor,
} from "../../app/invites.js";
import {
  AcceptInviteRequestSchema,
  CreateInviteRequestSchema,
} from "../../domain/account-requests.js";
import { DomainError } from "../../domain/errors.js";
import { setSessionCookie } from "../auth.js";
import type { Principal } from "../principal.js";
import { defineRoute, type Route } from "../route.js";
import {
  AcceptedInviteSchema,
  CreatedInviteSchema,
  IdParamsSchema,
  InviteListSchema,
  InvitePreviewSchema,
  TokenParamsSchema,
  inviteView,
  userView,
} from "../views/accounts.js";

const tags = ["invites"] as const;

// Revoking (by id) and previewing (by token) share one path: an OpenAPI document may not hold two
// templates that differ only by a parameter's name, so the segment is `{invite}` for both.
const RevokeParams = z.object({
  invite: IdParamsSchema.shape.id.meta({ description: "The invite's id (inv_…)." }),
});
const PreviewParams = z.object({
  invite: TokenParamsSchema.shape.token.meta({
    description: "The token of the invite link (`/invite/<token>`).",
  }),
});

const list = defineRoute({
  method: "GET",
  path: "/api/v1/invites",
  operationId: "listInvites",
  summary: "Pending invites (not used, revoked or expired)",
  tags,
  auth: "workspace",
  action: "members.manage",
  response: { kind: "json", schema: InviteListSchema },
  handler: async ({ deps, actor }) => ({
    invites: (await listInvites(deps, actor)).map(inviteView),
  }),
});

const create = defineRoute({
  method: "POST",
  path: "/api/v1/invites",
  operationId: "createInvite",
  summary: "Invite someone by e-mail with a role",
  description:
    "Returns the link's token once. Pending invites count against the plan's seats; inviting costs no credits. The link is valid for 7 days and works once.",
  tags,
  auth: "workspace",
  action: "members.manage",
  body: CreateInviteRequestSchema,
  response: { kind: "json", schema: CreatedInviteSchema, status: 201 },
  handler: async ({ deps, config, actor, body }) => {
    const { invite, token } = await createInvite(deps, actor, body);
    const path = `/invite/${token}`;
    const url = config.publicUrl ? new URL(path, config.publicUrl).toString() : path;
    return { invite: inviteView(invite), token, url };
  },
});

const revoke = defineRoute({
  method: "DELETE",
  path: "/api/v1/invites/:invite",
  operationId: "revokeInvite",
  summary: "Revoke a pending invite",
  tags,
  auth: "workspace",
  action: "members.manage",
  params: RevokeParams,
  response: { kind: "empty", description: "Revoked." },
  handler: async ({ deps, actor, params }) => {
    await revokeInvite(deps, actor, params.invite);
  },
});

const preview = defineRoute({
  method: "GET",
  path: "/api/v1/invites/:invite",
  operationId: "previewInvite",
  summary: "What an invite link is for: the workspace and the role (public)",
  tags,
  auth: "public",
  params: PreviewParams,
  // A used, revoked or expired link.
  errors: ["409"],
  response: { kind: "json", schema: InvitePreviewSchema },
  handler: async ({ deps, params }) => {
    const v = await describeInvite(deps, params.invite);
    return {
      workspace: v.workspace,
      email: v.email,
      role: v.role,
      expires_at: new Date(v.expiresAt).toISOString(),
      has_account: v.hasAccount,
    };
  },
});

function acceptor(
  principal: Principal | null,
  body: { name?: string; password?: string },
  ip: string,
): Acceptor {
  if (principal?.kind === "api_key")
    throw new DomainError(
      "invalid_input",
      "Accept an invite signed in as a person, not with an API key.",
    );
  if (principal) return { kind: "signed_in", userId: principal.user.id };
  if (!body.password)
    throw new DomainError(
      "invalid_input",
      "Send a password: the new account's, or your existing account's.",
    );
  return body.name
    ? { kind: "new", name: body.name, password: body.password }
    : { kind: "existing", password: body.password, ip };
}

const accept = defineRoute({
  method: "POST",
  path: "/api/v1/invites/:token/accept",
  operationId: "acceptInvite",
  summary: "Accept an invite: join with a signed-in account, an existing one, or a new one",
  description:
    "Signed in: joins with that account, which must be the invited address's (another account is refused with 403). Otherwise send `name` and `password` to create the account, or only `password` to join with the invited address's existing account (its failures count toward the sign-in lock, 429); you are then signed in. A used, revoked or expired link answers 409.",
  tags,
  auth: "public",
  errors: ["401", "403", "429"],
  params: TokenParamsSchema,
  body: AcceptInviteRequestSchema,
  response: { kind: "json", schema: AcceptedInviteSchema },
  handler: async ({ deps, config, principal, params, body, request, reply }) => {
    const who = acceptor(principal, body, request.ip);
    const { user, workspace } = await acceptInvite(deps, params.token, who);
    if (!principal) {
      const s = await startSession(deps, user.id, workspace.id);
      setSessionCookie(reply, config, s.token, s.expiresAt);
    }
    return { user: userView(user), workspace };
  },
});

export const routes: readonly Route[] = [list, create, revoke, preview, accept];
