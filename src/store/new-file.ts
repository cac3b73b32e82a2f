// A new file written whole or not at all: it is written under a partial name in the target's
// folder and linked into place once it is finished, so a process killed half-way leaves nothing at
// the name given (a retry is not refused), and an existing file is never overwritten. Partial
// files of a run that no longer runs are removed on the next try.
import { existsSync, linkSync, readdirSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { isRunning } from "../platform/processes.js";

/** The file exists already: nothing was written. */
export class FileExistsError extends Error {
  override name = "FileExistsError";
}

/**
 * Runs `write` on a partial file beside `file`, then moves the partial file into place. `what`
 * names the file in the refusal ("a backup"). Whatever `write` leaves behind on failure
 * (a journal beside the partial file included) is removed.
 */
export async function writeNewFile<T>(
  file: string,
  what: string,
  write: (partial: string) => Promise<T>,
): Promise<T> {
  const exists = () =>
    new FileExistsError(`${file} exists already; ${what} never overwrites a file.`);
  if (existsSync(file)) throw exists();
  removeAbandonedPartials(file);
  const partial = join(dirname(file), `.${basename(file)}${PARTIAL}${process.pid}`);
  try {
    const result = await write(partial);
    moveIntoPlace(partial, file, exists);
    return result;
  } finally {
    for (const f of [partial, `${partial}-journal`]) rmSync(f, { force: true });
  }
}

const PARTIAL = ".partial-";

/** Partial files (and their journals) of earlier writes of `file` whose process is gone. */
function removeAbandonedPartials(file: string): void {
  const prefix = `.${basename(file)}${PARTIAL}`;
  let names: string[];
  try {
    names = readdirSync(dirname(file));
  } catch {
    return; // no folder: the write says so
  }
  for (const name of names) {
    const pid = /^(\d+)(-journal)?$/.exec(name.startsWith(prefix) ? name.slice(prefix.length) : "");
    if (pid && !isRunning(Number(pid[1]))) rmSync(join(dirname(file), name), { force: true });
  }
}

/** A link fails if `file` appeared meanwhile, so even then nothing is overwritten. */
function moveIntoPlace(partial: string, file: string, exists: () => Error): void {
  try {
    linkSync(partial, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") throw exists();
    // A file system without hard links: the rename is atomic still.
    if (existsSync(file)) throw exists();
    renameSync(partial, file);
  }
}
