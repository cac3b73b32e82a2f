// One handler per step kind; the mapped type makes a new kind fail to compile until handled.
import { composeStep } from "./compose.js";
import { planStep } from "./plan.js";
import { reviseStep } from "./revise.js";
import { taskStep } from "./task.js";
import type { HandlerMap } from "./types.js";

export const HANDLERS: HandlerMap = {
  plan: planStep,
  task: taskStep,
  compose: composeStep,
  revise: reviseStep,
};
