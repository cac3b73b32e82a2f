// Files named on the command line: read with the real reason when they cannot be (not "no such
// file" for every failure), and text files, .docx and .pdf turned into text by the same reader as
// the web app's uploads, so both accept and refuse the same files with the same messages.
import { readFile } from "node:fs/promises";
import { MAX_INPUT_BYTES } from "../domain/inputs.js";
import { extractText, uploadTypeOf } from "../integrations/files/extract-text.js";
import { CliError } from "./errors.js";

const REASONS: Record<string, string> = {
  ENOENT: "no such file",
  ENOTDIR: "no such file (a folder on its path is a file)",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EISDIR: "it is a folder, not a file",
  ELOOP: "too many symbolic links on its path",
  EMFILE: "too many files are open; try again",
};

/** The bytes of `path`, or one line saying why they cannot be read. */
export async function readBytes(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "";
    throw new CliError(
      `Cannot read ${path}: ${REASONS[code] ?? (e instanceof Error ? e.message : String(e))}.`,
    );
  }
}

/** The text of a .txt, .md, .docx or .pdf file, read as an uploaded file is (at most the text a
 *  workroom takes); a type the upload refuses is refused before the file is opened. */
export async function readTextFile(path: string): Promise<string> {
  uploadTypeOf(path);
  return extractText(path, await readBytes(path), { maxBytes: MAX_INPUT_BYTES });
}
