// Files given to `atelya run --input` and `atelya style extract` are read as the web app reads an
// upload: .txt/.md as UTF-8 text, .docx and .pdf through the same reader, and a binary, non-UTF-8
// or unsupported file refused with the upload's own message before anything is made or charged.
// A file that cannot be opened says why. (The CLI took .txt/.md by their name alone, sent NUL
// bytes to the models and saved them as voice examples, turned Latin-1 into U+FFFD, refused
// .docx and .pdf, and called every read error "no such file".)
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { BRIEF } from "../support/fixtures.js";
import { makeDocx, makePdf } from "../support/files.js";
import { cliFolder, refused, succeeded } from "../support/cli.js";

const folder = cliFolder();
afterAll(() => folder.remove());
const put = (name: string, content: string | Buffer) =>
  writeFileSync(join(folder.dir, name), content);
put("brief.md", BRIEF);
put("binary.md", Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00, 0x41, 0x0a]));
put("latin1.md", Buffer.from("caf\xe9 latin1 text here\n", "latin1"));
put("notes.dat", "plain words");
mkdirSync(join(folder.dir, "folder.md"));

const run = (title: string, ...inputs: string[]) =>
  folder.run([
    "run",
    "--title",
    title,
    "--deliverable",
    "Memo",
    ...inputs.flatMap((i) => ["--input", i]),
  ]);

it("refuses binary, non-UTF-8 and unsupported files with the upload's message, and says why a file cannot be read", async () => {
  refused(
    await run("Bin", "brief:./binary.md"),
    /^error: Cannot read "\.\/binary\.md": it looks like a binary file, not text\.$/m,
  );
  refused(
    await run("Latin", "brief:./latin1.md"),
    /^error: Cannot read "\.\/latin1\.md": it is not UTF-8 text\. Save it as UTF-8 and upload it again\.$/m,
  );
  refused(
    await run("Dat", "brief:./notes.dat"),
    /^error: Cannot read "\.\/notes\.dat": the supported file types are \.txt, \.md, \.docx and \.pdf\.$/m,
  );
  refused(
    await run("Dir", "brief:./folder.md"),
    /^error: Cannot read \.\/folder\.md: it is a folder, not a file\.$/m,
  );
  refused(
    await run("Gone", "brief:./gone.md"),
    /^error: Cannot read \.\/gone\.md: no such file\.$/m,
  );
}, 60_000);

it("runs a room from a .docx brief and .pdf notes, their text read as the upload reads it", async () => {
  put(
    "brief.docx",
    await makeDocx(["Aurora Coffee wants a loyalty app relaunch proposal.", "Budget: 40k."]),
  );
  put("notes.pdf", await makePdf([["Kick-off: launch before the holidays."]]));
  const out = succeeded(await run("From Word", "brief:./brief.docx", "meeting_notes:./notes.pdf"));
  expect(out).toMatch(/^Deliverable: from-word-v1\.md$/m);
  const roomId = /^Workroom (room_\w+)$/m.exec(out)![1]!;
  // The scripted model quotes the inputs: the words came out of the files, not their bytes.
  expect(readFileSync(join(folder.dir, "from-word-v1.md"), "utf8")).toMatch(
    /Aurora Coffee|holidays/,
  );
  expect(succeeded(await folder.run(["show", roomId]))).toContain(
    "You created the workroom with 2 inputs",
  );
}, 60_000);

it("refuses a binary Style Memory sample before charging anything", async () => {
  succeeded(await folder.run(["agents", "create", "--name", "Voice"]));
  refused(
    await folder.run(["style", "extract", "Voice", "./brief.md", "./binary.md"]),
    /^error: Cannot read "\.\/binary\.md": it looks like a binary file, not text\.$/m,
  );
  expect(succeeded(await folder.run(["style", "show", "Voice"]))).toBe(
    "Voice has no Style Memory yet.\n",
  );
  expect(succeeded(await folder.run(["credits", "ledger"]))).not.toMatch(/Style Memory extraction/);
  expect(succeeded(await folder.run(["style", "extract", "Voice", "./brief.md"]))).toMatch(
    /^Saved\./m,
  );
}, 60_000);
