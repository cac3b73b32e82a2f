// Workspaces of the caller: list, create (the creator is its owner), and the current one with its
// plan, seats and API access.
import { createWorkspaceForUser, listMyWorkspaces } from "../../app/accounts.js";
import { describeWorkspace } from "../../app/plan.js";
import { DomainError } from "../../domain/errors.js";
import type { UserId } from "../../domain/ids.js";
import { CreateWorkspaceRequestSchema } from "../../domain/account-requests.js";
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

export const routes: readonly Route[] = [list, create, current];
