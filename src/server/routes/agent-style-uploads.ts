// POST /api/v1/agents/:id/style/extract/uploads: Style Memory extraction from 1–5 uploaded files
// (.txt, .md, .docx, .pdf), one sample per file, read by the same text extraction as workroom
// uploads. The JSON route beside it takes pasted samples; both end in the one extractStyle use case.
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Actor, AppDeps } from "../../app/context.js";
import { z } from "zod";
import { extractStyle, MAX_STYLE_SAMPLES } from "../../app/agents.js";
import { ACTION_CREDIT_COSTS } from "../../domain/credits.js";
import { DomainError, isDomainError } from "../../domain/errors.js";
import {
  extractText,
  SUPPORTED_UPLOADS,
  uploadTypeOf,
} from "../../integrations/files/extract-text.js";
import type { ServerConfig } from "../config.js";
import { idempotencyKey } from "../idempotency.js";
import { fileBytes } from "../multipart.js";
import { defineRoute } from "../route.js";
import { ExtractedStyleSchema, MAX_SAMPLE_CHARS } from "../views/agents.js";

const SampleUploadForm = z
  .object({
    files: z
      .array(z.string().meta({ format: "binary" }))
      .min(1)
      .max(MAX_STYLE_SAMPLES)
      .meta({
        description: `1–${MAX_STYLE_SAMPLES} files (${SUPPORTED_UPLOADS}), one sample each.`,
      }),
  })
  .meta({ id: "StyleSampleUpload" });

/** A failed read: too many files (400, like too many JSON samples), or a broken body. */
function formError(e: unknown): unknown {
  if (isDomainError(e)) return e;
  const code = (e as { code?: string }).code;
  if (code === "FST_FILES_LIMIT")
    return new DomainError(
      "invalid_input",
      `samples: Style extraction takes at most ${MAX_STYLE_SAMPLES} files.`,
    );
  const why = e instanceof Error ? e.message : String(e);
  return new DomainError("invalid_input", `The multipart body cannot be read: ${why}.`);
}

async function readFiles(request: FastifyRequest, config: ServerConfig) {
  const files: { filename: string; bytes: Buffer }[] = [];
  try {
    const parts = request.parts({
      limits: { fileSize: config.uploadFileLimit, files: MAX_STYLE_SAMPLES, fields: 5 },
    });
    for await (const part of parts)
      if (part.type === "file")
        files.push({
          filename: part.filename || part.fieldname,
          bytes: await fileBytes(part, config),
        });
  } catch (e) {
    throw formError(e);
  }
  if (files.length === 0)
    throw new DomainError("invalid_input", "samples: upload at least one file.");
  return files;
}

/**
 * Extracts Style Memory from `samples` (JSON or uploaded) under the request's idempotency key; a
 * replayed draft says so in `Idempotent-Replayed`.
 */
export async function answerExtraction(o: {
  deps: AppDeps;
  actor: Actor;
  id: string;
  samples: string[];
  request: FastifyRequest;
  reply: FastifyReply;
}): Promise<z.infer<typeof ExtractedStyleSchema>> {
  const key = idempotencyKey(o.request);
  const { rules, replayed } = await extractStyle(o.deps, o.actor, o.id, o.samples, key);
  if (replayed) o.reply.header("idempotent-replayed", "true");
  return { style_rules: rules, credits_charged: ACTION_CREDIT_COSTS.style_extraction };
}

export const extractStyleFromUploads = defineRoute({
  method: "POST",
  path: "/api/v1/agents/:id/style/extract/uploads",
  operationId: "extractAgentStyleFromUploads",
  summary: "Draft Style Memory from 1–5 uploaded files (a charged model call)",
  description: `Each file (${SUPPORTED_UPLOADS}) is one sample. Costs ${ACTION_CREDIT_COSTS.style_extraction} credits (409 insufficient_credits when the balance is short); the draft is returned, not saved. An \`Idempotency-Key\` works as for \`extractAgentStyle\`. 400 for an unsupported or unreadable file, 413 for a file over the upload limit or a sample over ${MAX_SAMPLE_CHARS.toLocaleString("en")} characters.`,
  tags: ["agents"],
  auth: "workspace",
  errors: ["502"],
  idempotency: { replayHeader: true },
  action: "agent.write",
  params: z.object({ id: z.string() }),
  body: SampleUploadForm,
  multipart: true,
  response: { kind: "json", schema: ExtractedStyleSchema },
  handler: async ({ deps, config, actor, params, request, reply }) => {
    const files = await readFiles(request, config);
    for (const f of files) uploadTypeOf(f.filename); // a wrong type is refused before any parse
    const samples: string[] = [];
    for (const f of files) {
      const text = await extractText(f.filename, f.bytes);
      if (text.length > MAX_SAMPLE_CHARS)
        throw new DomainError(
          "input_limit",
          `"${f.filename}" has ${text.length.toLocaleString("en")} characters of text; a sample takes at most ${MAX_SAMPLE_CHARS.toLocaleString("en")}. Upload an excerpt.`,
        );
      samples.push(text);
    }
    return answerExtraction({ deps, actor, id: params.id, samples, request, reply });
  },
});
