// A workroom's paste blocks with their text, for reading them back (the room's detail lists only
// their kind, label and size, so a listing never carries up to 100 KB of input).
import { z } from "zod";
import { workroomInputs } from "../../app/workrooms.js";
import { INPUT_KINDS } from "../../domain/inputs.js";
import type { Input } from "../../domain/types.js";
import { defineRoute, type Route } from "../route.js";
import { RoomParams } from "./workrooms.js";

export const WorkroomInputsSchema = z
  .object({
    inputs: z.array(
      z.object({
        id: z.string(),
        kind: z.enum(INPUT_KINDS),
        label: z.string().nullable(),
        content: z.string().meta({
          description: "The text as pasted or extracted; redact_pii masks it only for models.",
        }),
      }),
    ),
  })
  .meta({ id: "WorkroomInputs" });

const toInputView = (i: Input) => ({ id: i.id, kind: i.kind, label: i.label, content: i.content });

const inputs = defineRoute({
  method: "GET",
  path: "/api/v1/workrooms/:id/inputs",
  operationId: "listWorkroomInputs",
  summary: "A workroom's paste blocks with their text, in order",
  tags: ["workrooms"],
  auth: "workspace",
  action: "workroom.read",
  params: RoomParams,
  response: { kind: "json", schema: WorkroomInputsSchema },
  handler: async ({ deps, actor, params }) => ({
    inputs: (await workroomInputs(deps, actor, params.id)).map(toInputView),
  }),
});

export const routes: readonly Route[] = [inputs];
