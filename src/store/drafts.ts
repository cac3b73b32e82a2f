// The drafts of a room, one per finished round (unique on room and round). A draft's document is
// sealed and can be large: a read of one round opens that round only, by the unique key, so it
// costs the same whether the room has one round or hundreds (the rounds without their documents:
// listDraftRounds in room-summary.ts).
import type { Document } from "../domain/document.js";
import type { WorkspaceId } from "../domain/ids.js";
import type { Draft, Workroom } from "../domain/types.js";
import { json, parseJson, type Exec } from "./exec.js";
import { newId } from "./ids.js";
import { precompiled, precompiledInsert } from "./prepared.js";

export async function insertDraft(
  ex: Exec,
  room: Workroom,
  round: number,
  document: Document,
  now: Date,
): Promise<void> {
  await INSERT_DRAFT(ex, [
    {
      id: newId("draft"),
      workspace_id: room.workspaceId,
      workroom_id: room.id,
      round,
      document: ex.seal(room.workspaceId, json(document)),
      created_at: now.getTime(),
    },
  ]);
}

const INSERT_DRAFT = precompiledInsert("drafts", [
  "id",
  "workspace_id",
  "workroom_id",
  "round",
  "document",
  "created_at",
]);

/** The highest round the column holds: a 32-bit integer on PostgreSQL. */
const MAX_ROUND = 2 ** 31 - 1;

/** The draft of one round, or undefined when that round has none (yet). */
export async function findDraft(
  ex: Exec,
  room: Pick<Workroom, "id" | "workspaceId">,
  round: number,
): Promise<Draft | undefined> {
  // No round is above the column's 32-bit range (PostgreSQL refuses to compare with one), or
  // fractional: such a round simply has no draft.
  if (!Number.isInteger(round) || round < 1 || round > MAX_ROUND) return undefined;
  const r = (
    await FIND_DRAFT.execute(ex, { roomId: room.id, workspaceId: room.workspaceId, round })
  ).rows[0];
  return (
    r && { round: r.round, document: parseJson<Document>(r.document), createdAt: r.created_at }
  );
}

const FIND_DRAFT = precompiled((db, s) =>
  db
    .selectFrom("drafts")
    .select(["round", "workspace_id", "document", "created_at"])
    .where("workroom_id", "=", s.text("roomId"))
    .where("round", "=", s.number("round"))
    .where("workspace_id", "=", s.text("workspaceId")),
);

/** Every draft of a room with its document, oldest first: opens them all (getWorkroom when asked
 *  for the drafts); a read of one round is findDraft, the rounds alone listDraftRounds. */
export async function listDrafts(
  ex: Exec,
  workspaceId: WorkspaceId,
  roomId: string,
): Promise<Draft[]> {
  const rows = await ex.db
    .selectFrom("drafts")
    .select(["round", "workspace_id", "document", "created_at"])
    .where("workroom_id", "=", roomId)
    .where("workspace_id", "=", workspaceId)
    .orderBy("round")
    .execute();
  return rows.map((r) => ({
    round: r.round,
    document: parseJson<Document>(r.document),
    createdAt: r.created_at,
  }));
}
