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

const key = (title: string) => title.trim().toLowerCase();

/** Compares round `from` with round `to`, in the order of the newer draft (removed ones where they were). */
export function diffDrafts(a: Document, b: Document, from: number, to: number): DraftDiff {
  const before = new Map(a.sections.map((s) => [key(s.title), s]));
  const after = new Set(b.sections.map((s) => key(s.title)));
  const out: SectionDiff[] = [];
  const removedBefore = (index: number) =>
    a.sections
      .slice(0, index)
      .filter(
        (s) =>
          !after.has(key(s.title)) &&
          !out.some((o) => o.kind === "removed" && key(o.title) === key(s.title)),
      )
      .forEach((s) => out.push({ kind: "removed", title: s.title, text: sectionText(s) }));
  for (const s of b.sections) {
    const old = before.get(key(s.title));
    if (old) removedBefore(a.sections.indexOf(old));
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
