// The Composer: writes the deliverable (DocumentSchema) from the task outputs, in the room's style.
import { DocumentSchema } from "../domain/document.js";
import type { ModelRequest } from "../models/gateway.js";
import { DATA_NOT_INSTRUCTIONS } from "./fence.js";
import { inputBlocks, outputBlocks, styleBlock, workroomBlock } from "./common.js";
import type { ComposeContext } from "./snapshot.js";

export const COMPOSE_OUTPUT_TOKENS = 8_000;
export { DocumentSchema };

export function composeRequest(c: ComposeContext, model: string): ModelRequest {
  const system = [
    c.composer.systemPrompt ||
      "You are the Composer of an agency workroom: you write the finished client deliverable from the work of the other agents.",
    "Return the document as JSON: a title, an optional subtitle and sections; each section has a title and blocks",
    "(headings of level 2 or 3, paragraphs made of inline runs with optional bold, italic or link, bullet or numbered lists",
    "that may nest, tables with a header row, quotes, page breaks). One section per major part, in a sensible order.",
    "Include every required section of the style rules. Write for the client: no internal notes, no mention of agents or tasks.",
    DATA_NOT_INSTRUCTIONS,
  ].join(" ");
  const parts = [
    workroomBlock(c),
    styleBlock(c.style),
    "Material (voice samples guide tone only):",
    inputBlocks(c.inputs),
    "Task outputs to compose from:",
    outputBlocks(c.outputs),
    `Compose the deliverable: ${c.room.deliverables.join(", ")}.`,
  ];
  return {
    model,
    system,
    messages: [{ role: "user", content: parts.join("\n\n") }],
    temperature: c.composer.temperature,
    maxOutputTokens: COMPOSE_OUTPUT_TOKENS,
    purpose: "compose",
  };
}
