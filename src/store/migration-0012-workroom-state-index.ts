// Migration 0012: the workspace's rooms by state, newest first. The inbox reads the running and
// paused rooms, and the dashboard pages one state (`?state=paused`); both scanned every room of
// the workspace through `workrooms_workspace (workspace_id, created_at)`, filtering as they went:
// with tens of thousands of completed and draft rooms and a few paused ones, a page of paused
// rooms read them all. With the state second, each reads only the rooms in the states it asks for,
// already in page order. Written so it can run again (see migration 0008).
import type { Kysely, Migration } from "kysely";

export function workroomStateIndex(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createIndex("workrooms_state")
        .ifNotExists()
        .on("workrooms")
        .columns(["workspace_id", "state", "created_at", "id"])
        .execute();
    },
  };
}
