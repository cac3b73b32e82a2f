// The Composer revising a draft: the whole document, one section, or a new section, following a
// preset's instruction.
import { DocumentSchema, SectionSchema, type Document } from "../domain/document.js";
import type { ModelRequest } from "../models/gateway.js";
import { DATA_NOT_INSTRUCTIONS, fence, fenceJson } from "./fence.js";
import { inputBlocks, styleBlock, workroomBlock } from "./common.js";
import type { ReviseContext } from "./snapshot.js";

export const REVISE_OUTPUT_TOKENS = 8_000;
export { DocumentSchema, SectionSchema };

export type ReviseTarget =
  | { kind: "document" }
  | { kind: "section"; index: number }
  | { kind: "new_section"; title: string; after: number };

export function reviseRequest(
  c: ReviseContext,
  model: string,
  instruction: string,
  target: ReviseTarget,
): ModelRequest {
  const system = [
    c.composer.systemPrompt ||
      "You are the Composer of an agency workroom, revising a client deliverable.",
    target.kind === "document"
      ? "Return the whole revised document as JSON in the same shape as the draft."
      : "Return only one section as JSON: { title, blocks }, in the same block format as the draft.",
    "Change only what the instruction asks for.",
    DATA_NOT_INSTRUCTIONS,
  ].join(" ");
  const what =
    target.kind === "document"
      ? "Revise the whole draft."
      : target.kind === "section"
        ? `Revise section ${target.index + 1} only: ${fenceJson("section", c.draft.sections[target.index])}`
        : `Write the new section "${target.title}", to go after section ${target.after}.`;
  const parts = [
    workroomBlock(c),
    styleBlock(c.style),
    "Material:",
    inputBlocks(c.inputs),
    fenceJson("draft", c.draft),
    fence("revision", instruction, { target: target.kind }),
    what,
  ];
  return {
    model,
    system,
    messages: [{ role: "user", content: parts.join("\n\n") }],
    temperature: c.composer.temperature,
    maxOutputTokens: REVISE_OUTPUT_TOKENS,
    purpose: "revise",
  };
}

export type { Document };
