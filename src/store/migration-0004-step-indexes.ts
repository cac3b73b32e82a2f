// Migration 0004: fewer step indexes to rewrite. Every status change of a step rewrote its entries
// in `steps_room (workroom_id, status)` and `steps_workspace (workspace_id, status)`; the queries
// that filtered on those (reserved credits, dropping a room's steps) only ever look at ready or
// claimed steps, which `steps_queue` and `steps_leases` already find. `steps_room` keeps the room
// alone (written once per step; it serves the cascade from a deleted room).
import type { Kysely, Migration } from "kysely";

type Db = Kysely<unknown>;

export function stepIndexes(): Migration {
  return {
    async up(db: Db) {
      await db.schema.dropIndex("steps_workspace").execute();
      await db.schema.dropIndex("steps_room").execute();
      await db.schema.createIndex("steps_room").on("steps").column("workroom_id").execute();
    },
  };
}
