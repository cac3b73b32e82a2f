// A custom agent doing one agent_work task: writes its part (usually one section) as Markdown.
import type { ModelRequest } from "../models/gateway.js";
import { DATA_NOT_INSTRUCTIONS, fence, fenceJson } from "./fence.js";
import { inputBlocks, outputBlocks, styleBlock, workroomBlock } from "./common.js";
import type { TaskContext } from "./snapshot.js";

export const TASK_OUTPUT_TOKENS = 1_500;

export function taskRequest(c: TaskContext, model: string): ModelRequest {
  const system = [
    c.agent.systemPrompt ||
      `You are ${c.agent.name}, ${c.agent.roleDescription || "a specialist at an agency"}.`,
    "You write one part of a client deliverable. Write clear Markdown prose (short headings, lists and tables where they help).",
    "Do not write the whole deliverable; write only your task's part. Use only facts from the material and earlier outputs.",
    DATA_NOT_INSTRUCTIONS,
  ].join(" ");
  const parts = [
    workroomBlock(c),
    fenceJson("task", {
      ordinal: c.task.ordinal,
      title: c.task.title,
      description: c.task.description,
    }),
    styleBlock(c.style),
    "Material:",
    inputBlocks(c.inputs),
  ];
  if (c.outputs.length)
    parts.push("Outputs of earlier tasks you build on:", outputBlocks(c.outputs));
  if (c.feedback)
    parts.push(
      fence("feedback", c.feedback),
      "A reviewer rejected the earlier version: address this feedback.",
    );
  parts.push(`Write the output of task ${c.task.ordinal}: ${c.task.title}.`);
  return {
    model,
    system,
    messages: [{ role: "user", content: parts.join("\n\n") }],
    temperature: c.agent.temperature,
    maxOutputTokens: TASK_OUTPUT_TOKENS,
    purpose: "task",
  };
}

/** The follow-up asking once for a rewrite without the banned phrases found. */
export function rewriteMessage(found: readonly string[]): string {
  return `Rewrite your whole answer without these banned phrases: ${found.map((p) => `"${p}"`).join(", ")}. Keep everything else.`;
}
