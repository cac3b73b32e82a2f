// The closed set of step kinds and what working a step produces. Each kind has one handler file.
import type { Document } from "../../domain/document.js";
import type { ValidTask } from "../../domain/plan.js";
import type { Workroom, Workspace } from "../../domain/types.js";
import type { NewEvent } from "../../store/events.js";
import type { Step, StepKind } from "../../store/steps.js";
import type { EngineDeps } from "../deps.js";
import type { Meter } from "../metering.js";
import type { Tx } from "../tx.js";
import type { ProviderCredentials } from "../../models/config.js";
import type { ModelRequest } from "../../models/gateway.js";

export type FirstCall = Pick<ModelRequest, "model" | "system" | "messages" | "maxOutputTokens">;

/** What the begin transaction has loaded for a step: the room (locked) and its workspace. */
export interface Begin {
  tx: Tx;
  step: Step;
  room: Workroom;
  workspace: Workspace;
  /** The workspace's own provider keys and base URLs (undefined: none set); its base URL decides
   *  whether an OpenAI-compatible model is local. */
  credentials: ProviderCredentials | undefined;
  deps: EngineDeps;
}

/** Everything a handler's work phase may use; it runs outside any transaction. */
export interface StepEnv {
  deps: EngineDeps;
  step: Step;
  room: Workroom;
  signal: AbortSignal;
  meter: Meter;
}

/** What the work phase of a step produced; the commit phase stores it. */
export type Outcome =
  | { type: "plan"; summary: string; tasks: ValidTask[]; notes: NewEvent[] }
  | { type: "output"; output: string; notes: NewEvent[] }
  | { type: "waiting"; notes: NewEvent[] }
  | { type: "document"; document: Document; notes: NewEvent[] }
  | { type: "failed"; reason: string; retryable: boolean; notes?: NewEvent[] }
  | { type: "budget"; reason: "budget" | "insufficient_credits"; needed: number }
  /** The provider asked to wait longer than a call waits: the room pauses, the step waits too. */
  | { type: "rate_limited"; model: string; waitMs: number; reason: string }
  | { type: "aborted"; reason: string };

export interface StepHandler<P = unknown> {
  /** Room states in which this kind of step may run. */
  runsIn: readonly Workroom["state"][];
  /** In the begin transaction: load what the work needs, mark the task running, write events. */
  prepare(b: Begin): Promise<P>;
  /** Outside any transaction: model and tool calls. Throws only for aborts and budget stops. */
  work(prepared: P, env: StepEnv): Promise<Outcome>;
  /** The step's first model call, if it makes one: reserved inside the begin transaction, so the
   *  common one-call step needs no transaction of its own for its reservation. */
  firstCall?(prepared: P): FirstCall | null;
  /** The task a step works on, for usage rows. */
  meta(prepared: P): { taskId: string | null; agentId: string | null };
}

export type HandlerMap = { [K in StepKind]: StepHandler<unknown> };

/** A step cannot start for a reason a person must fix (a task's agent was detached, say). Thrown
 *  by `prepare`; the task fails with this message instead of being retried. */
export class StepSetupError extends Error {
  override name = "StepSetupError";
}
