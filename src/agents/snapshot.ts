// What an agent module sees of a room when it builds a prompt: loaded by the engine, already
// limited to what the agent's context grants allow.
import type { Document } from "../domain/document.js";
import type { EffectiveStyle } from "../domain/style.js";
import type { Agent, Input, Task, Workroom } from "../domain/types.js";

export interface TaskOutput {
  ordinal: number;
  title: string;
  agentName: string | null;
  output: string;
}

export interface RoomSnapshot {
  room: Pick<
    Workroom,
    "id" | "title" | "client" | "goal" | "deliverables" | "deadline" | "styleOverride"
  >;
  inputs: Input[];
  /** Agents attached to the room (Planner and Composer included). */
  agents: Agent[];
  /** The room's current plan, if any. */
  tasks: Task[];
  /** Completed work of earlier plans (after a replan): context for the Planner. */
  completedEarlier: TaskOutput[];
}

export interface TaskContext extends RoomSnapshot {
  task: Task;
  agent: Agent;
  style: EffectiveStyle;
  /** Outputs this agent may read: its dependencies' by default. */
  outputs: TaskOutput[];
  /** Feedback to take into account on a re-run (rejection comment). */
  feedback: string | null;
}

export interface ComposeContext extends RoomSnapshot {
  composer: Agent;
  style: EffectiveStyle;
  outputs: TaskOutput[];
}

export interface ReviseContext extends RoomSnapshot {
  composer: Agent;
  style: EffectiveStyle;
  draft: Document;
}
