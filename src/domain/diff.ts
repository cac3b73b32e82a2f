// A section-aware, word-level comparison of two drafts: sections are matched by title, and a
// changed section carries the word diff of its text.
import { diffWords } from "diff";
import { sectionText, type Document } from "./document.js";

export interface WordChange {
  /** `same`, `added` or `removed` run of words */
  kind: "same" | "added" | "removed";
  text: string;
}

export type SectionDiff =
  | { kind: "unchanged"; title: string }
  | { kind: "added"; title: string; text: string }
  | { kind: "removed"; title: string; text: string }
  | { kind: "changed"; title: string; changes: WordChange[] };

export interface DraftDiff {
  from: number;
  to: number;
  titleChanged: boolean;
  sections: SectionDiff[];
}

/** Each section's matching key: its title, and which of the sections of that title it is (a
 *  draft may hold two "Notes"; the second is matched with the other draft's second). */
function keysOf(doc: Document): string[] {
  const seen = new Map<string, number>();
  return doc.sections.map((s) => {
    const title = s.title.trim().toLowerCase();
    const n = seen.get(title) ?? 0;
    seen.set(title, n + 1);
    return `${n}:${title}`;
  });
}

/** Compares round `from` with round `to`, in the order of the newer draft (removed ones where they were). */
export function diffDrafts(a: Document, b: Document, from: number, to: number): DraftDiff {
  const aKeys = keysOf(a);
  const bKeys = keysOf(b);
  const before = new Map(aKeys.map((k, i) => [k, i]));
  const after = new Set(bKeys);
  const out: SectionDiff[] = [];
  let reported = 0; // the sections of `a` before this one have been looked at for removal
  const removedBefore = (index: number) => {
    for (; reported < index; reported++) {
      const s = a.sections[reported]!;
      if (!after.has(aKeys[reported]!))
        out.push({ kind: "removed", title: s.title, text: sectionText(s) });
    }
  };
  for (const [j, s] of b.sections.entries()) {
    const i = before.get(bKeys[j]!);
    const old = i === undefined ? undefined : a.sections[i];
    if (i !== undefined) removedBefore(i);
    if (!old) out.push({ kind: "added", title: s.title, text: sectionText(s) });
    else if (JSON.stringify(old) === JSON.stringify(s))
      out.push({ kind: "unchanged", title: s.title });
    else
      out.push({
        kind: "changed",
        title: s.title,
        changes: diffWords(sectionText(old), sectionText(s)).map((c) => ({
          kind: c.added ? "added" : c.removed ? "removed" : "same",
          text: c.value,
        })),
      });
  }
  removedBefore(a.sections.length);
  return { from, to, titleChanged: a.title !== b.title, sections: out };
}
