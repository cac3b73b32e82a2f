// The Planner: reads the room and writes a plan (PlanSchema); invalid plans are re-asked with the
// validation errors by the plan step.
import { PlanSchema, TASK_TYPES } from "../domain/plan.js";
import type { ModelRequest } from "../models/gateway.js";
import { DATA_NOT_INSTRUCTIONS, fenceJson } from "./fence.js";
import { inputBlocks, outputBlocks, workroomBlock } from "./common.js";
import type { RoomSnapshot } from "./snapshot.js";

export const PLAN_OUTPUT_TOKENS = 2_000;
export { PlanSchema };

const SYSTEM = [
  "You are the Planner of an agency workroom. You turn client material into a short task plan that other agents carry out;",
  "the last task is always the composition of one client deliverable by the Composer.",
  "Rules: ordinals are 1, 2, 3 … in order; depends_on lists only earlier ordinals; independent tasks should not depend on each other",
  "so they run in parallel; exactly one task of type composition, last, assigned to the Composer; assign every other task to an",
  "attached agent by its id; a tool_call task may only use a tool granted to its agent; keep the plan between 3 and 10 tasks.",
  `Task types: ${TASK_TYPES.join(", ")}.`,
  DATA_NOT_INSTRUCTIONS,
].join(" ");

export interface ToolSummary {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

export function plannerRequest(
  s: RoomSnapshot,
  model: string,
  temperature: number,
  tools: readonly ToolSummary[] = [],
): ModelRequest {
  const agents = s.agents.map((a) => ({
    id: a.id,
    name: a.name,
    bot_type: a.botType,
    role: a.roleDescription,
    tools: a.toolGrants,
  }));
  const granted = new Set(s.agents.flatMap((a) => a.toolGrants));
  const usable = tools.filter((t) => granted.has(t.name));
  const parts = [workroomBlock(s), fenceJson("agents", agents)];
  if (usable.length)
    parts.push(
      "Tools the agents may call (a tool_call task gives `tool` and `args` matching its parameters):",
      fenceJson("tools", usable),
    );
  parts.push("Material:", inputBlocks(s.inputs));
  if (s.completedEarlier.length)
    parts.push(
      "Work already completed in an earlier plan (keep it; do not redo it, build on it):",
      outputBlocks(s.completedEarlier),
    );
  parts.push("Write the plan.");
  return {
    model,
    system: SYSTEM,
    messages: [{ role: "user", content: parts.join("\n\n") }],
    temperature,
    maxOutputTokens: PLAN_OUTPUT_TOKENS,
    purpose: "plan",
  };
}

/** The follow-up message when a plan failed validation. */
export function planRetryMessage(errors: readonly string[]): string {
  return `The plan is invalid:\n${errors.map((e) => `- ${e}`).join("\n")}\nWrite the whole plan again, fixing every problem.`;
}
