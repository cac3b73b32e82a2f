// A workspace's data as a whole (SPEC 10): everything it holds as one portable archive, and its
// deletion. The archive is a zip of JSON: what the database holds of the workspace, one JSON
// Lines file per table with sealed values opened, plus every deliverable round as Markdown, so it
// can be read with any tool and without Atelya. Credentials are never in it (store/
// workspace-data.ts lists them), and MCP servers' header and environment values are masked as the
// settings API shows them.
import { setImmediate as nextTurn } from "node:timers/promises";
import { Zip, ZipDeflate } from "fflate";
import { DomainError } from "../domain/errors.js";
import type { Document } from "../domain/document.js";
import { slugifyTitle } from "../domain/naming.js";
import { withTx } from "../engine/tx.js";
import { renderMarkdown } from "../export/markdown.js";
import { findWorkspace } from "../store/workspaces.js";
import {
  deleteWorkspaceRows,
  EXPORT_TABLES,
  readWorkspaceRows,
  type WorkspaceRows,
} from "../store/workspace-data.js";
import { authorize, auditBy, type Actor, type AppDeps } from "./context.js";
import { maskServer, WorkspaceSettingsSchema } from "./settings.js";

/** The archive's format, in its manifest: a reader checks it before anything else. */
export const ARCHIVE_FORMAT = { name: "atelya-workspace-export", version: 1 } as const;

export interface WorkspaceArchive {
  filename: string;
  mimeType: "application/zip";
  bytes: Buffer;
}

const README = `This archive holds everything an Atelya workspace held when it was exported.

manifest.json       what is here: the format, when and by whom it was exported, the row count of
                    each file, and what was left out and why
workspace.json      the workspace: name, plan, credits, settings (MCP secrets masked)
<table>.jsonl       one JSON object per line, one file per table: workrooms, inputs, plans, tasks
                    (with their outputs), drafts, revisions, history (every event of every
                    workroom), model_calls, ledger, agents, members (users, memberships),
                    invites, api_keys, webhooks, webhook_deliveries, audit_log
deliverables/       every round of every workroom's deliverable as Markdown

Times are milliseconds since 1970-01-01 UTC. Ids link the files: a task's workroom_id is the id
of a line of workrooms.jsonl, and so on. Passwords, API keys, invite links, webhook signing
secrets and provider keys are not in this archive.
`;

/** Everything the caller's workspace holds, as a zip (owners and admins). */
export async function exportWorkspace(deps: AppDeps, actor: Actor): Promise<WorkspaceArchive> {
  authorize(actor, "workspace.export");
  const data = await deps.store.readSnapshot((db) => readWorkspaceRows(db, actor.workspaceId));
  if (!data.workspace) throw new DomainError("not_found", "No such workspace.");
  const now = deps.clock.now();
  const name = String(data.workspace["name"]);
  const folder = `atelya-${slugifyTitle(name) || "workspace"}-${now.toISOString().slice(0, 10)}`;
  const bytes = await zipped(folder, await archiveFiles(data, actor, now), now);
  await withTx(deps, (tx) =>
    auditBy(tx, actor, "workspace.exported", actor.workspaceId, {
      rooms: rowsOf(data, "workrooms").length,
      bytes: bytes.length,
    }),
  );
  return { filename: `${folder}.zip`, mimeType: "application/zip", bytes };
}

/** One JSON object per line, the event loop let through every 250 rows. */
async function jsonLines(rows: readonly Record<string, unknown>[]): Promise<string> {
  let text = "";
  for (let i = 0; i < rows.length; i += 250) {
    text += rows
      .slice(i, i + 250)
      .map((r) => `${JSON.stringify(r)}\n`)
      .join("");
    await nextTurn();
  }
  return text;
}

const rowsOf = (data: WorkspaceRows, table: string) =>
  data.tables.find((t) => t.name === table)?.rows ?? [];

async function archiveFiles(
  data: WorkspaceRows,
  actor: Actor,
  now: Date,
): Promise<Record<string, string>> {
  const workspace = { ...data.workspace };
  const settings = WorkspaceSettingsSchema.parse(workspace["settings"] ?? {});
  workspace["settings"] = { ...settings, mcp_servers: settings.mcp_servers.map(maskServer) };
  const files: Record<string, string> = {
    "README.txt": README,
    "workspace.json": `${JSON.stringify(workspace, null, 2)}\n`,
  };
  for (const { name, rows } of data.tables) files[`${name}.jsonl`] = await jsonLines(rows);
  const titles = new Map(rowsOf(data, "workrooms").map((r) => [r["id"], String(r["title"])]));
  for (const [i, draft] of rowsOf(data, "drafts").entries()) {
    if (i % 100 === 99) await nextTurn();
    const room = String(draft["workroom_id"]);
    const slug = slugifyTitle(titles.get(room) ?? "") || "deliverable";
    files[`deliverables/${room}/${slug}-v${String(draft["round"])}.md`] = renderMarkdown(
      draft["document"] as Document,
    );
  }
  const leftOut: Record<string, string> = {};
  const secretColumns: Record<string, readonly string[]> = {};
  for (const [table, spec] of Object.entries(EXPORT_TABLES))
    if ("leftOut" in spec) leftOut[table] = spec.leftOut;
    else if (spec.secret) secretColumns[table] = spec.secret;
  const manifest = {
    format: ARCHIVE_FORMAT.name,
    version: ARCHIVE_FORMAT.version,
    exported_at: now.toISOString(),
    exported_by: actor.userId ?? actor.id,
    workspace: { id: actor.workspaceId, name: workspace["name"] },
    files: data.tables.map((t) => ({ file: `${t.name}.jsonl`, rows: t.rows.length })),
    deliverables: rowsOf(data, "drafts").length,
    left_out: leftOut,
    secret_columns_left_out: secretColumns,
    masked: ["workspace.json: settings.mcp_servers[].headers and .env values"],
  };
  files["manifest.json"] = `${JSON.stringify(manifest, null, 2)}\n`;
  return files;
}

/** Bytes compressed between two turns of the event loop (some 10 ms of deflate here). */
const SLICE_BYTES = 512 * 1024;

/**
 * The files under one folder (unzipping does not scatter them). Compressed on this thread, a slice
 * at a time with the event loop let through between slices, so the server and the engine go on
 * while a large workspace is zipped. (fflate's asynchronous zip starts a worker thread per file:
 * for a thousand rooms' tables it took 1.9 s against 0.4-0.7 s compressed here.)
 */
async function zipped(folder: string, files: Record<string, string>, now: Date): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let failure: Error | null = null;
  const archive = new Zip((error, data) => {
    if (error) failure = error;
    else chunks.push(data);
  });
  const encoder = new TextEncoder();
  for (const [path, text] of Object.entries(files)) {
    const entry = new ZipDeflate(`${folder}/${path}`, { level: 6 });
    entry.mtime = now;
    archive.add(entry);
    const bytes = encoder.encode(text);
    let at = 0;
    do {
      const end = Math.min(at + SLICE_BYTES, bytes.length);
      entry.push(bytes.subarray(at, end), end === bytes.length);
      at = end;
      if (at < bytes.length) await nextTurn();
    } while (at < bytes.length);
    if (failure) throw failure;
  }
  archive.end();
  if (failure) throw failure;
  return Buffer.concat(chunks);
}

/**
 * Deletes the caller's workspace and everything in it, for good (the owner only). `confirm` must
 * be the workspace's name exactly, so a stray request cannot do it. Rooms at work stop: their
 * running calls are aborted, and their steps are gone with them.
 */
export async function deleteWorkspace(
  deps: AppDeps,
  actor: Actor,
  confirm: string,
): Promise<{ rooms: number }> {
  authorize(actor, "workspace.delete");
  const rooms = await withTx(deps, async (tx) => {
    const ws = await findWorkspace(tx.ex, actor.workspaceId);
    if (!ws) throw new DomainError("not_found", "No such workspace.");
    if (confirm !== ws.name)
      throw new DomainError(
        "invalid_input",
        `To delete the workspace, confirm with its name exactly: "${ws.name}". Nothing was deleted.`,
      );
    const ids = (
      await tx.ex.db
        .selectFrom("workrooms")
        .select("id")
        .where("workspace_id", "=", ws.id)
        .execute()
    ).map((r) => r.id);
    await deleteWorkspaceRows(tx.ex, ws.id);
    for (const workroomId of ids) tx.outbox.push({ type: "room_aborted", workroomId });
    return ids;
  });
  await deps.tools?.forget?.(actor.workspaceId);
  // The workspace's own audit log went with it: the server's log keeps who deleted it.
  deps.log.info(
    { workspace: actor.workspaceId, by: actor.userId ?? actor.id, rooms: rooms.length },
    "workspace deleted",
  );
  return { rooms: rooms.length };
}
