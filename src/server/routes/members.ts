// The people of the current workspace: list, change a role, leave, remove, transfer ownership.
import {
  changeRole,
  leaveWorkspace,
  listMembers,
  removeMember,
  transferOwnership,
} from "../../app/members.js";
import {
  ChangeRoleRequestSchema,
  TransferOwnershipRequestSchema,
} from "../../domain/account-requests.js";
import { defineRoute, type Route } from "../route.js";
import {
  MemberListSchema,
  MemberSchema,
  UserIdParamsSchema,
  memberView,
} from "../views/accounts.js";

const tags = ["members"] as const;

const list = defineRoute({
  method: "GET",
  path: "/api/v1/members",
  operationId: "listMembers",
  summary: "Members of the workspace and their roles",
  tags,
  auth: "workspace",
  action: "members.read",
  response: { kind: "json", schema: MemberListSchema },
  handler: async ({ deps, actor }) => ({
    members: (await listMembers(deps, actor)).map(memberView),
  }),
});

const patch = defineRoute({
  method: "PATCH",
  path: "/api/v1/members/:user_id",
  operationId: "changeMemberRole",
  summary: "Change a member's role (owner and admins)",
  description:
    "A workspace always has exactly one owner: the owner's role changes only by transferring ownership.",
  tags,
  auth: "workspace",
  action: "members.manage",
  params: UserIdParamsSchema,
  body: ChangeRoleRequestSchema,
  response: { kind: "json", schema: MemberSchema },
  handler: async ({ deps, actor, params, body }) =>
    memberView(await changeRole(deps, actor, params.user_id, body.role)),
});

const leave = defineRoute({
  method: "DELETE",
  path: "/api/v1/members/me",
  operationId: "leaveWorkspace",
  summary: "Leave the workspace (any role but the owner)",
  description: "Your API keys in this workspace are revoked. The owner transfers ownership first.",
  tags,
  auth: "workspace",
  response: { kind: "empty", description: "Left." },
  handler: async ({ deps, actor }) => {
    await leaveWorkspace(deps, actor);
  },
});

const remove = defineRoute({
  method: "DELETE",
  path: "/api/v1/members/:user_id",
  operationId: "removeMember",
  summary: "Remove a member (owner and admins)",
  description: "The owner cannot be removed. A removed member's API keys are revoked.",
  tags,
  auth: "workspace",
  action: "members.manage",
  params: UserIdParamsSchema,
  response: { kind: "empty", description: "Removed." },
  handler: async ({ deps, actor, params }) => {
    await removeMember(deps, actor, params.user_id);
  },
});

const ownership = defineRoute({
  method: "POST",
  path: "/api/v1/ownership",
  operationId: "transferOwnership",
  summary: "Make another member the owner (owner only); you become an admin",
  tags,
  auth: "workspace",
  action: "ownership.transfer",
  body: TransferOwnershipRequestSchema,
  response: { kind: "empty", description: "Ownership transferred." },
  handler: async ({ deps, actor, body }) => {
    await transferOwnership(deps, actor, body.user_id);
  },
});

export const routes: readonly Route[] = [list, patch, leave, remove, ownership];
