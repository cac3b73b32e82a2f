// Passages and terms of pasted material for search_inputs: paragraphs (long ones in windows of
// lines or sentences) and normalised words, so "Budgets" finds "budget" and "Café" finds "cafe".

const STOPWORDS = new Set(
  "a an and are as at be but by for from has have in is it its of on or our so that the their this to was we were will with you your".split(
    " ",
  ),
);

/** A light stemmer: enough that plurals and -ing/-ed forms meet, never so much that words merge. */
function stem(w: string): string {
  if (w.length <= 3 || /^\d/.test(w)) return w;
  if (w.endsWith("ies") && w.length > 4) return `${w.slice(0, -3)}y`;
  if (w.endsWith("ing") && w.length > 5) return w.slice(0, -3);
  if (w.endsWith("ed") && w.length > 4) return w.slice(0, -2);
  if (w.endsWith("es") && /(ch|sh|x|ss)es$/.test(w)) return w.slice(0, -2);
  if (w.endsWith("s") && !w.endsWith("ss")) return w.slice(0, -1);
  return w;
}

export function normalise(text: string): string {
  return text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "");
}

/** The searchable terms of a text, in order. */
export function terms(text: string): string[] {
  return normalise(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0 && !STOPWORDS.has(w))
    .map(stem);
}

const MAX_PASSAGE = 500;

/** Splits material into passages of at most ~500 characters, keeping paragraphs whole when short. */
export function passages(content: string): string[] {
  const out: string[] = [];
  for (const paragraph of content.split(/\n\s*\n/)) {
    const p = paragraph.trim();
    if (!p) continue;
    if (p.length <= MAX_PASSAGE) {
      out.push(p.replace(/[ \t]+/g, " "));
      continue;
    }
    // Notes are often one long block of lines; prose is one long block of sentences.
    const units = p.includes("\n") ? p.split(/\n/) : p.split(/(?<=[.!?])\s+/);
    let current = "";
    for (const u of units.map((x) => x.trim()).filter(Boolean)) {
      if (current && current.length + u.length > MAX_PASSAGE) {
        out.push(current);
        current = "";
      }
      current = current ? `${current}${p.includes("\n") ? "\n" : " "}${u}` : u;
    }
    if (current) out.push(current);
  }
  return out;
}
