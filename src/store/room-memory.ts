// What a store remembers of rooms between the engine's units, so that a step does not read again
// what the unit before it left behind: a room's inputs (written once, with the room), its agents
// (checked against the workspace's `agents_version`, which every write of an agent moves: migration
// 0006) and the tasks of its current plan as the room's last unit committed them.
//
// Remembered tasks are valid at one position of the room's history only. Every transaction that
// writes a room's tasks also appends to its history (task started, output stored, plan created,
// answer given...; `engine/tx.ts` refuses one that does not), which moves the room's `event_seq`;
// so tasks remembered at the sequence number the room still has are the tasks in the database,
// whichever process wrote last. A unit takes them out when it starts and puts back what it leaves
// once its transaction has committed.
import { LRUCache } from "lru-cache";
import type { Agent, Input, Task } from "../domain/types.js";

/** The tasks of one plan generation of a room, as committed at history position `seq`. */
export interface RememberedTasks {
  roomId: string;
  seq: number;
  generation: number;
  tasks: Task[];
}

/** In characters: enough for hundreds of rooms in flight, a bounded share of the heap. */
const TASKS_CHARS = 4_000_000;
const INPUTS_CHARS = 2_000_000;
const AGENTS_CHARS = 2_000_000;

const textOf = (tasks: readonly Task[]): number =>
  tasks.reduce(
    (n, t) => n + 200 + t.title.length + t.description.length + (t.output?.length ?? 0),
    0,
  );

export class RoomMemory {
  private readonly tasks = new LRUCache<string, RememberedTasks>({
    maxSize: TASKS_CHARS,
    sizeCalculation: (e) => Math.max(1, textOf(e.tasks)),
  });
  private readonly agents = new LRUCache<string, { version: number; agents: readonly Agent[] }>({
    maxSize: AGENTS_CHARS,
    sizeCalculation: (e) =>
      Math.max(
        1,
        e.agents.reduce((n, a) => n + 300 + a.systemPrompt.length, 0),
      ),
  });
  private readonly inputs = new LRUCache<string, readonly Input[]>({
    maxSize: INPUTS_CHARS,
    sizeCalculation: (inputs) =>
      Math.max(
        1,
        inputs.reduce((n, i) => n + 100 + i.content.length, 0),
      ),
  });

  /**
   * The room's tasks of `generation` if they were remembered at history position `seq`, taken
   * out (the unit that takes them changes them). Anything remembered at another position is stale
   * and dropped.
   */
  takeTasks(roomId: string, seq: number, generation: number): Task[] | undefined {
    const e = this.tasks.get(roomId);
    if (e === undefined) return undefined;
    this.tasks.delete(roomId);
    return e.seq === seq && e.generation === generation ? e.tasks : undefined;
  }

  /** Called only once the transaction that left the room at `e.seq` has committed. */
  rememberTasks(e: RememberedTasks): void {
    this.tasks.set(e.roomId, e);
  }

  /** A write of tasks outside an engine unit: what is remembered may no longer be what is stored. */
  forgetTasks(): void {
    this.tasks.clear();
  }

  /** The agents attached to a room, if remembered at the workspace's `agentsVersion`. */
  agentsOf(workspaceId: string, roomId: string, version: number): readonly Agent[] | undefined {
    const e = this.agents.get(`${workspaceId}:${roomId}`);
    return e?.version === version ? e.agents : undefined;
  }

  rememberAgents(
    workspaceId: string,
    roomId: string,
    version: number,
    agents: readonly Agent[],
  ): void {
    this.agents.set(`${workspaceId}:${roomId}`, { version, agents });
  }

  /** A room's inputs never change once written: by workspace and room id, as they were read. */
  inputsOf(workspaceId: string, roomId: string): readonly Input[] | undefined {
    return this.inputs.get(`${workspaceId}:${roomId}`);
  }

  rememberInputs(workspaceId: string, roomId: string, inputs: readonly Input[]): void {
    this.inputs.set(`${workspaceId}:${roomId}`, inputs);
  }
}
