// Migration 0011: a room paused for a provider's rate limit resumes by itself. `resume_at` is when
// (ms since the epoch): set only while the room is paused for a rate limit, null otherwise. The
// partial index holds only those rooms, so the workers' look for rooms due to resume reads a few
// entries however many rooms there are; a query's `resume_at <= ?` (or `> ?`) implies the index's
// `resume_at is not null` on both databases. A room that was paused for a rate limit before this
// version resumes once a worker runs: its call still waits for the provider's time (its step is
// not due before then). Written so it can run again (see migration 0008).
import { sql, type Kysely, type Migration } from "kysely";
import type { Dialect } from "./db.js";

export function resumeAt(dialect: Dialect): Migration {
  const bigint = dialect === "postgres" ? "bigint" : "integer";
  return {
    async up(db: Kysely<unknown>) {
      const columns = (await db.introspection.getTables()).find(
        (t) => t.name === "workrooms",
      )?.columns;
      if (!columns?.some((c) => c.name === "resume_at"))
        await db.schema.alterTable("workrooms").addColumn("resume_at", bigint).execute();
      await db.schema
        .createIndex("workrooms_resume_at")
        .ifNotExists()
        .on("workrooms")
        .column("resume_at")
        .where(sql.ref("resume_at"), "is not", sql.lit(null))
        .execute();
      await sql`update workrooms set resume_at = updated_at
        where state = 'paused' and pause_reason = 'rate_limited' and resume_at is null`.execute(db);
    },
  };
}
