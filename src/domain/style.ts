// Style Memory (SPEC 3): the seven fields every agent and Composer prompt receives verbatim, and the
// precedence rule (workroom override > agent Style Memory > workspace defaults).
import { z } from "zod";

export const StyleRulesSchema = z.object({
  tone_descriptors: z.array(z.string().min(1).max(80)).max(20).default([]),
  banned_phrases: z.array(z.string().min(1).max(200)).max(100).default([]),
  required_sections: z.array(z.string().min(1).max(200)).max(30).default([]),
  voice_examples: z.array(z.string().min(1).max(1000)).max(10).default([]),
  structural_pattern: z.string().max(2000).default(""),
  reading_level: z.string().max(200).default(""),
  formality: z.number().int().min(1).max(5).default(3),
});
export type StyleRules = z.infer<typeof StyleRulesSchema>;

export const emptyStyleRules = (): StyleRules => StyleRulesSchema.parse({});

/** The style a prompt receives: the one-shot workroom override stands above the agent's memory. */
export interface EffectiveStyle {
  rules: StyleRules;
  override: string | null;
}

export function effectiveStyle(
  agentRules: StyleRules | null,
  workspaceDefaults: StyleRules | null,
  roomOverride: string | null,
): EffectiveStyle {
  return {
    rules: agentRules ?? workspaceDefaults ?? emptyStyleRules(),
    override: roomOverride?.trim() || null,
  };
}

/** Banned phrases present in a text, case-insensitively. */
export function bannedPhrasesIn(text: string, rules: StyleRules): string[] {
  const lower = text.toLowerCase();
  return rules.banned_phrases.filter((p) => lower.includes(p.toLowerCase()));
}
