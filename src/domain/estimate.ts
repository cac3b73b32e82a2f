// The credit estimate a person sees before starting a room (SPEC 5): from the size of the pasted
// material and the plan (or, before planning, a typical plan), priced with the room's model rates.
import { callCost, type ModelRates } from "./credits.js";

export interface EstimateInput {
  /** Tokens of the pasted material (every call reads it). */
  inputTokens: number;
  /** Agent tasks in the plan; before planning, a typical plan of 5. */
  agentTasks: number;
  plannerRates: ModelRates;
  rates: ModelRates;
}

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
  const task = callCost(
    { inputTokens: prompt + TYPICAL.task, outputTokens: TYPICAL.task },
    e.rates,
  );
  const compose = callCost(
    { inputTokens: prompt + e.agentTasks * TYPICAL.task, outputTokens: TYPICAL.compose },
    e.rates,
  );
  const expected = plan + e.agentTasks * task + compose;
  return {
    low: Math.round(expected * 0.6),
    expected,
    high: Math.ceil(expected * 1.8),
    calls: 2 + e.agentTasks,
  };
}
