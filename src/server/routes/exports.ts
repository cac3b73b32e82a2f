// Downloading a finished round as .docx, .pdf or Markdown: `{slug}-v{round}.{format}`, recorded in
// the history and the audit log by the use case. Free.
import { z } from "zod";
import { exportDeliverable } from "../../app/exports.js";
import { EXPORT_FORMATS } from "../../domain/naming.js";
import { MIME_TYPES } from "../../export/index.js";
import { defineRoute, type Route } from "../route.js";
import { RoomParams } from "./workrooms.js";

const exportRoute = defineRoute({
  method: "GET",
  path: "/api/v1/workrooms/:id/exports/:format",
  operationId: "exportDeliverable",
  summary: "Download a finished round as docx, pdf or md",
  description:
    "The latest finished round unless `round` is given. 409 while the workroom has no finished round.",
  tags: ["exports"],
  auth: "workspace",
  action: "deliverable.export",
  errors: ["409"],
  // The format is checked by the use case, whose message names the formats.
  params: RoomParams.extend({
    format: z.string().meta({ description: EXPORT_FORMATS.join(", ") }),
  }),
  query: z.object({ round: z.coerce.number().int().min(1).optional() }),
  response: {
    kind: "file",
    contentTypes: [...new Set(Object.values(MIME_TYPES))],
    description: "The file, with a Content-Disposition filename.",
  },
  handler: async ({ deps, actor, params, query }) => {
    const file = await exportDeliverable(deps, actor, params.id, params.format, query.round);
    const { filename, asciiFilename, mimeType, bytes } = file;
    return { filename, asciiFilename, mimeType, bytes };
  },
});

export const routes: readonly Route[] = [exportRoute];
