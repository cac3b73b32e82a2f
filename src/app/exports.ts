// Exporting a finished round as .docx, .pdf or Markdown: free, recorded in the room's history and in
// the audit log, named `{slugified-title}-v{round}.{format}`.
import type { Document } from "../domain/document.js";
import { DomainError } from "../domain/errors.js";
import { defaultExportProfile, type ExportProfile } from "../domain/export-profile.js";
import {
  asciiExportFilename,
  EXPORT_FORMATS,
  exportFilename,
  type ExportFormat,
} from "../domain/naming.js";
import { record } from "../engine/history.js";
import { withTx } from "../engine/tx.js";
import { poolExec } from "../engine/deps.js";
import { MIME_TYPES } from "../export/index.js";
import { DEFAULT_RENDER_LIMITS, renderInThread } from "../export/render-thread.js";
import { audit } from "../store/audit.js";
import { findDraft } from "../store/drafts.js";
import { findWorkroom } from "../store/workrooms.js";
import { findWorkspace } from "../store/workspaces.js";
import { authorize, type Actor, type AppDeps } from "./context.js";
import { getSettings } from "./settings.js";

export interface ExportedFile {
  filename: string;
  /** The name in ASCII, for clients that read no other. */
  asciiFilename: string;
  mimeType: string;
  round: number;
  bytes: Buffer;
}

/** The file drawn in a render thread (never on the event loop), or an error saying why not. */
async function drawn(
  doc: Document,
  profile: ExportProfile,
  format: ExportFormat,
): Promise<{ bytes: Buffer; logoLeftOut: boolean }> {
  const outcome = await renderInThread({ doc, profile, format });
  switch (outcome.kind) {
    case "file":
      return {
        bytes: Buffer.from(
          outcome.bytes.buffer,
          outcome.bytes.byteOffset,
          outcome.bytes.byteLength,
        ),
        logoLeftOut: outcome.logoLeftOut,
      };
    case "too_large":
      throw new DomainError(
        "input_limit",
        `Drawing this deliverable as .${format} needs more memory than an export may take (${DEFAULT_RENDER_LIMITS.heapMb} MB). Export it in another format, or shorten it with a revision round.`,
      );
    case "too_slow":
      throw new DomainError(
        "input_limit",
        `Drawing this deliverable as .${format} took longer than an export may take (${DEFAULT_RENDER_LIMITS.timeoutMs / 1000} s). Export it in another format, or shorten it with a revision round.`,
      );
    case "failed": {
      const error = new Error(`Could not draw the .${format}: ${outcome.message}`);
      if (outcome.stack) error.stack = `${error.message}\n  in the render thread: ${outcome.stack}`;
      throw error;
    }
  }
}

export async function exportDeliverable(
  deps: AppDeps,
  actor: Actor,
  roomId: string,
  format: string,
  round?: number,
): Promise<ExportedFile> {
  authorize(actor, "deliverable.export");
  if (!(EXPORT_FORMATS as readonly string[]).includes(format))
    throw new DomainError(
      "invalid_input",
      `Cannot export as "${format}"; the formats are ${EXPORT_FORMATS.join(", ")}.`,
    );
  const ex = poolExec(deps);
  const room = await findWorkroom(ex, actor.workspaceId, roomId);
  if (!room) throw new DomainError("not_found", `No workroom ${roomId} in this workspace.`);
  const wanted = round ?? room.finalRound;
  if (wanted < 1 || wanted > room.finalRound)
    throw new DomainError(
      room.finalRound === 0 ? "illegal_transition" : "not_found",
      room.finalRound === 0
        ? `The workroom is ${room.state}; only a completed round can be exported.`
        : `Round ${wanted} does not exist or is not finished; this room has rounds 1 to ${room.finalRound}.`,
    );
  const draft = await findDraft(ex, room, wanted);
  if (!draft) throw new DomainError("not_found", `Round ${wanted} has no draft.`);
  const settings = await getSettings(deps, actor);
  const ws = await findWorkspace(ex, actor.workspaceId);
  const profile = settings.export_profile ?? defaultExportProfile(ws?.name);
  const f = format as ExportFormat;
  const file = await drawn(draft.document, profile, f);
  if (file.logoLeftOut)
    deps.log.warn(
      { workspace: actor.workspaceId, room: room.id },
      "the export profile's logo cannot be drawn (damaged, or too large) and is left out of exports; set the logo again",
    );
  const bytes = file.bytes;
  const filename = exportFilename(room.title, wanted, f);
  await withTx(deps, async (tx) => {
    record(tx, room, [
      {
        type: "deliverable.exported",
        actor: actor.id,
        data: { round: wanted, format: f, filename, bytes: bytes.length },
      },
    ]);
    await audit(
      tx.ex,
      actor.workspaceId,
      {
        actor: actor.id,
        action: "deliverable.exported",
        target: room.id,
        data: { round: wanted, format: f, filename },
      },
      tx.now,
    );
  });
  return {
    filename,
    asciiFilename: asciiExportFilename(room.title, wanted, f),
    mimeType: MIME_TYPES[f],
    round: wanted,
    bytes,
  };
}
