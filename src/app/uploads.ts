// A workroom created from uploaded files (SPEC 2): each file's text becomes one input block next to
// any pasted ones. The HTTP layer enforces the per-file size and count; the 10-block / 100 KB
// limits stay the domain's, checked by createWorkroomOnce on the combined blocks. A form still being
// filled in can also read files as blocks without creating anything (uploadsAsBlocks).
import { createHash } from "node:crypto";
import { DomainError } from "../domain/errors.js";
import {
  checkInputLimits,
  INPUT_KINDS,
  MAX_INPUT_BYTES,
  type InputBlock,
  type InputKind,
} from "../domain/inputs.js";
import {
  CreateWorkroomSchema,
  describeIssues,
  type CreateWorkroomRequest,
} from "../domain/requests.js";
import type { Workroom } from "../domain/types.js";
import { extractText, uploadTypeOf } from "../integrations/files/extract-text.js";
import { authorize, type Actor, type AppDeps } from "./context.js";
import { createWorkroomOnce } from "./workrooms.js";

export interface UploadedFile {
  filename: string;
  bytes: Uint8Array;
  /** The block kind; `doc` when not given. */
  kind?: string;
}

/** A block read from a file: always labelled with the file's name. */
export type UploadedBlock = InputBlock & { label: string };

/**
 * The text blocks of uploaded files, in order, labelled with their names: a wrong type or kind is
 * refused before any file is parsed, and text over the workroom's limits is a 413 naming them.
 */
export async function readUploadedBlocks(
  actor: Actor,
  files: readonly UploadedFile[],
): Promise<UploadedBlock[]> {
  authorize(actor, "workroom.write");
  for (const f of files) {
    uploadTypeOf(f.filename);
    if (f.kind !== undefined && !(INPUT_KINDS as readonly string[]).includes(f.kind))
      throw new DomainError(
        "invalid_input",
        `"${f.kind}" (for ${f.filename}) is not an input kind; the kinds are ${INPUT_KINDS.join(", ")}.`,
      );
  }
  const blocks: UploadedBlock[] = [];
  for (const f of files)
    blocks.push({
      kind: (f.kind ?? "doc") as InputKind,
      label: f.filename.slice(0, 200),
      content: await extractText(f.filename, f.bytes, { maxBytes: MAX_INPUT_BYTES }),
    });
  return blocks;
}

/** Uploaded files as blocks for a form still being filled in; nothing is stored. */
export async function uploadsAsBlocks(
  actor: Actor,
  files: readonly UploadedFile[],
): Promise<UploadedBlock[]> {
  if (files.length === 0)
    throw new DomainError("invalid_input", "files: upload at least one file.");
  const blocks = await readUploadedBlocks(actor, files);
  const limits = checkInputLimits(blocks);
  if (!limits.ok) throw limits.error;
  return blocks;
}

/**
 * A draft workroom from a create request and uploaded files, once per idempotency key as
 * `createWorkroomOnce` makes one from JSON: the same form again answers the first room
 * (`replayed`), the key with another form or another request is refused.
 */
export async function createWorkroomFromFiles(
  deps: AppDeps,
  actor: Actor,
  request: unknown,
  files: readonly UploadedFile[],
  key: string | undefined,
): Promise<{ room: Workroom; replayed: boolean }> {
  authorize(actor, "workroom.write");
  const parsed = CreateWorkroomSchema.safeParse(request);
  if (!parsed.success)
    throw new DomainError(
      "invalid_input",
      `The workroom is invalid: ${describeIssues(parsed.error)}`,
    );
  const blocks = await readUploadedBlocks(actor, files);
  return createWorkroomOnce(
    deps,
    actor,
    { ...parsed.data, inputs: [...parsed.data.inputs, ...blocks] },
    key,
    uploadFingerprint(parsed.data, files),
  );
}

/**
 * What makes an upload the same request again: its create request, and each file's name, kind
 * and contents (a hash), in order. Files of other bytes are another request even when they read
 * as the same text; an upload is never the same request as a JSON create.
 */
function uploadFingerprint(request: CreateWorkroomRequest, files: readonly UploadedFile[]): string {
  const sha256 = (data: string | Uint8Array) => createHash("sha256").update(data).digest("hex");
  const form = {
    upload: request,
    files: files.map((f) => ({ name: f.filename, kind: f.kind ?? "doc", sha256: sha256(f.bytes) })),
  };
  return sha256(JSON.stringify(form));
}
