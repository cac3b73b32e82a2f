// Revision rounds, drafts, diffs, and the revision presets a workspace may use.
import { z } from "zod";
import {
  diffRounds,
  getDraft,
  listPresets,
  reviseRoom,
  roomRevisions,
} from "../../app/revisions.js";
import { addRevisionPreset, removeRevisionPreset } from "../../app/settings.js";
import { RevisionRequestSchema } from "../../domain/requests.js";
import { CustomPresetSchema } from "../../domain/revisions.js";
import { defineRoute, type Route } from "../route.js";
import {
  DiffSchema,
  DraftSchema,
  PresetListSchema,
  PresetSchema,
  RevisionListSchema,
  RevisionSchema,
  toDiffView,
  toDraftView,
  toPresetView,
  toRevisionView,
} from "../views/revisions.js";
import { WorkroomSchema, toWorkroomView } from "../views/workrooms.js";
import { RoomParams } from "./workrooms.js";

const tags = ["revisions"];
const round = z.coerce.number().int().min(1);

const RevisionStarted = z
  .object({ workroom: WorkroomSchema, revision: RevisionSchema })
  .meta({ id: "RevisionStarted" });

const revise = defineRoute({
  method: "POST",
  path: "/api/v1/workrooms/:id/revisions",
  operationId: "requestRevision",
  summary: "Start a revision round with a preset",
  description:
    "Accepted (202): the round runs in the background; watch the workroom return to `completed`. Allowed only when the workroom is completed with no revision in flight (409 otherwise). The round is charged when it starts.",
  tags,
  auth: "workspace",
  action: "workroom.write",
  params: RoomParams,
  body: RevisionRequestSchema,
  response: { kind: "json", schema: RevisionStarted, status: 202 },
  handler: async ({ deps, actor, params, body }) => {
    const { room, revision } = await reviseRoom(deps, actor, params.id, body);
    return { workroom: toWorkroomView(room), revision: toRevisionView(revision) };
  },
});

const list = defineRoute({
  method: "GET",
  path: "/api/v1/workrooms/:id/revisions",
  operationId: "listRevisions",
  summary: "Every revision round of a workroom, oldest first, and the next round's cost",
  tags,
  auth: "workspace",
  action: "workroom.read",
  params: RoomParams,
  response: { kind: "json", schema: RevisionListSchema },
  handler: async ({ deps, actor, params }) => {
    const { revisions, nextRoundCredits } = await roomRevisions(deps, actor, params.id);
    return { revisions: revisions.map(toRevisionView), next_round_credits: nextRoundCredits };
  },
});

const draft = defineRoute({
  method: "GET",
  path: "/api/v1/workrooms/:id/drafts/:round",
  operationId: "getDraft",
  summary: "The draft of a finished round: the document model and its Markdown",
  tags,
  auth: "workspace",
  action: "workroom.read",
  params: RoomParams.extend({ round }),
  response: { kind: "json", schema: DraftSchema },
  handler: async ({ deps, actor, params }) =>
    toDraftView(await getDraft(deps, actor, params.id, params.round)),
});

const diff = defineRoute({
  method: "GET",
  path: "/api/v1/workrooms/:id/diff",
  operationId: "diffRounds",
  summary: "Compare two rounds: sections matched by title, changed ones word by word",
  tags,
  auth: "workspace",
  action: "workroom.read",
  params: RoomParams,
  query: z.object({ from: round, to: round }),
  response: { kind: "json", schema: DiffSchema },
  handler: async ({ deps, actor, params, query }) =>
    toDiffView(await diffRounds(deps, actor, params.id, query.from, query.to)),
});

const presets = defineRoute({
  method: "GET",
  path: "/api/v1/revision-presets",
  operationId: "listRevisionPresets",
  summary: "The revision presets: built-in ones, then the workspace's own",
  tags,
  auth: "workspace",
  action: "workroom.read",
  response: { kind: "json", schema: PresetListSchema },
  handler: async ({ deps, actor }) => ({
    presets: (await listPresets(deps, actor)).map(toPresetView),
  }),
});

const addPreset = defineRoute({
  method: "POST",
  path: "/api/v1/revision-presets",
  operationId: "createRevisionPreset",
  summary: "Add (or replace) a workspace revision preset",
  description: "Admins only. Built-in slugs cannot be shadowed (409).",
  tags,
  auth: "workspace",
  action: "settings.manage",
  body: CustomPresetSchema.meta({ id: "CustomRevisionPreset" }),
  response: { kind: "json", schema: PresetSchema, status: 201 },
  handler: async ({ deps, actor, body }) => {
    await addRevisionPreset(deps, actor, body);
    const listed = (await listPresets(deps, actor)).find(
      (p) => !p.builtin && p.preset.slug === body.slug,
    )!;
    return toPresetView(listed);
  },
});

const removePreset = defineRoute({
  method: "DELETE",
  path: "/api/v1/revision-presets/:slug",
  operationId: "deleteRevisionPreset",
  summary: "Remove a workspace revision preset",
  tags,
  auth: "workspace",
  action: "settings.manage",
  params: z.object({ slug: z.string().min(1) }),
  response: { kind: "empty", description: "Removed." },
  handler: async ({ deps, actor, params }) => {
    await removeRevisionPreset(deps, actor, params.slug);
  },
});

export const routes: readonly Route[] = [
  revise,
  list,
  draft,
  diff,
  presets,
  addPreset,
  removePreset,
];
