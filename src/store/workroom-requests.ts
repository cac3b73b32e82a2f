// The idempotency keys of room creations (migration 0009), kept a day: a create retried with the
// same key answers the room the first request made.
import type { Exec } from "./exec.js";

/** How long a key is kept for a retry: a day, as for style extraction drafts. */
export const WORKROOM_REQUEST_TTL_MS = 24 * 60 * 60 * 1000;

export interface KeptWorkroomRequest {
  fingerprint: string;
  workroomId: string | null;
}

/**
 * Claims `key` for a new room in the caller's transaction, letting the workspace's keys older than
 * a day go first. Answers the earlier request's row when the key is taken (on PostgreSQL a
 * concurrent request with the same key waits here until the first one commits).
 */
export async function claimWorkroomRequest(
  ex: Exec,
  d: { workspaceId: string; key: string; fingerprint: string },
  now: Date,
): Promise<KeptWorkroomRequest | undefined> {
  const id = `${d.workspaceId}:${d.key}`;
  await ex.db
    .deleteFrom("workroom_requests")
    .where("workspace_id", "=", d.workspaceId)
    .where("created_at", "<=", now.getTime() - WORKROOM_REQUEST_TTL_MS)
    .execute();
  const claimed = await ex.db
    .insertInto("workroom_requests")
    .values({
      id,
      workspace_id: d.workspaceId,
      fingerprint: d.fingerprint,
      workroom_id: null,
      created_at: now.getTime(),
    })
    .onConflict((c) => c.column("id").doNothing())
    .executeTakeFirst();
  if (Number(claimed.numInsertedOrUpdatedRows ?? 0n) > 0) return undefined;
  const row = await ex.db
    .selectFrom("workroom_requests")
    .select(["fingerprint", "workroom_id"])
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
  return { fingerprint: row.fingerprint, workroomId: row.workroom_id };
}

/** Records the room a claimed key made. */
export async function settleWorkroomRequest(
  ex: Exec,
  d: { workspaceId: string; key: string; workroomId: string },
): Promise<void> {
  await ex.db
    .updateTable("workroom_requests")
    .set({ workroom_id: d.workroomId })
    .where("id", "=", `${d.workspaceId}:${d.key}`)
    .execute();
}
