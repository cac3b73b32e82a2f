// An agent's Style Memory written out as plain instructions, so a person can start the workroom's
// style override from it and edit it (the override is free text: SPEC 3's precedence puts it first).
import type { Schemas } from "../../api/client";

const MAX = 4000;
const list = (items: readonly string[]) => items.map((i) => `"${i}"`).join(", ");

export function styleAsText(r: Schemas["StyleRules"]): string {
  const lines: string[] = [];
  if (r.tone_descriptors?.length) lines.push(`Tone: ${r.tone_descriptors.join(", ")}.`);
  if (r.formality !== undefined) lines.push(`Formality: ${r.formality} of 5.`);
  if (r.reading_level) lines.push(`Reading level: ${r.reading_level}.`);
  if (r.structural_pattern) lines.push(`Structure: ${r.structural_pattern}`);
  if (r.required_sections?.length)
    lines.push(`Include these sections: ${r.required_sections.join("; ")}.`);
  if (r.banned_phrases?.length) lines.push(`Never use: ${list(r.banned_phrases)}.`);
  const head = lines.join("\n");
  const examples = (r.voice_examples ?? []).map((v) => `- ${v}`);
  let text = head;
  // Voice examples go last, as many as fit the override's 4,000 characters.
  for (const [i, e] of examples.entries()) {
    const added = `${text}${i === 0 ? "\nSound like these examples:" : ""}\n${e}`;
    if (added.length > MAX) break;
    text = added;
  }
  return text.slice(0, MAX);
}
