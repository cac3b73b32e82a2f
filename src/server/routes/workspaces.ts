// Workspaces of the caller: list, create (the creator is its owner), and the current one with its
// plan, seats and API access.
import { createWorkspaceForUser, listMyWorkspaces } from "../../app/accounts.js";
import { describeWorkspace } from "../../app/plan.js";
import { deleteWorkspace, exportWorkspace } from "../../app/workspace-data.js";
import { DomainError } from "../../domain/errors.js";
import type { UserId } from "../../domain/ids.js";
import {
  CreateWorkspaceRequestSchema,
  DeleteWorkspaceRequestSchema,
} from "../../domain/account-requests.js";
import { keyWorkspace } from "../auth.js";
import { defineRoute, type Route } from "../route.js";
import {
  MyWorkspaceSchema,
  WorkspaceListSchema,
  WorkspaceOverviewSchema,
  workspaceOverviewView,
} from "../views/accounts.js";

const tags = ["workspaces"] as const;

const list = defineRoute({
  method: "GET",
  path: "/api/v1/workspaces",
  operationId: "listWorkspaces",
  summary: "The workspaces you belong to, with your role in each",
  tags,
  auth: "user",
  response: { kind: "json", schema: WorkspaceListSchema },
  handler: async ({ deps, principal }) => ({
    workspaces: await listMyWorkspaces(deps, principal.user.id, keyWorkspace(principal)),
  }),
});

const create = defineRoute({
  method: "POST",
  path: "/api/v1/workspaces",
  operationId: "createWorkspace",
  summary: "Create a workspace; you become its owner",
  description:
    "For people who own or administer a workspace on this installation (anyone else gets 403): a new workspace comes with its plan's credits.",
  tags,
  auth: "user",
  body: CreateWorkspaceRequestSchema,
  response: { kind: "json", schema: MyWorkspaceSchema, status: 201 },
  handler: async ({ deps, config, principal, body }) => {
    if (principal.kind === "api_key")
      throw new DomainError(
        "forbidden",
        "An API key acts in its own workspace only: create workspaces signed in to the web app.",
      );
    return createWorkspaceForUser(deps, principal.user.id as UserId, body, {
      defaultModel: config.defaultModel,
    });
  },
});

const current = defineRoute({
  method: "GET",
  path: "/api/v1/workspace",
  operationId: "getWorkspace",
  summary: "The current workspace: plan, seats used, API access and your role",
  tags,
  auth: "workspace",
  response: { kind: "json", schema: WorkspaceOverviewSchema, workspaceOverviewView },
  handler: async ({ deps, actor }) => workspaceOverviewView(await describeWorkspace(deps, actor)),
});

const exportAll = defineRoute({
  method: "GET",
  path: "/api/v1/workspace/export",
  operationId: "exportWorkspace",
  summary: "Everything the workspace holds, as one zip archive (owners and admins)",
  description:
    "JSON Lines per table (workrooms, inputs, plans, tasks with outputs, drafts, revisions, every history event, model calls, ledger, agents, members, invites, API keys, webhooks and deliveries, audit log), the workspace's settings, every deliverable round as Markdown, and a manifest of what is in it. Credentials (passwords, API keys, invite links, webhook and provider secrets) are left out; MCP header and environment values are masked. Read from one consistent snapshot; recorded in the audit log.",
  tags,
  auth: "workspace",
  action: "workspace.export",
  response: {
    kind: "file",
    contentTypes: ["application/zip"],
    description: "The archive, with a Content-Disposition filename.",
  },
  handler: async ({ deps, actor, config }) => {
    const archive = await exportWorkspace(deps, actor, config.spoolDir);
    return { filename: archive.filename, mimeType: archive.mimeType, bytes: archive.stream };
  },
});

const remove = defineRoute({
  method: "DELETE",
  path: "/api/v1/workspace",
  operationId: "deleteWorkspace",
  summary: "Delete the workspace and everything in it, for good (owner or admin)",
  description:
    "`confirm` must be the workspace's name exactly (400 otherwise, and nothing is deleted). Rooms at work stop. Members keep their accounts; a session that was in this workspace moves to another of its person's workspaces, or to none.",
  tags,
  auth: "workspace",
  action: "workspace.delete",
  body: DeleteWorkspaceRequestSchema,
  response: { kind: "empty", description: "The workspace is gone." },
  handler: async ({ deps, actor, body }) => {
    await deleteWorkspace(deps, actor, body.confirm);
  },
});

export const routes: readonly Route[] = [list, create, current, exportAll, remove];
