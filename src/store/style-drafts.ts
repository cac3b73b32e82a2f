// Style Memory extraction drafts, kept for a day by the request's ledger key: a request retried
// after its response was lost is answered with the draft it paid for.
import { json, parseJson, type Exec } from "./exec.js";

/** How long a draft is kept for a retry: a day, as idempotency keys usually are. */
export const STYLE_DRAFT_TTL_MS = 24 * 60 * 60 * 1000;

export interface KeptStyleDraft {
  fingerprint: string;
  draft: unknown;
}

/** The draft a ledger key paid for, if it is still kept. */
export async function keptStyleDraft(
  ex: Exec,
  workspaceId: string,
  key: string,
  now: Date,
): Promise<KeptStyleDraft | undefined> {
  const row = await ex.db
    .selectFrom("style_drafts")
    .select(["fingerprint", "draft"])
    .where("id", "=", key)
    .where("workspace_id", "=", workspaceId)
    .where("created_at", ">", now.getTime() - STYLE_DRAFT_TTL_MS)
    .executeTakeFirst();
  return row && { fingerprint: row.fingerprint, draft: parseJson(row.draft) };
}

/** Keeps a draft by its ledger key (sealed: it is drawn from client samples), and lets the
 *  workspace's drafts older than a day go. */
export async function keepStyleDraft(
  ex: Exec,
  d: { key: string; workspaceId: string; agentId: string; fingerprint: string; draft: unknown },
  now: Date,
): Promise<void> {
  await ex.db
    .deleteFrom("style_drafts")
    .where("workspace_id", "=", d.workspaceId)
    .where("created_at", "<=", now.getTime() - STYLE_DRAFT_TTL_MS)
    .execute();
  await ex.db
    .insertInto("style_drafts")
    .values({
      id: d.key,
      workspace_id: d.workspaceId,
      agent_id: d.agentId,
      fingerprint: d.fingerprint,
      draft: ex.seal(d.workspaceId, json(d.draft)),
      created_at: now.getTime(),
    })
    .execute();
}
