// search_inputs: finds the passages of the room's paste blocks that best match a query.
import { z } from "zod";
import { parametersOf } from "../registry.js";
import type { Tool } from "../types.js";

const Args = z.object({
  query: z.string().trim().min(1).max(500),
  limit: z.number().int().min(1).max(20).default(5),
});

const terms = (text: string): string[] =>
  text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 1);

/** Passages: paragraphs, or windows of ~3 sentences for long ones. */
function passages(content: string): string[] {
  return content
    .split(/\n\s*\n/)
    .flatMap((p) => {
      const sentences = p
        .replace(/\s+/g, " ")
        .trim()
        .split(/(?<=[.!?])\s+/);
      if (sentences.length <= 4) return [sentences.join(" ")];
      const out: string[] = [];
      for (let i = 0; i < sentences.length; i += 3) out.push(sentences.slice(i, i + 3).join(" "));
      return out;
    })
    .filter((p) => p.length > 0);
}

export const searchInputs: Tool = {
  name: "search_inputs",
  description:
    "Search the workroom's pasted material (brief, notes, e-mails…) and return the best-matching passages with where they come from.",
  args: Args as unknown as Tool["args"],
  parameters: parametersOf(Args),
  async run(raw, ctx) {
    const { query, limit } = Args.parse(raw);
    const wanted = [...new Set(terms(query))];
    const phrase = query.toLowerCase().trim();
    const scored = ctx.inputs.flatMap((input) =>
      passages(input.content).map((text) => {
        const words = terms(text);
        const hits = wanted.reduce(
          (n, t) => n + words.filter((w) => w === t || w.startsWith(t)).length,
          0,
        );
        const covered = wanted.filter((t) => words.some((w) => w.startsWith(t))).length;
        const score = hits + covered * 2 + (text.toLowerCase().includes(phrase) ? 5 : 0);
        return { score, text, source: input.label ?? input.kind };
      }),
    );
    const best = scored
      .filter((s) => s.score > 0)
      .sort((a, b) => b.score - a.score)
      .slice(0, limit);
    if (best.length === 0)
      return { output: `Nothing in the material matches "${query}".`, data: [] };
    return {
      output: best.map((b, i) => `${i + 1}. [${b.source}] ${b.text}`).join("\n"),
      data: best,
    };
  },
};
