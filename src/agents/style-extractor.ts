// Style Memory extraction: a model reads 1–5 samples of an agency's writing and drafts the seven
// fields (SPEC 3), which a person then edits and saves.
import { StyleRulesSchema } from "../domain/style.js";
import type { ModelRequest } from "../models/gateway.js";
import { DATA_NOT_INSTRUCTIONS, fence } from "./fence.js";

export const STYLE_OUTPUT_TOKENS = 1_500;
export { StyleRulesSchema };

export function styleExtractionRequest(samples: readonly string[], model: string): ModelRequest {
  const system = [
    "You analyse an agency's writing samples and describe their house style so other writers can match it.",
    "Return JSON with: tone_descriptors (3–6 adjectives), banned_phrases (clichés the samples avoid or that clash with them),",
    "required_sections (sections every document of theirs has, if any), voice_examples (2–4 short verbatim excerpts that",
    "capture the voice), structural_pattern (how documents are organised), reading_level (e.g. 'plain, grade 8'),",
    "formality (1 = chatty … 5 = formal).",
    DATA_NOT_INSTRUCTIONS,
  ].join(" ");
  const body = samples
    .map((s, i) => fence("input", s, { kind: "sample", label: `Sample ${i + 1}` }))
    .join("\n\n");
  return {
    model,
    system,
    messages: [{ role: "user", content: `${body}\n\nDescribe the house style of these samples.` }],
    temperature: 0.2,
    maxOutputTokens: STYLE_OUTPUT_TOKENS,
    purpose: "style_extract",
  };
}
