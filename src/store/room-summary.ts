// The parts of a room that its detail lists without their (sealed) text: the paste blocks with
// their stored byte counts and the finished rounds without their documents, so GET /workrooms/:id
// never opens up to 100 KB of inputs and every draft on each call.
import type { InputKind } from "../domain/inputs.js";
import type { Workroom } from "../domain/types.js";
import type { Exec } from "./exec.js";

export interface InputSize {
  kind: InputKind;
  label: string | null;
  bytes: number;
}

export async function listInputSizes(
  ex: Exec,
  room: Pick<Workroom, "id" | "workspaceId">,
): Promise<InputSize[]> {
  const rows = await ex.db
    .selectFrom("inputs")
    .select(["workspace_id", "kind", "label", "bytes"])
    .where("workroom_id", "=", room.id)
    .where("workspace_id", "=", room.workspaceId)
    .orderBy("position")
    .execute();
  return rows.map((r) => ({ kind: r.kind as InputKind, label: r.label, bytes: r.bytes }));
}

/** The finished rounds of a room, without their documents. */
export async function listDraftRounds(
  ex: Exec,
  room: Pick<Workroom, "id" | "workspaceId">,
): Promise<{ round: number; createdAt: number }[]> {
  const rows = await ex.db
    .selectFrom("drafts")
    .select(["round", "created_at"])
    .where("workroom_id", "=", room.id)
    .where("workspace_id", "=", room.workspaceId)
    .orderBy("round")
    .execute();
  return rows.map((r) => ({ round: r.round, createdAt: r.created_at }));
}
