// The route table of /api/v1: one module per resource. The OpenAPI document and the isolation
// matrix test are generated from this list.
import type { Route } from "../route.js";
import { routes as accountRoutes } from "./accounts.js";
import { routes as apiKeyRoutes } from "./api-keys.js";
import { routes as inviteRoutes } from "./invites.js";
import { routes as memberRoutes } from "./members.js";
import { routes as workspaceRoutes } from "./workspaces.js";
import { routes as eventStreamRoutes } from "./events-stream.js";
import { routes as webhookRoutes } from "./webhooks.js";
import { routes as workroomRoutes } from "./workrooms.js";
import { routes as workroomInputRoutes } from "./workroom-inputs.js";
import { routes as peopleRoutes } from "./people.js";
import { routes as revisionRoutes } from "./revisions.js";
import { routes as exportRoutes } from "./exports.js";
import { routes as agentRoutes } from "./agents.js";
import { routes as creditRoutes } from "./credits.js";
import { routes as insightRoutes } from "./insights.js";
import { routes as auditRoutes } from "./audit.js";
import { routes as settingRoutes } from "./settings.js";
import { openApiRoute, systemRoutes } from "./system.js";

const RESOURCES: readonly Route[] = [
  ...systemRoutes,
  ...workroomRoutes,
  ...workroomInputRoutes,
  ...peopleRoutes,
  ...revisionRoutes,
  ...exportRoutes,
  ...eventStreamRoutes,
  ...accountRoutes,
  ...workspaceRoutes,
  ...memberRoutes,
  ...inviteRoutes,
  ...apiKeyRoutes,
  ...agentRoutes,
  ...creditRoutes,
  ...insightRoutes,
  ...auditRoutes,
  ...settingRoutes,
  ...webhookRoutes,
];

export const API_ROUTES: readonly Route[] = [...RESOURCES, openApiRoute(() => API_ROUTES)];
