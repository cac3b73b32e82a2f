// What waits for people across a workspace: the current plan of every running or paused room that
// has an approval or a question open, read in one statement however many rooms the workspace has.
import { sql } from "kysely";
import type { WorkspaceId } from "../domain/ids.js";
import type { Task, Workroom } from "../domain/types.js";
import type { WorkroomState } from "../domain/workroom.js";
import type { Exec } from "./exec.js";
import { precompiled } from "./prepared.js";
import { toTask } from "./tasks.js";

/** A room with something open for people, and every task of its current plan by ordinal. */
export interface RoomWaiting {
  room: Pick<Workroom, "id" | "title" | "client" | "state">;
  tasks: Task[];
}

/** The states in which a room takes answers (people.ts `decide`). */
const ANSWERED_IN = ["executing", "paused"] as const satisfies readonly WorkroomState[];
/** The task types a person answers. */
const ASKS = ["approval", "user_input"] as const;

/** The workspace's rooms with an open approval or question, newest first. */
export async function listRoomsWaiting(ex: Exec, workspaceId: WorkspaceId): Promise<RoomWaiting[]> {
  const { rows } = await ROOMS_WAITING.execute(ex, { workspaceId });
  const rooms = new Map<string, RoomWaiting & { createdAt: number }>();
  for (const { room_title, room_client, room_state, room_created_at, ...task } of rows) {
    let room = rooms.get(task.workroom_id);
    if (!room) {
      room = {
        room: {
          id: task.workroom_id as Workroom["id"],
          title: room_title,
          client: room_client,
          state: room_state as WorkroomState,
        },
        tasks: [],
        createdAt: room_created_at,
      };
      rooms.set(task.workroom_id, room);
    }
    room.tasks.push(toTask(task));
  }
  return [...rooms.values()]
    .sort((a, b) => b.createdAt - a.createdAt || (a.room.id < b.room.id ? 1 : -1))
    .map(({ room, tasks }) => ({ room, tasks: tasks.sort((a, b) => a.ordinal - b.ordinal) }));
}

// The rooms come from `workrooms_state (workspace_id, state, …)` (migration 0012): only the
// running and paused ones are read, and for each the tasks of its plan through `tasks_room`. No
// ORDER BY: SQLite would rather walk `workrooms_workspace` in date order over every room of the
// workspace than sort the few it finds (measured at 22,000 rooms: 10 ms against 0.05 ms).
const ROOMS_WAITING = precompiled((db, s) =>
  db
    .selectFrom("workrooms as w")
    .innerJoin("tasks as t", (join) =>
      join.onRef("t.workroom_id", "=", "w.id").onRef("t.generation", "=", "w.generation"),
    )
    .selectAll("t")
    .select([
      "w.title as room_title",
      "w.client as room_client",
      "w.state as room_state",
      "w.created_at as room_created_at",
    ])
    .where("w.workspace_id", "=", s.text("workspaceId"))
    .where("w.state", "in", [...ANSWERED_IN])
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("tasks as a")
          .select(sql.lit(1).as("one"))
          .whereRef("a.workroom_id", "=", "w.id")
          .whereRef("a.generation", "=", "w.generation")
          .where("a.status", "=", "waiting")
          .where("a.type", "in", [...ASKS]),
      ),
    ),
);
