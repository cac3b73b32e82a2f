// A workroom created from uploaded files (SPEC 2): each file's text becomes one input block next to
// any pasted ones. The HTTP layer enforces the per-file size and count; the 10-block / 100 KB
// limits stay the domain's, checked by createWorkroom on the combined blocks.
import { DomainError } from "../domain/errors.js";
import { INPUT_KINDS, MAX_INPUT_BYTES, type InputKind } from "../domain/inputs.js";
import { CreateWorkroomSchema, describeIssues } from "../domain/requests.js";
import type { Workroom } from "../domain/types.js";
import { extractText, uploadTypeOf } from "../integrations/files/extract-text.js";
import { authorize, type Actor, type AppDeps } from "./context.js";
import { createWorkroom } from "./workrooms.js";

export interface UploadedFile {
  filename: string;
  bytes: Uint8Array;
  /** The block kind; `doc` when not given. */
  kind?: string;
}

export async function createWorkroomFromFiles(
  deps: AppDeps,
  actor: Actor,
  request: unknown,
  files: readonly UploadedFile[],
): Promise<Workroom> {
  authorize(actor, "workroom.write");
  const parsed = CreateWorkroomSchema.safeParse(request);
  if (!parsed.success)
    throw new DomainError(
      "invalid_input",
      `The workroom is invalid: ${describeIssues(parsed.error)}`,
    );
  // Cheap checks first: a wrong type or kind is refused before any file is parsed.
  for (const f of files) {
    uploadTypeOf(f.filename);
    if (f.kind !== undefined && !(INPUT_KINDS as readonly string[]).includes(f.kind))
      throw new DomainError(
        "invalid_input",
        `"${f.kind}" (for ${f.filename}) is not an input kind; the kinds are ${INPUT_KINDS.join(", ")}.`,
      );
  }
  const blocks = [];
  for (const f of files)
    blocks.push({
      kind: (f.kind ?? "doc") as InputKind,
      label: f.filename.slice(0, 200),
      content: await extractText(f.filename, f.bytes, { maxBytes: MAX_INPUT_BYTES }),
    });
  return createWorkroom(deps, actor, {
    ...parsed.data,
    inputs: [...parsed.data.inputs, ...blocks],
  });
}
