// The credit estimate a person sees before starting a room (SPEC 5): from the size of the pasted
// material and the plan (or, before planning, a typical plan), each call priced with the rates of
// the model that will make it.
import { callCost, type ModelRates } from "./credits.js";

export interface EstimateInput {
  /** Tokens of the pasted material (every call reads it). */
  inputTokens: number;
  plannerRates: ModelRates;
  /** One per agent task of the plan (before planning, of a typical plan of 5), each with the rates
   *  of the model that will work it. */
  taskRates: readonly ModelRates[];
  composerRates: ModelRates;
}

/** Before planning, a plan is taken to have this many agent tasks. */
export const TYPICAL_AGENT_TASKS = 5;

export interface Estimate {
  low: number;
  expected: number;
  high: number;
  calls: number;
}

/** Prompt overhead (instructions, agents, style) and typical output sizes, in tokens. */
const PROMPT_OVERHEAD = 600;
const TYPICAL = { plan: 700, task: 500, compose: 2_500 };

export function estimateCredits(e: EstimateInput): Estimate {
  const prompt = e.inputTokens + PROMPT_OVERHEAD;
  const plan = callCost({ inputTokens: prompt, outputTokens: TYPICAL.plan }, e.plannerRates);
  // Each task also reads roughly one earlier output; the Composer reads them all.
  const tasks = e.taskRates.reduce(
    (sum, rates) =>
      sum + callCost({ inputTokens: prompt + TYPICAL.task, outputTokens: TYPICAL.task }, rates),
    0,
  );
  const compose = callCost(
    {
      inputTokens: prompt + e.taskRates.length * TYPICAL.task,
      outputTokens: TYPICAL.compose,
    },
    e.composerRates,
  );
  const expected = plan + tasks + compose;
  return {
    low: Math.round(expected * 0.6),
    expected,
    high: Math.ceil(expected * 1.8),
    calls: 2 + e.taskRates.length,
  };
}
