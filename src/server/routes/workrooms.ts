// Workrooms: list, create (JSON or file upload), read, change the cap, control the lifecycle,
// estimate (a room, or a form not created yet), and page through the history.
import { z } from "zod";
import { estimateDraft, estimateRoom } from "../../app/credits.js";
import {
  control,
  createWorkroomOnce,
  getWorkroom,
  pageRooms,
  setMaxCredits,
  workroomHistory,
} from "../../app/workrooms.js";
import { CreateWorkroomSchema } from "../../domain/requests.js";
import { MAX_EVENT_SEQ } from "../../domain/types.js";
import { WORKROOM_STATES, type UserCommand } from "../../domain/workroom.js";
import { givenIdempotencyKey } from "../idempotency.js";
import { defineRoute, type Route } from "../route.js";
import {
  DraftEstimateSchema,
  EstimateSchema,
  HistoryPageSchema,
  WorkroomDetailSchema,
  WorkroomPageSchema,
  WorkroomSchema,
  toDraftEstimateView,
  toEstimateView,
  toEventView,
  toWorkroomDetailView,
  toWorkroomPageView,
  toWorkroomView,
} from "../views/workrooms.js";
import { uploadBlocks, uploadWorkroom } from "./workroom-uploads.js";

const tags = ["workrooms"];
export const RoomParams = z.object({ id: z.string().min(1) });

// `state=executing,paused` or `state=executing&state=paused`.
const States = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : v.split(",")).map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(z.enum(WORKROOM_STATES)))
  .meta({ description: "One or more states, comma-separated." });

const ListQuery = z.object({
  state: States.optional(),
  client: z.string().min(1).optional().meta({ description: "Exact client name." }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).optional().meta({ description: "next_cursor of the previous page." }),
  offset: z.coerce.number().int().min(0).optional().meta({ description: "Instead of a cursor." }),
});

const list = defineRoute({
  method: "GET",
  path: "/api/v1/workrooms",
  operationId: "listWorkrooms",
  summary: "The workspace's workrooms, newest first",
  tags,
  auth: "workspace",
  action: "workroom.read",
  query: ListQuery,
  response: { kind: "json", schema: WorkroomPageSchema },
  handler: async ({ deps, actor, query }) =>
    toWorkroomPageView(
      await pageRooms(deps, actor, {
        limit: query.limit,
        ...(query.state ? { states: query.state } : {}),
        ...(query.client !== undefined ? { client: query.client } : {}),
        ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
        ...(query.offset !== undefined ? { offset: query.offset } : {}),
      }),
    ),
});

const create = defineRoute({
  method: "POST",
  path: "/api/v1/workrooms",
  operationId: "createWorkroom",
  summary: "Create a draft workroom with pasted inputs",
  description:
    "At most 10 input blocks and 100 KB of text in total (413 `input_limit` over that). Nothing runs until `start`. Send an `Idempotency-Key` header so a retried request makes one room: the same request again within a day answers the room the first one made, with `Idempotent-Replayed: true`; the key with another request is refused with 409.",
  tags,
  auth: "workspace",
  action: "workroom.write",
  body: CreateWorkroomSchema,
  idempotency: { replayHeader: true },
  response: { kind: "json", schema: WorkroomSchema, status: 201 },
  handler: async ({ deps, actor, body, request, reply }) => {
    const key = givenIdempotencyKey(request);
    const { room, replayed } = await createWorkroomOnce(deps, actor, body, key);
    if (replayed) reply.header("idempotent-replayed", "true");
    return toWorkroomView(room);
  },
});

const detail = defineRoute({
  method: "GET",
  path: "/api/v1/workrooms/:id",
  operationId: "getWorkroom",
  summary: "A workroom with its current plan's tasks, finished rounds and inputs",
  tags,
  auth: "workspace",
  action: "workroom.read",
  params: RoomParams,
  response: { kind: "json", schema: WorkroomDetailSchema },
  handler: async ({ deps, actor, params }) =>
    toWorkroomDetailView(await getWorkroom(deps, actor, params.id, { drafts: false })),
});

const PatchBody = z
  .strictObject({
    max_credits: z
      .number()
      .int()
      .positive()
      .nullable()
      .meta({ description: "The new hard cap; null removes it. Not below credits spent." }),
  })
  .meta({ id: "WorkroomPatch" });

const patch = defineRoute({
  method: "PATCH",
  path: "/api/v1/workrooms/:id",
  operationId: "updateWorkroom",
  summary: "Change a workroom's credit cap",
  description: "A room paused on its budget can be resumed after raising the cap.",
  tags,
  auth: "workspace",
  action: "workroom.write",
  params: RoomParams,
  body: PatchBody,
  response: { kind: "json", schema: WorkroomSchema },
  handler: async ({ deps, actor, params, body }) =>
    toWorkroomView(await setMaxCredits(deps, actor, params.id, body.max_credits)),
});

const COMMANDS: { type: Exclude<UserCommand["type"], "request_revision">; summary: string }[] = [
  { type: "start", summary: "Start a draft workroom: the Planner writes the plan" },
  { type: "pause", summary: "Pause: no new task starts; running ones finish" },
  { type: "resume", summary: "Resume a paused workroom where it stopped" },
  { type: "replan", summary: "Discard unfinished tasks and plan again, keeping finished ones" },
  { type: "cancel", summary: "Stop the workroom for good" },
];

const commands = COMMANDS.map(({ type, summary }) =>
  defineRoute({
    method: "POST",
    path: `/api/v1/workrooms/:id/${type}`,
    operationId: `${type}Workroom`,
    summary,
    description: "Refused with 409 when the workroom's state does not allow it.",
    tags,
    auth: "workspace",
    action: "workroom.write",
    params: RoomParams,
    response: { kind: "json", schema: WorkroomSchema },
    handler: async ({ deps, actor, params }) =>
      toWorkroomView(await control(deps, actor, params.id, { type })),
  }),
);

const estimate = defineRoute({
  method: "GET",
  path: "/api/v1/workrooms/:id/estimate",
  operationId: "estimateWorkroom",
  summary: "The credit estimate of a workroom, and whether it fits the cap",
  tags,
  auth: "workspace",
  action: "workroom.read",
  params: RoomParams,
  response: { kind: "json", schema: EstimateSchema },
  handler: async ({ deps, actor, params }) =>
    toEstimateView(await estimateRoom(deps, actor, params.id)),
});

const DraftEstimateBody = CreateWorkroomSchema.pick({
  inputs: true,
  max_credits: true,
  agent_ids: true,
}).meta({
  id: "DraftEstimateRequest",
});

const estimateNew = defineRoute({
  method: "POST",
  path: "/api/v1/workrooms/estimate",
  operationId: "estimateDraftWorkroom",
  summary: "The credit estimate of a workroom before it is created",
  description:
    "For a form still being filled in: the `inputs`, `max_credits` and `agent_ids` of a create request give the estimate the room will have once created (each call priced with the model that will make it, the chosen agents' own included), with the workspace balance. Nothing is stored; 413 `input_limit` and 404 for an agent id that is not one of the workspace's custom agents, as on create.",
  tags,
  auth: "workspace",
  action: "workroom.write",
  body: DraftEstimateBody,
  response: { kind: "json", schema: DraftEstimateSchema },
  handler: async ({ deps, actor, body }) =>
    toDraftEstimateView(await estimateDraft(deps, actor, body)),
});

const HistoryQuery = z.object({
  after: z.coerce
    .number()
    .int()
    .min(0)
    .max(MAX_EVENT_SEQ, `after is a seq of the room's history: at most ${MAX_EVENT_SEQ}.`)
    .default(0)
    .meta({ description: "Events after this seq." }),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

const events = defineRoute({
  method: "GET",
  path: "/api/v1/workrooms/:id/events",
  operationId: "listWorkroomEvents",
  summary: "A workroom's history, oldest first, paged by sequence number",
  tags,
  auth: "workspace",
  action: "workroom.read",
  params: RoomParams,
  query: HistoryQuery,
  response: { kind: "json", schema: HistoryPageSchema },
  handler: async ({ deps, actor, params, query }) => {
    // One more than asked tells whether another page follows.
    const page = await workroomHistory(deps, actor, params.id, query.after, query.limit + 1);
    const shown = page.slice(0, query.limit);
    return {
      events: shown.map(toEventView),
      next_after: shown.at(-1)?.seq ?? query.after,
      has_more: page.length > query.limit,
    };
  },
});

export const routes: readonly Route[] = [
  list,
  create,
  estimateNew,
  uploadWorkroom,
  uploadBlocks,
  detail,
  patch,
  ...commands,
  estimate,
  events,
];
