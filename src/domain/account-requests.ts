// Requests about people, sessions, invites, API keys and workspaces, as they cross a boundary
// (API, web), validated once with zod. The rules themselves (password length, seats) are checked
// by accounts.ts in the use cases, so the CLI gets the same messages.
import { z } from "zod";
import { PASSWORD_MAX, PASSWORD_MIN } from "./accounts.js";

const Email = z.string().trim().min(3).max(254).meta({ example: "dana@agency.example" });
const Password = z
  .string()
  .max(PASSWORD_MAX)
  .meta({ description: `At least ${PASSWORD_MIN} characters.` });
const Name = z.string().trim().min(1).max(120);
const InvitableRole = z.enum(["admin", "member", "viewer"]);

export const SetupRequestSchema = z
  .object({ email: Email, name: Name, password: Password, workspace_name: Name })
  .meta({ id: "SetupRequest" });

export const SignInRequestSchema = z
  .object({ email: Email, password: z.string().min(1).max(PASSWORD_MAX) })
  .meta({ id: "SignInRequest" });

export const SwitchWorkspaceRequestSchema = z
  .object({ workspace_id: z.string().min(1) })
  .meta({ id: "SwitchWorkspaceRequest" });

export const ChangeRoleRequestSchema = z
  .object({
    role: z
      .enum(["admin", "member", "viewer"])
      .meta({ description: "Owner is given only by POST /api/v1/ownership." }),
  })
  .meta({ id: "ChangeRoleRequest" });

export const TransferOwnershipRequestSchema = z
  .object({ user_id: z.string().min(1) })
  .meta({ id: "TransferOwnershipRequest" });

export const CreateInviteRequestSchema = z
  .object({ email: Email, role: InvitableRole.default("member") })
  .meta({ id: "CreateInviteRequest" });

export const AcceptInviteRequestSchema = z
  .object({
    name: Name.optional().meta({ description: "For a new account." }),
    password: Password.optional().meta({
      description: "The new account's password, or the existing account's.",
    }),
  })
  .meta({ id: "AcceptInviteRequest" });

export const CreateApiKeyRequestSchema = z
  .object({ name: Name })
  .meta({ id: "CreateApiKeyRequest" });

export const CreateWorkspaceRequestSchema = z
  .object({ name: Name })
  .meta({ id: "CreateWorkspaceRequest" });

export const DeleteWorkspaceRequestSchema = z
  .object({
    confirm: z
      .string()
      .meta({ description: "The workspace's name, exactly: deleting is for good." }),
  })
  .meta({ id: "DeleteWorkspaceRequest" });

export const ChangePasswordRequestSchema = z
  .object({ current_password: z.string().min(1).max(PASSWORD_MAX), new_password: Password })
  .meta({ id: "ChangePasswordRequest" });
