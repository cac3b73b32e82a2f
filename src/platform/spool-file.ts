// Spool files: scratch files an answer is written to whole before it is sent (a workspace's
// archive). They hold what the database keeps sealed, in clear, so they are made in a private folder
// (0700), readable by their owner alone (0600), and unlinked as soon as they are open: the bytes are
// reached through the open file only, and a process killed at any moment leaves nothing behind.
// A name is kept only in the instant between creating and unlinking the file, or where unlinking
// an open file fails; such a file carries its process's id and is removed once that process is
// gone (`removeAbandonedSpoolFiles`, at the server's start and before each new spool file).
import { randomUUID } from "node:crypto";
import { readdirSync, rmSync } from "node:fs";
import { mkdir, open, rm, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { isRunning } from "./processes.js";

const PREFIX = "atelya-export-";

/**
 * An open spool file: written through `writer`, then read from the start through `reader` (two
 * handles, so each stream closes its own). `close` closes both, closed already or not, and
 * removes the file's name if it still has one.
 */
export interface SpoolFile {
  writer: FileHandle;
  reader: FileHandle;
  close(): Promise<void>;
}

/** A new, empty spool file in `dir` (made 0700 if missing). */
export async function openSpoolFile(dir: string): Promise<SpoolFile> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (e) {
    throw new Error(
      `Cannot make the export spool folder ${dir} (${(e as Error).message}); give the server a writable ATELYA_DATA_DIR, or set spoolDir in its config file.`,
      { cause: e },
    );
  }
  removeAbandonedSpoolFiles(dir);
  const path = join(dir, `${PREFIX}${process.pid}-${randomUUID()}.zip`);
  // "wx": a new file, never one someone put there nor one a link leads to.
  const writer = await open(path, "wx", 0o600);
  let reader: FileHandle | undefined;
  let named = true;
  const close = async () => {
    await Promise.all([writer.close(), reader?.close()]);
    if (named) await rm(path, { force: true });
  };
  try {
    reader = await open(path, "r");
  } catch (e) {
    await close();
    throw e;
  }
  try {
    await rm(path);
    named = false;
  } catch {
    // A file system that cannot unlink an open file: the name goes when the file is closed, or at
    // the next start if the process is killed first.
  }
  return { writer, reader, close };
}

/** Removes the spool files in `dir` of processes that are gone; answers how many. */
export function removeAbandonedSpoolFiles(dir: string): number {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0; // no folder yet: nothing was spooled
  }
  let removed = 0;
  for (const name of names) {
    const pid = /^(\d+)-[0-9a-f-]+\.zip$/.exec(
      name.startsWith(PREFIX) ? name.slice(PREFIX.length) : "",
    );
    if (pid && !isRunning(Number(pid[1]))) {
      rmSync(join(dir, name), { force: true });
      removed++;
    }
  }
  return removed;
}
