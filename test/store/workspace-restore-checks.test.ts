// What a restore refuses, writing nothing: an archive damaged in transit (one flipped bit in a
// compressed file unpacked to altered client text, and the restore went through), rows with
// values no writer of Atelya writes (a room in state "exploded" then made the room list answer
// 500 for everyone), people and memberships that do not go together, tables taken out of the
// archive, a room's history cut short, a balance its ledger does not add up to. And what it still
// takes: a workspace the CLI made, which has no members at all.
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import type { Actor } from "../../src/app/context.js";
import { restoreWorkspace } from "../../src/app/workspace-restore.js";
import { createWorkspace } from "../../src/app/workspaces.js";
import { createWorkroom, startWorkroom } from "../../src/app/workrooms.js";
import type { Runtime } from "../../src/runtime.js";
import { addPerson, setupAgency } from "../support/accounts.js";
import { proposalRoom } from "../support/fixtures.js";
import { exportedArchive, roomState, useInstallations } from "../support/installations.js";

const { installation } = useInstallations();

/** A workspace with an owner, a member and a finished room, exported. */
async function source(): Promise<{ rt: Runtime; archive: Uint8Array }> {
  const rt = await installation("sqlite");
  const { owner } = await setupAgency(rt.deps);
  await addPerson(rt.deps, owner, "member", "Maria");
  const room = await createWorkroom(rt.deps, owner, proposalRoom());
  const completed = roomState(rt, room.id, ["completed"]);
  const worker = rt.startWorker();
  await startWorkroom(rt.deps, owner, room.id);
  await completed;
  await worker.stop();
  return { rt, archive: await exportedArchive(rt, owner) };
}

/** The path of `file` in the zip (inside its folder). */
const pathOf = (archive: Uint8Array, file: string): string =>
  Object.keys(unzipSync(archive)).find((p) => p.endsWith(`/${file}`))!;

/** The same zip with `file` (inside its folder) changed by `edit`, or left out (null). */
function edited(
  archive: Uint8Array,
  file: string,
  edit: (text: string) => string | null,
): Uint8Array {
  const files = unzipSync(archive);
  const path = pathOf(archive, file);
  const text = edit(strFromU8(files[path]!));
  if (text === null) delete files[path];
  else files[path] = strToU8(text);
  return zipSync(files);
}

/** Each line of a JSON Lines file, changed by `edit` (null leaves it out). */
const lines =
  (edit: (row: Record<string, unknown>) => Record<string, unknown> | null) => (text: string) =>
    text
      .split("\n")
      .filter(Boolean)
      .map((l) => edit(JSON.parse(l) as Record<string, unknown>))
      .filter((r) => r !== null)
      .map((r) => `${JSON.stringify(r)}\n`)
      .join("");

/** The manifest with `file`'s row count set, or the file left out of its list (null). */
const counting = (file: string, rows: number | null) => (text: string) => {
  const m = JSON.parse(text) as { files: { file: string; rows: number }[] };
  m.files = m.files.flatMap((f) => (f.file !== file ? [f] : rows === null ? [] : [{ ...f, rows }]));
  return JSON.stringify(m);
};

/** Where `file`'s compressed bytes are in the zip, from its central directory. */
function compressedData(zip: Uint8Array, path: string): { start: number; end: number } {
  const view = Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength);
  for (
    let at = view.lastIndexOf("PK\x01\x02");
    at > 0;
    at = view.lastIndexOf("PK\x01\x02", at - 1)
  ) {
    const nameLength = view.readUInt16LE(at + 28);
    if (view.toString("utf8", at + 46, at + 46 + nameLength) !== path) continue;
    const local = view.readUInt32LE(at + 42);
    const start = local + 30 + view.readUInt16LE(local + 26) + view.readUInt16LE(local + 28);
    return { start, end: start + view.readUInt32LE(at + 20) };
  }
  throw new Error(`no ${path} in the zip`);
}

/** Whether `text` holds the rows of `original` with other content: the same lines, the same
 *  columns and values but one input's text. */
function otherContent(original: string, text: string): boolean {
  try {
    const [was, is] = [original, text].map((t) =>
      t
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    );
    const without = ({ content: _, ...rest }: Record<string, unknown>) => JSON.stringify(rest);
    return (
      was!.length === is!.length &&
      was!.every((row, i) => without(row) === without(is![i]!)) &&
      was!.some((row, i) => row["content"] !== is![i]!["content"])
    );
  } catch {
    return false;
  }
}

describe("a damaged archive", () => {
  it("is refused, naming the file, where one flipped bit had altered the client's text", async () => {
    const { archive } = await source();
    const b = await installation("sqlite");
    const path = pathOf(archive, "inputs.jsonl");
    const original = strFromU8(unzipSync(archive)[path]!);
    const { start, end } = compressedData(archive, path);
    // The first bit flip in the compressed inputs that unpacks to the same rows with another
    // text: what a zip reader that checks no CRC-32 hands on as the client's brief.
    let damaged: Uint8Array | undefined;
    for (let at = start + 8; at < end && !damaged; at++)
      for (let bit = 0; bit < 8 && !damaged; bit++) {
        const flipped = Uint8Array.from(archive);
        flipped[at]! ^= 1 << bit;
        try {
          const text = strFromU8(unzipSync(flipped)[path]!);
          if (otherContent(original, text)) damaged = flipped;
        } catch {
          // This flip breaks the compressed data outright; look further.
        }
      }
    expect(damaged).toBeDefined();
    await expect(restoreWorkspace(b.deps, damaged!)).rejects.toThrow(
      new RegExp(
        `^The archive is damaged \\(${path}\\): its checksum does not match \\(CRC-32 [0-9a-f]{8} where the zip says [0-9a-f]{8}\\)\\. Restore from another copy of it\\.$`,
      ),
    );
    // Compressed data that does not unpack at all (a block of a type deflate has not) is
    // damage too, not a line that is "not a row of this workspace".
    const broken = Uint8Array.from(archive);
    broken[start] = 0x07;
    await expect(restoreWorkspace(b.deps, broken)).rejects.toThrow(
      new RegExp(`^The archive is damaged \\(${path}\\): its data does not unpack \\(`),
    );
    expect(await b.deps.store.db.selectFrom("workspaces").select("id").execute()).toEqual([]);
    expect(await b.deps.store.db.selectFrom("users").select("id").execute()).toEqual([]);
  });
});

describe("an archive whose rows are not as an export wrote them", () => {
  it("is refused with what is wrong, and nothing of it is written", async () => {
    const { archive } = await source();
    const b = await installation("sqlite");
    const refused = async (changed: Uint8Array, message: RegExp) => {
      await expect(restoreWorkspace(b.deps, changed)).rejects.toThrow(message);
      expect(await b.deps.store.db.selectFrom("workspaces").select("id").execute()).toEqual([]);
      expect(await b.deps.store.db.selectFrom("users").select("id").execute()).toEqual([]);
    };
    await refused(
      edited(
        archive,
        "workrooms.jsonl",
        lines((r) => ({ ...r, state: "exploded" })),
      ),
      /^Line 1 of the archive's workrooms\.jsonl cannot be restored: state: Invalid option: expected one of "draft"\|/,
    );
    await refused(
      edited(
        archive,
        "drafts.jsonl",
        lines((r) => ({ ...r, document: { title: 1 } })),
      ),
      /^Line 1 of the archive's drafts\.jsonl cannot be restored: document\.title: /,
    );
    await refused(
      edited(
        archive,
        "memberships.jsonl",
        lines((r) => ({ ...r, role: "owner" })),
      ),
      /^The archive's memberships\.jsonl has more than one owner; a workspace has one\.$/,
    );
    await refused(
      edited(
        edited(archive, "memberships.jsonl", () => ""),
        "manifest.json",
        counting("memberships.jsonl", 0),
      ),
      /^The archive's users\.jsonl has 2 people without a membership \(usr_\w+, usr_\w+\); an export writes only members/,
    );
    await refused(
      edited(archive, "workspace.json", (t) =>
        t.replace(/"topup_credits": \d+/, '"topup_credits": 99999'),
      ),
      /^The archive's ledger\.jsonl adds up to \d+ allowance and 0 top-up credits where its workspace\.json says \d+ and 99999: they are not as an export wrote them\.$/,
    );
    // A room's history cut short, the manifest's count made to match.
    const history = strFromU8(unzipSync(archive)[pathOf(archive, "history.jsonl")]!)
      .split("\n")
      .filter(Boolean).length;
    await refused(
      edited(
        edited(
          archive,
          "history.jsonl",
          lines((e) => (e["seq"] === 2 ? null : e)),
        ),
        "manifest.json",
        counting("history.jsonl", history - 1),
      ),
      /^The archive's history\.jsonl has \d+ events of room room_\w+ where the room has \d+: it is incomplete\.$/,
    );
    // Tables taken out of the zip and its manifest alike: an export writes every table's file.
    for (const file of ["history.jsonl", "drafts.jsonl", "ledger.jsonl", "memberships.jsonl"])
      await refused(
        edited(
          edited(archive, file, () => null),
          "manifest.json",
          counting(file, null),
        ),
        new RegExp(
          `^The archive has no ${file.replace(".", "\\.")}, which every export writes: it is incomplete\\.$`,
        ),
      );
  });

  it("takes a workspace the CLI made, which has no members, as it was", async () => {
    const a = await installation("sqlite");
    const ws = await createWorkspace(a.deps, {
      name: "My agency",
      plan: "agency",
      defaultModel: "scripted",
    });
    const cli: Actor = { id: "cli", workspaceId: ws.id, role: "owner" };
    await createWorkroom(a.deps, cli, proposalRoom());
    const b = await installation("sqlite");
    const report = await restoreWorkspace(b.deps, await exportedArchive(a, cli));
    expect(report).toMatchObject({ rooms: 1, withoutPassword: [], existingAccounts: [] });
  });
});
