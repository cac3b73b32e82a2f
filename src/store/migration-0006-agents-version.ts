// Migration 0006: a workspace counts the changes to its agents. Every write of an agent (created,
// edited, archived, its Style Memory saved) adds one to `agents_version` in the same transaction,
// so the engine, which reads the workspace row at every step anyway, can tell whether the agents
// it remembered for a room are still the agents in the database (store/room-memory.ts).
import type { Kysely, Migration } from "kysely";

export function agentsVersion(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable("workspaces")
        .addColumn("agents_version", "integer", (c) => c.notNull().defaultTo(0))
        .execute();
    },
  };
}
