// A workspace export archive (the zip workspace-data.ts writes), read and checked for a restore:
// every file of the zip against its CRC-32 and size before anything is read from it, the
// manifest's format and version, every table file an export writes, and each row as it is
// parsed (an object of this workspace and its rooms, with the values the domain allows).
import { strFromU8 } from "fflate";
import { DamagedZipError, NotAZipError, ZipReader } from "../platform/zip-reader.js";
import { EXPORT_TABLES, EXPORTED_TABLES, type ArchivedRow } from "../store/workspace-data.js";
import { rowProblem } from "./archive-rows.js";
import { ARCHIVE_FORMAT } from "./workspace-data.js";

/** The archive cannot be restored, and nothing was changed: the message says why. */
export class RestoreRefusedError extends Error {
  override name = "RestoreRefusedError";
}

/** The most an archive may unpack to: far above any workspace's, and a guard against a zip bomb. */
export const MAX_ARCHIVE_BYTES = 1024 ** 3;

export interface Archive {
  manifest: { workspace: { id: string; name: string }; exported_at: string };
  workspace: ArchivedRow;
  /** By table, its file in the zip and its row count in the manifest. A table's file is unpacked
   *  when the table is restored, and its rows are parsed and inserted a slice at a time, so memory
   *  holds the zip, one table's text and one slice of rows at most. */
  tables: Map<string, { file: string; path: string; rows: number }>;
  /** The bytes of the file at `path` in the zip, unpacked. */
  unpack(path: string): Uint8Array;
}

/** Rows parsed and inserted at a time: a slice's rows are all that memory holds of a table. */
const SLICE_ROWS = 1000;

/** The archive's files, checked: the zip whole, its format and version, and every table file an
 *  export writes. Only the manifest and the workspace's row are read here; each table's file when
 *  it is restored. */
export function readArchive(bytes: Uint8Array): Archive {
  const zip = checked(() => new ZipReader(bytes));
  const unpacked = [...zip.entries.values()].reduce((a, e) => a + e.size, 0);
  if (unpacked > MAX_ARCHIVE_BYTES)
    throw new RestoreRefusedError(
      `The archive unpacks to more than ${MAX_ARCHIVE_BYTES / 1024 ** 3} GB; it is not a workspace export.`,
    );
  const unpack = (path: string): Uint8Array => checked(() => zip.unpack(path));
  // Every file, one at a time, before anything is restored: a damaged deliverable or README says
  // the copy is damaged as surely as a damaged table does.
  for (const path of zip.entries.keys()) unpack(path);
  const paths = new Set(zip.entries.keys());
  const manifests = [...paths].filter((p) => /^[^/]+\/manifest\.json$/.test(p));
  if (manifests.length !== 1)
    throw new RestoreRefusedError(
      "The archive has no manifest.json in one top folder; it is not an Atelya workspace export.",
    );
  const folder = manifests[0]!.slice(0, -"manifest.json".length);
  const json = (file: string): unknown => {
    if (!paths.has(folder + file)) throw new RestoreRefusedError(`The archive has no ${file}.`);
    try {
      return JSON.parse(strFromU8(unpack(folder + file)));
    } catch (e) {
      if (e instanceof RestoreRefusedError) throw e;
      throw new RestoreRefusedError(`The archive's ${file} is not JSON.`);
    }
  };
  const manifest = json("manifest.json") as Partial<{
    format: string;
    version: number;
    exported_at: string;
    workspace: { id: string; name: string };
    files: { file: string; rows: number }[];
  }>;
  if (manifest.format !== ARCHIVE_FORMAT.name)
    throw new RestoreRefusedError("The archive is not an Atelya workspace export.");
  if (manifest.version !== ARCHIVE_FORMAT.version)
    throw new RestoreRefusedError(
      `The archive is of format version ${String(manifest.version)}; this version of Atelya restores version ${ARCHIVE_FORMAT.version}.`,
    );
  if (
    typeof manifest.workspace?.id !== "string" ||
    typeof manifest.exported_at !== "string" ||
    !Array.isArray(manifest.files) ||
    !manifest.files.every(
      (f) => typeof f.file === "string" && Number.isInteger(f.rows) && f.rows >= 0,
    )
  )
    throw new RestoreRefusedError("The archive's manifest.json is incomplete.");
  const workspace = json("workspace.json") as ArchivedRow;
  if (workspace["id"] !== manifest.workspace.id)
    throw new RestoreRefusedError(
      "The archive's workspace.json is not the workspace its manifest names.",
    );
  const problem = rowProblem("workspaces", workspace);
  if (problem)
    throw new RestoreRefusedError(`The archive's workspace.json cannot be restored: ${problem}.`);
  const tables: Archive["tables"] = new Map();
  for (const { file, rows } of manifest.files) {
    const table = file.replace(/\.jsonl$/, "");
    const spec = EXPORT_TABLES[table as keyof typeof EXPORT_TABLES] as object | undefined;
    if (!spec || "leftOut" in spec || table === "workspaces")
      throw new RestoreRefusedError(
        `The archive holds ${file}, which this version of Atelya does not know.`,
      );
    if (!paths.has(folder + file))
      throw new RestoreRefusedError(`The archive has no ${file}, which its manifest lists.`);
    tables.set(table, { file, path: folder + file, rows });
  }
  // An export writes every table's file, one without rows too: a missing one was taken out.
  for (const table of EXPORTED_TABLES)
    if (!tables.has(table))
      throw new RestoreRefusedError(
        `The archive has no ${table}.jsonl, which every export writes: it is incomplete.`,
      );
  return { manifest: manifest as Archive["manifest"], workspace, tables, unpack };
}

/** What the zip reader answers, or the refusal a file that is no zip, or a damaged one, deserves. */
function checked<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof DamagedZipError)
      throw new RestoreRefusedError(
        `The archive is damaged (${e.entry}): ${e.reason}. Restore from another copy of it.`,
      );
    if (e instanceof NotAZipError)
      throw new RestoreRefusedError(
        `The file is not a zip archive (${e.message}); restore the .zip a workspace export wrote.`,
      );
    throw e;
  }
}

/** A table's rows, checked, a slice at a time: each an object of this workspace and, once `rooms`
 *  are known, of one of its rooms, with values the domain allows; and as many as the manifest
 *  says (checked after the last slice: the restore's transaction undoes the slices before it). */
export function* rowSlices(
  archive: Archive,
  table: string,
  rooms?: ReadonlySet<string>,
): Generator<ArchivedRow[]> {
  const entry = archive.tables.get(table);
  if (!entry) return;
  const text = strFromU8(archive.unpack(entry.path));
  let lines = 0;
  let slice: ArchivedRow[] = [];
  for (let start = 0; start < text.length;) {
    const end = text.indexOf("\n", start);
    const line = text.slice(start, end === -1 ? text.length : end);
    start = end === -1 ? text.length : end + 1;
    if (line === "") continue;
    lines++;
    slice.push(archivedRow(archive, table, entry.file, lines, line, rooms));
    if (slice.length === SLICE_ROWS) {
      yield slice;
      slice = [];
    }
  }
  if (lines !== entry.rows)
    throw new RestoreRefusedError(
      `The archive's ${entry.file} has ${lines} lines where its manifest says ${entry.rows}: it is incomplete.`,
    );
  if (slice.length > 0) yield slice;
}

/** Line `n` of a table's file, parsed: an object of this workspace and (if known) its rooms, with
 *  the values the domain allows. */
function archivedRow(
  archive: Archive,
  table: string,
  file: string,
  n: number,
  line: string,
  rooms?: ReadonlySet<string>,
): ArchivedRow {
  let row: ArchivedRow;
  try {
    const parsed: unknown = JSON.parse(line);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error();
    row = parsed as ArchivedRow;
    const owner = row["workspace_id"];
    if (owner !== undefined && owner !== archive.manifest.workspace.id) throw new Error();
    const room = row["workroom_id"];
    if (rooms && room !== undefined && room !== null && !rooms.has(String(room))) throw new Error();
  } catch {
    throw new RestoreRefusedError(
      `Line ${n} of the archive's ${file} is not a row of this workspace.`,
    );
  }
  const problem = rowProblem(table, row);
  if (problem)
    throw new RestoreRefusedError(
      `Line ${n} of the archive's ${file} cannot be restored: ${problem}.`,
    );
  return row;
}
