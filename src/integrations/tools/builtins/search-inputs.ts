// search_inputs: the passages of the room's paste blocks that best answer a query, ranked with
// BM25 (the scoring search engines use for short texts) plus a bonus for exact phrases.
import { z } from "zod";
import type { Tool, ToolInput } from "../types.js";
import { normalise, passages, terms } from "./passages.js";

const Args = z.object({
  query: z
    .string()
    .trim()
    .min(1)
    .max(500)
    .describe('words to look for; put a phrase in "double quotes" to prefer it exactly'),
  kinds: z
    .array(z.string())
    .optional()
    .describe("only search these input kinds, e.g. ['meeting_notes', 'email']"),
  limit: z.number().int().min(1).max(20).default(5),
});
type Args = z.output<typeof Args>;

export interface SearchHit {
  /** Position of the paste block in the room's inputs (0-based). */
  input: number;
  kind: string;
  label: string | null;
  snippet: string;
  score: number;
}

const K1 = 1.2;
const B = 0.75;
const SNIPPET = 320;

interface Passage {
  input: number;
  source: ToolInput;
  text: string;
  terms: string[];
}

/** Ranks the passages of `inputs` for `query`; pure, so it is tested directly. */
export function searchPassages(inputs: readonly ToolInput[], a: Args): SearchHit[] {
  const wanted = [...new Set(terms(a.query))];
  const phrases = [...a.query.matchAll(/"([^"]+)"/g)].map((m) => normalise(m[1]!.trim()));
  if (!phrases.length && wanted.length > 1) phrases.push(normalise(a.query.trim()));
  const all: Passage[] = inputs.flatMap((source, input) =>
    a.kinds && !a.kinds.includes(source.kind)
      ? []
      : passages(source.content).map((text) => ({ input, source, text, terms: terms(text) })),
  );
  if (!all.length || !wanted.length) return [];
  const avgLength = all.reduce((n, p) => n + p.terms.length, 0) / all.length || 1;
  const idf = new Map(
    wanted.map((t) => {
      const df = all.filter((p) => p.terms.includes(t)).length;
      return [t, Math.log(1 + (all.length - df + 0.5) / (df + 0.5))];
    }),
  );
  return all
    .map((p) => {
      let score = 0;
      for (const t of wanted) {
        const tf = p.terms.filter((w) => w === t).length;
        if (tf)
          score +=
            idf.get(t)! *
            ((tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * p.terms.length) / avgLength)));
      }
      const flat = normalise(p.text).replace(/\s+/g, " ");
      for (const phrase of phrases) if (flat.includes(phrase)) score += 2;
      return { p, score };
    })
    .filter((s) => s.score > 0)
    .sort((x, y) => y.score - x.score || x.p.input - y.p.input)
    .slice(0, a.limit)
    .map(({ p, score }) => ({
      input: p.input,
      kind: p.source.kind,
      label: p.source.label ?? null,
      snippet: snippet(p.text, wanted),
      score: Math.round(score * 100) / 100,
    }));
}

/** The passage, or a window of it around the first matching word when it is long. */
function snippet(text: string, wanted: readonly string[]): string {
  const oneLine = text.replace(/\s*\n\s*/g, " / ");
  if (oneLine.length <= SNIPPET) return oneLine;
  const words = [...oneLine.matchAll(/[\p{L}\p{N}]+/gu)];
  const first = words.find((w) => terms(w[0]).some((t) => wanted.includes(t)));
  const start = Math.max(0, (first?.index ?? 0) - SNIPPET / 3);
  const from = start ? oneLine.indexOf(" ", start) + 1 : 0;
  const cut = oneLine.slice(from, from + SNIPPET);
  const to = cut.lastIndexOf(" ") > SNIPPET * 0.8 ? cut.lastIndexOf(" ") : cut.length;
  return `${from ? "…" : ""}${cut.slice(0, to)}${from + to < oneLine.length ? "…" : ""}`;
}

export const searchInputs: Tool<Args> = {
  name: "search_inputs",
  description:
    "Search the workroom's pasted material (brief, meeting notes, e-mails, transcripts…) and return the best-matching passages, ranked, each with the label and kind of the block it comes from.",
  inputSchema: Args,
  async run(a, ctx) {
    const hits = searchPassages(ctx.inputs, a);
    if (!hits.length)
      return {
        output: `Nothing in the material matches "${a.query}"${a.kinds ? ` (searched: ${a.kinds.join(", ")})` : ""}.`,
        data: [],
      };
    return {
      output: hits
        .map((h, i) => `${i + 1}. [${h.label ? `${h.label} · ${h.kind}` : h.kind}] ${h.snippet}`)
        .join("\n"),
      data: hits,
    };
  },
};
