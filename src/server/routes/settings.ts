// Workspace settings: the export profile (letterhead), tools (MCP servers and the fetch
// allow-list) and models (default and Planner models, provider keys shown masked).
import {
  getModelSettings,
  modelSettingsVersion,
  updateModelSettings,
} from "../../app/model-settings.js";
import {
  getSettings,
  getToolSettings,
  letterheadVersion,
  setExportProfile,
  setToolSettings,
  toolsVersion,
} from "../../app/settings.js";
import { listGrantableTools } from "../../app/tools.js";
import { IF_MATCH } from "../preconditions.js";
import { defineRoute, type Route } from "../route.js";
import {
  ExportProfileSettingSchema,
  ExportProfileView,
  ModelSettingsChangeView,
  ModelSettingsView,
  ToolListSchema,
  ToolSettingsView,
} from "../views/settings.js";

const tags = ["settings"] as const;

const getExportProfile = defineRoute({
  method: "GET",
  path: "/api/v1/settings/export-profile",
  operationId: "getExportProfile",
  summary: "The letterhead of exported deliverables",
  description: "The ETag is the letterhead's version, for `If-Match` on PUT.",
  tags,
  auth: "workspace",
  action: "workroom.read",
  etag: true,
  response: { kind: "json", schema: ExportProfileSettingSchema },
  handler: async ({ deps, actor, setVersion }) => {
    const settings = await getSettings(deps, actor);
    setVersion(letterheadVersion(settings));
    return { export_profile: settings.export_profile };
  },
});

const putExportProfile = defineRoute({
  method: "PUT",
  path: "/api/v1/settings/export-profile",
  operationId: "setExportProfile",
  summary: "Save the letterhead (owners and admins)",
  description: `400 when the logo's bytes are not the PNG or JPEG its mime type says, the image is damaged (cut short, or its data does not check out), or it is more than 4,096 pixels on a side or 4 megapixels in all; 413 when the body is over 2.5 MB (a 1.5 MB logo in base64 fits). ${IF_MATCH}`,
  tags,
  auth: "workspace",
  action: "settings.manage",
  // A 1.5 MB logo (the domain's limit) is 2 MB in base64, over the server's usual JSON limit.
  bodyLimit: 2_621_440,
  etag: true,
  body: ExportProfileView,
  response: { kind: "json", schema: ExportProfileSettingSchema },
  handler: async ({ deps, actor, body, ifMatch, setVersion }) => {
    const settings = await setExportProfile(deps, actor, body, ifMatch);
    setVersion(letterheadVersion(settings));
    return { export_profile: settings.export_profile };
  },
});

const getTools = defineRoute({
  method: "GET",
  path: "/api/v1/settings/tools",
  operationId: "getToolSettings",
  summary: "MCP servers and the fetch allow-list (owners and admins)",
  description: "The ETag is the tools' version, for `If-Match` on PUT.",
  tags,
  auth: "workspace",
  action: "settings.manage",
  etag: true,
  response: { kind: "json", schema: ToolSettingsView },
  handler: async ({ deps, actor, setVersion }) => {
    const tools = await getToolSettings(deps, actor);
    setVersion(toolsVersion(tools));
    return tools;
  },
});

const putTools = defineRoute({
  method: "PUT",
  path: "/api/v1/settings/tools",
  operationId: "setToolSettings",
  summary: "Replace the MCP servers and the fetch allow-list (owners and admins)",
  description: IF_MATCH,
  tags,
  auth: "workspace",
  action: "settings.manage",
  etag: true,
  body: ToolSettingsView,
  response: { kind: "json", schema: ToolSettingsView },
  handler: async ({ deps, actor, body, ifMatch, setVersion }) => {
    const tools = await setToolSettings(deps, actor, body, ifMatch);
    setVersion(toolsVersion(tools));
    return tools;
  },
});

const getModels = defineRoute({
  method: "GET",
  path: "/api/v1/settings/models",
  operationId: "getModelSettings",
  summary: "Default and Planner models and provider keys, masked (owners and admins)",
  description: "The ETag is the model settings' version, for `If-Match` on PATCH.",
  tags,
  auth: "workspace",
  action: "settings.manage",
  etag: true,
  response: { kind: "json", schema: ModelSettingsView },
  handler: async ({ deps, actor, setVersion }) => {
    const models = await getModelSettings(deps, actor);
    setVersion(modelSettingsVersion(models));
    return models;
  },
});

const patchModels = defineRoute({
  method: "PATCH",
  path: "/api/v1/settings/models",
  operationId: "updateModelSettings",
  summary: "Change the models or provider keys (owners and admins)",
  description: `Only the fields sent change; null clears a key or base URL (the environment's applies again). Keys are never returned in clear. ${IF_MATCH}`,
  tags,
  auth: "workspace",
  action: "settings.manage",
  etag: true,
  body: ModelSettingsChangeView,
  response: { kind: "json", schema: ModelSettingsView },
  handler: async ({ deps, actor, body, ifMatch, setVersion }) => {
    const models = await updateModelSettings(deps, actor, body, ifMatch);
    setVersion(modelSettingsVersion(models));
    return models;
  },
});

const listTools = defineRoute({
  method: "GET",
  path: "/api/v1/tools",
  operationId: "listTools",
  summary: "The tools an agent can be granted: the built-ins and the workspace's MCP tools",
  description:
    "409 when one of the workspace's MCP servers cannot be reached (the message names it).",
  tags,
  auth: "workspace",
  action: "workroom.read",
  errors: ["409"],
  response: { kind: "json", schema: ToolListSchema },
  handler: async ({ deps, actor }) => ({
    tools: (await listGrantableTools(deps, actor)).map((t) => ({
      name: t.name,
      description: t.description,
    })),
  }),
});

export const routes: readonly Route[] = [
  listTools,
  getExportProfile,
  putExportProfile,
  getTools,
  putTools,
  getModels,
  patchModels,
];
