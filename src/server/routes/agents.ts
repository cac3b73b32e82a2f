// Custom agents and their Style Memory: list, create, read, edit, copy, archive; read, save, extract
// (a charged model call) and copy Style Memory. Each handler calls one use case of app/agents.ts.
import { z } from "zod";
import {
  agentVersion,
  archiveAgent,
  copyAgent,
  copyStyle,
  createAgent,
  editAgent,
  getAgent,
  listCustomAgents,
  saveStyle,
} from "../../app/agents.js";
import { ACTION_CREDIT_COSTS } from "../../domain/credits.js";
import { AgentInputSchema, AgentPatchSchema } from "../../domain/requests.js";
import { IF_MATCH } from "../preconditions.js";
import { defineRoute, type Route } from "../route.js";
import { answerExtraction, extractStyleFromUploads } from "./agent-style-uploads.js";
import {
  AgentListSchema,
  AgentSchema,
  CopyAgentRequestSchema,
  CopyStyleRequestSchema,
  ExtractedStyleSchema,
  ExtractStyleRequestSchema,
  StyleMemorySchema,
  StyleRulesView,
  toAgentView,
  toStyleMemoryView,
} from "../views/agents.js";

const tags = ["agents"] as const;

/** An agent and its Style Memory share one version: the builder edits both. */
const AGENT_VERSION =
  "The ETag is the agent's version, the same for the agent and its Style Memory (it changes when either does): send it as `If-Match` on PATCH /api/v1/agents/{id} or PUT …/style.";
const IdParams = z.object({ id: z.string() });

const ListQuery = z.object({
  include_archived: z
    .stringbool()
    .optional()
    .meta({ description: "Also list archived agents (true/false)." }),
});

const list = defineRoute({
  method: "GET",
  path: "/api/v1/agents",
  operationId: "listAgents",
  summary: "The workspace's custom agents (the Planner and Composer are not listed)",
  tags,
  auth: "workspace",
  action: "workroom.read",
  query: ListQuery,
  response: { kind: "json", schema: AgentListSchema },
  handler: async ({ deps, actor, query }) => ({
    agents: (
      await listCustomAgents(deps, actor, { includeArchived: query.include_archived ?? false })
    ).map(toAgentView),
  }),
});

const create = defineRoute({
  method: "POST",
  path: "/api/v1/agents",
  operationId: "createAgent",
  summary: "Create a custom agent",
  tags,
  auth: "workspace",
  action: "agent.write",
  body: AgentInputSchema.meta({ id: "AgentInput" }),
  response: { kind: "json", schema: AgentSchema, status: 201 },
  handler: async ({ deps, actor, body }) => toAgentView(await createAgent(deps, actor, body)),
});

const get = defineRoute({
  method: "GET",
  path: "/api/v1/agents/:id",
  operationId: "getAgent",
  summary: "One custom agent",
  description: AGENT_VERSION,
  tags,
  auth: "workspace",
  action: "workroom.read",
  etag: true,
  params: IdParams,
  response: { kind: "json", schema: AgentSchema },
  handler: async ({ deps, actor, params, setVersion }) => {
    const agent = await getAgent(deps, actor, params.id);
    setVersion(agentVersion(agent));
    return toAgentView(agent);
  },
});

const edit = defineRoute({
  method: "PATCH",
  path: "/api/v1/agents/:id",
  operationId: "editAgent",
  summary: "Change some fields of a custom agent",
  description: `Only the fields sent change. ${IF_MATCH}`,
  tags,
  auth: "workspace",
  action: "agent.write",
  etag: true,
  params: IdParams,
  body: AgentPatchSchema.meta({ id: "AgentPatch" }),
  response: { kind: "json", schema: AgentSchema },
  // The patch schema has no defaults, so the parsed body holds only the fields sent.
  handler: async ({ deps, actor, params, body, ifMatch, setVersion }) => {
    const agent = await editAgent(deps, actor, params.id, body, ifMatch);
    setVersion(agentVersion(agent));
    return toAgentView(agent);
  },
});

const copy = defineRoute({
  method: "POST",
  path: "/api/v1/agents/:id/copy",
  operationId: "copyAgent",
  summary: "A new agent with the same settings and Style Memory",
  tags,
  auth: "workspace",
  action: "agent.write",
  params: IdParams,
  body: CopyAgentRequestSchema,
  response: { kind: "json", schema: AgentSchema, status: 201 },
  handler: async ({ deps, actor, params, body }) =>
    toAgentView(await copyAgent(deps, actor, params.id, body.name)),
});

const archive = defineRoute({
  method: "POST",
  path: "/api/v1/agents/:id/archive",
  operationId: "archiveAgent",
  summary: "Archive a custom agent",
  description:
    "Archived agents stay on the workrooms that used them but can no longer be attached to new ones.",
  tags,
  auth: "workspace",
  action: "agent.write",
  params: IdParams,
  response: { kind: "json", schema: AgentSchema },
  handler: async ({ deps, actor, params }) =>
    toAgentView(await archiveAgent(deps, actor, params.id)),
});

const getStyle = defineRoute({
  method: "GET",
  path: "/api/v1/agents/:id/style",
  operationId: "getAgentStyle",
  summary: "An agent's Style Memory",
  description: AGENT_VERSION,
  tags,
  auth: "workspace",
  action: "workroom.read",
  etag: true,
  params: IdParams,
  response: { kind: "json", schema: StyleMemorySchema },
  handler: async ({ deps, actor, params, setVersion }) => {
    const agent = await getAgent(deps, actor, params.id);
    setVersion(agentVersion(agent));
    return toStyleMemoryView(agent);
  },
});

const putStyle = defineRoute({
  method: "PUT",
  path: "/api/v1/agents/:id/style",
  operationId: "saveAgentStyle",
  summary: "Save an agent's Style Memory (all seven fields)",
  description: `${IF_MATCH} It is the agent's: the ETag of GET /api/v1/agents/{id} or of its style.`,
  tags,
  auth: "workspace",
  action: "agent.write",
  etag: true,
  params: IdParams,
  body: StyleRulesView,
  response: { kind: "json", schema: StyleMemorySchema },
  handler: async ({ deps, actor, params, body, ifMatch, setVersion }) => {
    const agent = await saveStyle(deps, actor, params.id, body, ifMatch);
    setVersion(agentVersion(agent));
    return toStyleMemoryView(agent);
  },
});

const extract = defineRoute({
  method: "POST",
  path: "/api/v1/agents/:id/style/extract",
  operationId: "extractAgentStyle",
  summary: "Draft Style Memory from 1–5 writing samples (a charged model call)",
  description: `Costs ${ACTION_CREDIT_COSTS.style_extraction} credits (409 insufficient_credits when the balance is short). The draft is returned, not saved. An \`Idempotency-Key\` header makes sure a request is charged once: the same request again within a day (same key, agent and samples) answers the same draft uncharged, with \`Idempotent-Replayed: true\`; the key with other samples, or after a day, is refused with 409 before the model is asked.`,
  tags,
  auth: "workspace",
  errors: ["502"],
  idempotency: { replayHeader: true },
  action: "agent.write",
  params: IdParams,
  body: ExtractStyleRequestSchema,
  response: { kind: "json", schema: ExtractedStyleSchema },
  handler: async ({ deps, actor, params, body, request, reply }) => {
    const samples = body.samples.map((s) => s.content);
    return answerExtraction({ deps, actor, id: params.id, samples, request, reply });
  },
});

const copyStyleRoute = defineRoute({
  method: "POST",
  path: "/api/v1/agents/:id/style/copy",
  operationId: "copyAgentStyle",
  summary: "Copy this agent's Style Memory onto another agent",
  description: "Answers with the receiving agent's Style Memory.",
  tags,
  auth: "workspace",
  action: "agent.write",
  params: IdParams,
  body: CopyStyleRequestSchema,
  response: { kind: "json", schema: StyleMemorySchema },
  handler: async ({ deps, actor, params, body }) =>
    toStyleMemoryView(await copyStyle(deps, actor, params.id, body.to_agent_id)),
});

export const routes: readonly Route[] = [
  list,
  create,
  get,
  edit,
  copy,
  archive,
  getStyle,
  putStyle,
  extract,
  extractStyleFromUploads,
  copyStyleRoute,
];
