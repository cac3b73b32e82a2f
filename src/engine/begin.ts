// The begin phase of a step, inside the unit of its room in a worker's turn (the room is locked
// there): re-check the room's state and plan generation, let the handler load what the work needs
// and mark the task running, and reserve the first model call's worst case.
import { ModelUnavailableError } from "../models/errors.js";
import { releaseStep, type Step } from "../store/steps.js";
import { providerCredentials } from "../store/workspace-secrets.js";
import type { Workroom } from "../domain/types.js";
import type { EngineDeps } from "./deps.js";
import { BudgetExhausted, type Meter, type UnitWorkspace } from "./metering.js";
import { HANDLERS } from "./steps/index.js";
import { StepSetupError, type Outcome, type StepHandler } from "./steps/types.js";
import type { Tx } from "./tx.js";

/** A step whose begin committed: ready to be worked outside any transaction. */
export interface Begun {
  step: Step;
  handler: StepHandler<unknown>;
  prepared: unknown;
  room: Workroom;
  meter: Meter;
}

/**
 * Begins `step` in `tx`, where its `room` is locked (undefined: the room is gone); undefined when
 * the room no longer runs the step (it is given back).
 */
export async function beginIn(
  tx: Tx,
  deps: EngineDeps,
  step: Step,
  meter: Meter,
  room: Workroom | undefined,
  unitWorkspace: UnitWorkspace,
): Promise<Begun | undefined> {
  const handler: StepHandler<unknown> = HANDLERS[step.kind];
  if (!room || room.generation !== step.generation || !handler.runsIn.includes(room.state)) {
    // Paused or changed between claim and begin: give the step back untouched.
    await releaseStep(tx.ex, step.id, step.attempt, tx.now.getTime());
    return undefined;
  }
  // Every call of a local_models_only room is refused unless it goes to a local model.
  meter.localOnly = room.pasteFlags.local_models_only;
  const workspace = await unitWorkspace.get();
  // Read only when the workspace has any: the hot path with scripted or embedded models, in a
  // workspace without provider settings, does no extra query.
  const credentials = workspace.hasSecrets
    ? await providerCredentials(tx.ex, room.workspaceId)
    : undefined;
  // Whether a model is local (its price, local_models_only) is decided by the base URL its calls
  // will use: the workspace's own over the environment's.
  meter.credentials = credentials;
  const prepared = await handler.prepare({ tx, step, room, workspace, credentials, deps });
  const first = handler.firstCall?.(prepared);
  if (first) await meter.prepay({ tx, room, workspace }, first);
  return { step, handler, prepared, room, meter };
}

/**
 * The outcome to commit when a begin was refused for a known reason (nothing of the begin was
 * kept, so the task is still pending); undefined for an unexpected error.
 */
export function outcomeOfRefusedBegin(e: unknown): Outcome | undefined {
  if (e instanceof BudgetExhausted) return { type: "budget", reason: e.reason, needed: e.needed };
  if (e instanceof ModelUnavailableError || e instanceof StepSetupError)
    return { type: "failed", reason: e.message, retryable: false };
  return undefined;
}
