// Editing what a colleague may be editing too. A form's draft is made from one version of the
// resource (its ETag), and its writes send that version back as If-Match, so the server refuses
// (412) a save made on a version someone has changed since. A newer version read meanwhile (a
// refetch when the tab comes back) replaces a draft without edits; a draft with edits keeps the
// version it was made on, so saving it is refused instead of erasing what the form never showed.
import { useState } from "react";
import type { Versioned } from "./client";

type Same<D> = (key: keyof D, a: unknown, b: unknown) => boolean;

const sameJson = (_key: unknown, a: unknown, b: unknown) =>
  a === b || JSON.stringify(a) === JSON.stringify(b);

export interface VersionedDraft<T, D> {
  /** The version the draft was made on: its `etag` goes in If-Match. */
  base: Versioned<T>;
  draft: D;
  set: (change: Partial<D>) => void;
  /** The fields whose draft differs from the base. */
  changed: (keyof D)[];
  dirty: boolean;
  /**
   * Moves the draft onto `next` (a save's answer, or the newest version after a 412), field by
   * field: a field in `take` (what a save sent) or one the person has not changed takes `next`'s
   * value; one they changed keeps their edit. Nothing typed is lost.
   */
  rebase: (next: Versioned<T>, take?: readonly (keyof D)[] | "all") => void;
  /** Back to the base version, dropping the edits. */
  discard: () => void;
}

export function useVersionedDraft<T, D extends object>(
  latest: Versioned<T>,
  toDraft: (data: T) => D,
  same: Same<D> = sameJson,
): VersionedDraft<T, D> {
  const [base, setBase] = useState(latest);
  const [draft, setDraft] = useState(() => toDraft(latest.data));
  const from = toDraft(base.data);
  const changed = (Object.keys(draft) as (keyof D)[]).filter((k) => !same(k, from[k], draft[k]));
  const dirty = changed.length > 0;
  // A newer version read meanwhile: taken while there is nothing of the person's to keep.
  if (!dirty && latest !== base && latest.etag !== base.etag) {
    setBase(latest);
    setDraft(toDraft(latest.data));
  }
  return {
    base,
    draft,
    set: (change) => setDraft((d) => ({ ...d, ...change })),
    changed,
    dirty,
    rebase: (next, take = []) => {
      const to = toDraft(next.data);
      setBase(next);
      setDraft((d) => {
        const merged = { ...to };
        for (const k of Object.keys(d) as (keyof D)[])
          if (take !== "all" && !take.includes(k) && !same(k, from[k], d[k])) merged[k] = d[k];
        return merged;
      });
    },
    discard: () => setDraft(toDraft(base.data)),
  };
}
