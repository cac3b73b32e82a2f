// The wire shapes of people, sessions, invites, API keys and workspaces (snake_case, ISO times),
// and the mappers from the use cases' results; request bodies are in domain/account-requests.ts.
// Shapes used only inside others carry no `id`: the OpenAPI generator names top-level schemas.
import { z } from "zod";
import type { MyWorkspace } from "../../app/accounts.js";
import type { ApiKeyListed, IssuedApiKey } from "../../app/api-keys.js";
import type { Invite } from "../../app/invites.js";
import type { Member } from "../../app/members.js";
import type { WorkspaceOverview } from "../../app/plan.js";
import { PLAN_NAMES, ROLES } from "../../domain/roles.js";
import type { Principal } from "../principal.js";

const Time = z.iso.datetime();
const RoleSchema = z.enum(ROLES);
const iso = (ms: number) => new Date(ms).toISOString();

export const SetupStatusSchema = z
  .object({ setup_needed: z.boolean() })
  .meta({ id: "SetupStatus" });

export const UserSchema = z.object({ id: z.string(), email: z.string(), name: z.string() });

export const MyWorkspaceSchema = z
  .object({ id: z.string(), name: z.string(), plan: z.enum(PLAN_NAMES), role: RoleSchema })
  .meta({ id: "MyWorkspace" });

export const SessionSchema = z
  .object({
    user: UserSchema,
    workspaces: z.array(MyWorkspaceSchema),
    /** The workspace this caller acts in; null until they belong to one. */
    current_workspace_id: z.string().nullable(),
    via: z.enum(["session", "api_key"]),
    csrf_token: z.string().nullable().meta({
      description:
        "Send as X-CSRF-Token on every cookie-authenticated write. Null for API keys, which need none.",
    }),
    expires_at: Time.nullable().meta({
      description:
        "When this web session ends unless it is used again (each use renews it). Null for API keys.",
    }),
  })
  .meta({ id: "Session" });

export const MemberSchema = z
  .object({ user: UserSchema, role: RoleSchema, joined_at: Time })
  .meta({ id: "Member" });

export const MemberListSchema = z
  .object({ members: z.array(MemberSchema) })
  .meta({ id: "MemberList" });

export const InviteSchema = z.object({
  id: z.string(),
  email: z.string(),
  role: RoleSchema,
  invited_by: z.string(),
  created_at: Time,
  expires_at: Time,
});

export const InviteListSchema = z
  .object({ invites: z.array(InviteSchema) })
  .meta({ id: "InviteList" });

export const CreatedInviteSchema = z
  .object({
    invite: InviteSchema,
    token: z.string().meta({ description: "Shown once: the invite link carries it." }),
    url: z.string().meta({ description: "The link to send: /invite/<token>." }),
  })
  .meta({ id: "CreatedInvite" });

export const InvitePreviewSchema = z
  .object({
    workspace: z.object({ id: z.string(), name: z.string() }),
    email: z.string(),
    role: RoleSchema,
    expires_at: Time,
    has_account: z.boolean(),
  })
  .meta({ id: "InvitePreview" });

export const AcceptedInviteSchema = z
  .object({ user: UserSchema, workspace: MyWorkspaceSchema })
  .meta({ id: "AcceptedInvite" });

export const ApiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string().meta({ description: "The visible start of the key, e.g. atk_3f9q2xAb." }),
  created_at: Time,
  last_used_at: Time.nullable(),
  issuer: UserSchema,
});

export const ApiKeyListSchema = z
  .object({ api_keys: z.array(ApiKeySchema) })
  .meta({ id: "ApiKeyList" });

export const IssuedApiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string(),
    created_at: Time,
    key: z.string().meta({ description: "The whole key: shown this once, never again." }),
  })
  .meta({ id: "IssuedApiKey" });

export const WorkspaceListSchema = z
  .object({ workspaces: z.array(MyWorkspaceSchema) })
  .meta({ id: "WorkspaceList" });

export const WorkspaceOverviewSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    plan: z.enum(PLAN_NAMES),
    plan_label: z.string(),
    max_users: z.number().int().nullable().meta({ description: "Null: unlimited seats." }),
    seats_used: z.object({ members: z.number().int(), pending_invites: z.number().int() }),
    api_access: z.boolean(),
    default_model: z.string().meta({
      description:
        "The model the workspace's rooms use unless an agent names its own; `scripted` is the stand-in that writes deterministic text from the inputs, with no language model.",
    }),
    role: RoleSchema,
  })
  .meta({ id: "WorkspaceOverview" });

export const IdParamsSchema = z.object({ id: z.string().min(1).max(100) });

export const UserIdParamsSchema = z.object({ user_id: z.string().min(1).max(100) });

export const TokenParamsSchema = z.object({ token: z.string().min(1).max(200) });

type In<S extends z.ZodType> = z.input<S>;

export const userView = (u: { id: string; email: string; name: string }) => ({
  id: u.id,
  email: u.email,
  name: u.name,
});

export const memberView = (m: Member): In<typeof MemberSchema> => ({
  user: userView(m.user),
  role: m.role,
  joined_at: iso(m.joinedAt),
});

export const inviteView = (i: Invite): In<typeof InviteSchema> => ({
  id: i.id,
  email: i.email,
  role: i.role,
  invited_by: i.invitedBy,
  created_at: iso(i.createdAt),
  expires_at: iso(i.expiresAt),
});

export const apiKeyView = (k: ApiKeyListed): In<typeof ApiKeySchema> => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  created_at: iso(k.createdAt),
  last_used_at: k.lastUsedAt === null ? null : iso(k.lastUsedAt),
  issuer: userView(k.issuer),
});

export const issuedKeyView = (k: IssuedApiKey): In<typeof IssuedApiKeySchema> => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  created_at: iso(k.createdAt),
  key: k.key,
});

export function sessionView(s: {
  user: { id: string; email: string; name: string };
  workspaces: MyWorkspace[];
  currentWorkspaceId: string | null;
  via: Principal["kind"];
  csrfToken: string | null;
  expiresAt: number | null;
}): In<typeof SessionSchema> {
  return {
    user: userView(s.user),
    workspaces: s.workspaces,
    current_workspace_id: s.currentWorkspaceId,
    via: s.via,
    csrf_token: s.csrfToken,
    expires_at: s.expiresAt === null ? null : iso(s.expiresAt),
  };
}

export const workspaceOverviewView = (
  w: WorkspaceOverview,
): In<typeof WorkspaceOverviewSchema> => ({
  id: w.id,
  name: w.name,
  plan: w.plan,
  plan_label: w.planLabel,
  max_users: w.maxUsers,
  seats_used: { members: w.seatsUsed.members, pending_invites: w.seatsUsed.pendingInvites },
  api_access: w.apiAccess,
  default_model: w.defaultModel,
  role: w.role,
});
