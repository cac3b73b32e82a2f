// Migration 0005: the queue indexes hold only live steps. `steps_queue (status, available_at)` and
// `steps_leases (status, lease_expires_at)` held every step ever run, and each step's insert and
// finish rewrote entries in both. The partial indexes below hold only what the queries ask for
// (ready steps by due time, claimed steps by lease expiry), so they stay a few pages small however
// much history piles up, and a step that is inserted claimed and later finished touches one of
// them, not both. The queries name the statuses as literals, as a partial index requires.
import { sql, type Kysely, type Migration } from "kysely";

type Db = Kysely<unknown>;

export function liveStepIndexes(): Migration {
  return {
    async up(db: Db) {
      await db.schema.dropIndex("steps_queue").execute();
      await db.schema.dropIndex("steps_leases").execute();
      await db.schema
        .createIndex("steps_ready")
        .on("steps")
        .column("available_at")
        .where(sql.ref("status"), "=", sql.lit("ready"))
        .execute();
      await db.schema
        .createIndex("steps_claimed")
        .on("steps")
        .column("lease_expires_at")
        .where(sql.ref("status"), "=", sql.lit("claimed"))
        .execute();
    },
  };
}
