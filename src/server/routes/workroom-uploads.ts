// POST /api/v1/workrooms/uploads: a workroom from a multipart form — a `workroom` field with the
// JSON of a create request, an optional `kinds` field, and up to `uploadMaxFiles` files of at most
// `uploadFileLimit` bytes each. Size and count are the server's limits (413 here); what the text
// may be is the domain's (10 blocks, 100 KB: 413 `input_limit` from createWorkroom).
// POST /api/v1/workrooms/uploads/blocks reads the same form's files as paste blocks for a form
// still being filled in (the web app's new-workroom screen), storing nothing.
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { createWorkroomFromFiles, uploadsAsBlocks, type UploadedFile } from "../../app/uploads.js";
import { INPUT_KINDS } from "../../domain/inputs.js";
import { DomainError, isDomainError } from "../../domain/errors.js";
import { SUPPORTED_UPLOADS } from "../../integrations/files/extract-text.js";
import type { ServerConfig } from "../config.js";
import { givenIdempotencyKey } from "../idempotency.js";
import { fileBytes, mb } from "../multipart.js";
import { defineRoute } from "../route.js";
import { WorkroomSchema, toWorkroomView } from "../views/workrooms.js";

const UploadForm = z
  .object({
    workroom: z
      .string()
      .meta({ description: "The JSON of a create request (CreateWorkroom); `inputs` optional." }),
    kinds: z.string().optional().meta({
      description:
        'Input kind of each file, in order: a JSON array (["brief","email"]) or comma-separated. Default `doc`.',
    }),
    files: z
      .array(z.string().meta({ format: "binary" }))
      .meta({ description: `The files (${SUPPORTED_UPLOADS}); each becomes one text block.` }),
  })
  .meta({ id: "WorkroomUpload" });

function parseKinds(value: string | undefined): string[] {
  if (value === undefined || value.trim() === "") return [];
  if (value.trim().startsWith("[")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      parsed = undefined;
    }
    if (!Array.isArray(parsed) || !parsed.every((k) => typeof k === "string"))
      throw new DomainError("invalid_input", "The kinds field is not a JSON array of kinds.");
    return parsed;
  }
  return value.split(",").map((k) => k.trim());
}

/** What a failed read of the form means to the caller: a limit (413) or a broken body (400). */
function uploadError(e: unknown, config: ServerConfig): unknown {
  if (isDomainError(e)) return e;
  const code = (e as { code?: string }).code;
  if (code === "FST_FILES_LIMIT")
    return new DomainError(
      "payload_too_large",
      `An upload takes at most ${config.uploadMaxFiles} files.`,
    );
  if (code === "FST_PARTS_LIMIT" || code === "FST_FIELDS_LIMIT")
    return new DomainError(
      "payload_too_large",
      "The form has too many fields: send `workroom`, `kinds` and the files.",
    );
  // Anything else the parser throws (no boundary, a cut-off body) is the request's fault.
  const why = e instanceof Error ? e.message : String(e);
  return new DomainError("invalid_input", `The multipart body cannot be read: ${why}.`);
}

/** Reads every part; the limits of the server configuration turn into 413s naming them. */
async function readForm(request: FastifyRequest, config: ServerConfig) {
  const fields: Record<string, string> = {};
  const files: { filename: string; bytes: Buffer }[] = [];
  try {
    const parts = request.parts({
      limits: {
        fileSize: config.uploadFileLimit,
        files: config.uploadMaxFiles,
        fieldSize: config.bodyLimit,
        fields: 20,
      },
    });
    for await (const part of parts) {
      if (part.type === "field") {
        if (part.valueTruncated)
          throw new DomainError(
            "payload_too_large",
            `The ${part.fieldname} field is over the limit of ${mb(config.bodyLimit)}.`,
          );
        if (part.fieldname in fields)
          throw new DomainError(
            "invalid_input",
            `The form has the ${part.fieldname} field twice; send it once.`,
          );
        fields[part.fieldname] = String(part.value);
      } else
        files.push({
          filename: part.filename || part.fieldname,
          bytes: await fileBytes(part, config),
        });
    }
  } catch (e) {
    throw uploadError(e, config);
  }
  return { fields, files };
}

/** Each file with the kind the `kinds` field gives it, in order. */
function withKinds(
  files: readonly { filename: string; bytes: Buffer }[],
  field: string | undefined,
): UploadedFile[] {
  const kinds = parseKinds(field);
  if (kinds.length > files.length)
    throw new DomainError(
      "invalid_input",
      `The kinds field names ${kinds.length} kinds for ${files.length} files.`,
    );
  return files.map((f, i) => ({ ...f, ...(kinds[i] ? { kind: kinds[i] } : {}) }));
}

export const uploadWorkroom = defineRoute({
  method: "POST",
  path: "/api/v1/workrooms/uploads",
  operationId: "uploadWorkroom",
  summary: "Create a draft workroom from uploaded files",
  description: `Each file (${SUPPORTED_UPLOADS}) becomes a text block labelled with its file name, after any pasted inputs of the \`workroom\` field. 413 when a file or the file count is over the server's limit, or the text over the workroom's (10 blocks, 100 KB); 400 for an unsupported or unreadable file. Send an \`Idempotency-Key\` header so a retried upload makes one room: the same form again (the same fields, and files of the same names, kinds and contents) within a day answers the room the first one made, with \`Idempotent-Replayed: true\`; the key with another form or another request is refused with 409.`,
  tags: ["workrooms"],
  auth: "workspace",
  action: "workroom.write",
  body: UploadForm,
  multipart: true,
  idempotency: { replayHeader: true },
  response: { kind: "json", schema: WorkroomSchema, status: 201 },
  handler: async ({ deps, config, actor, request, reply }) => {
    // A bad key is refused before the files are read.
    const key = givenIdempotencyKey(request);
    const { fields, files } = await readForm(request, config);
    if (fields.workroom === undefined)
      throw new DomainError(
        "invalid_input",
        "The form has no `workroom` field: send the create request's JSON in it.",
      );
    let workroom: unknown;
    try {
      workroom = JSON.parse(fields.workroom);
    } catch {
      throw new DomainError("invalid_input", "The `workroom` field is not valid JSON.");
    }
    const uploads = withKinds(files, fields.kinds);
    const { room, replayed } = await createWorkroomFromFiles(deps, actor, workroom, uploads, key);
    if (replayed) reply.header("idempotent-replayed", "true");
    return toWorkroomView(room);
  },
});

const BlockForm = z
  .object({
    kinds: UploadForm.shape.kinds,
    files: UploadForm.shape.files,
  })
  .meta({ id: "InputBlockUpload" });

export const UploadedBlocksSchema = z
  .object({
    blocks: z.array(
      z.object({
        kind: z.enum(INPUT_KINDS),
        label: z.string().meta({ description: "The file name." }),
        content: z.string().meta({ description: "The file's text." }),
      }),
    ),
  })
  .meta({ id: "UploadedBlocks" });

export const uploadBlocks = defineRoute({
  method: "POST",
  path: "/api/v1/workrooms/uploads/blocks",
  operationId: "readUploadedBlocks",
  summary: "Read uploaded files as paste blocks, without creating a workroom",
  description: `For a form still being filled in: each file (${SUPPORTED_UPLOADS}) comes back as one text block labelled with its file name, to send later in the \`inputs\` of a create request. Nothing is stored. The same limits as \`POST /workrooms/uploads\`: 413 for a file or file count over the server's limit or text over the workroom's (10 blocks, 100 KB); 400 for an unsupported or unreadable file.`,
  tags: ["workrooms"],
  auth: "workspace",
  action: "workroom.write",
  body: BlockForm,
  multipart: true,
  response: { kind: "json", schema: UploadedBlocksSchema },
  handler: async ({ config, actor, request }) => {
    const { fields, files } = await readForm(request, config);
    return { blocks: await uploadsAsBlocks(actor, withKinds(files, fields.kinds)) };
  },
});
