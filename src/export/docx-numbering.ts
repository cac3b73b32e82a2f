// List numbering of the .docx: bullets and numbers for nine levels of nesting (Word's maximum),
// each level indented a step further and with its own marker, as Word's own list styles do. The
// markers are those of the PDF (`list-markers.ts`); a list nested deeper than nine levels stays at
// the ninth level's indent, with a definition of its own per depth: the marker of its depth, and
// its own counter (sharing the ninth level's, LibreOffice ran the numbers of nested lists on).
import { AlignmentType, LevelFormat, type INumberingOptions } from "docx";
import type { Document, List } from "../domain/document.js";
import { BULLETS, LIST_LEVELS, NUMBER_FORMATS } from "./list-markers.js";

const FORMAT = {
  decimal: LevelFormat.DECIMAL,
  lowerLetter: LevelFormat.LOWER_LETTER,
  lowerRoman: LevelFormat.LOWER_ROMAN,
} as const;

const DEEPEST = LIST_LEVELS - 1;

/** Level `lvl` of a definition, with the markers of nesting depth `depth`. */
const level = (lvl: number, ordered: boolean, depth = lvl) => ({
  level: lvl,
  format: ordered ? FORMAT[NUMBER_FORMATS[depth % 3]!] : LevelFormat.BULLET,
  text: ordered ? `%${lvl + 1}.` : BULLETS[depth % 3]!,
  alignment: AlignmentType.LEFT,
  style: { paragraph: { indent: { left: 360 * (lvl + 1) + 180, hanging: 300 } } },
});

const kind = (ordered: boolean) => (ordered ? "numbered" : "bullets");

/** The numbering definition and level of a list nested `depth` levels deep. */
export function listNumbering(ordered: boolean, depth: number) {
  return depth <= DEEPEST
    ? { reference: kind(ordered), level: depth }
    : { reference: `${kind(ordered)}-${depth}`, level: DEEPEST };
}

/** A definition of nine levels whose last draws the markers of `depth` (the ninth level or deeper). */
const definition = (ordered: boolean, depth = DEEPEST) => ({
  reference: listNumbering(ordered, depth).reference,
  levels: Array.from({ length: LIST_LEVELS }, (_, l) =>
    level(l, ordered, l === DEEPEST ? depth : l),
  ),
});

/** The lists of a document deeper than nine levels, as [ordered, depth] keys. */
function deepLists(doc: Document): Set<string> {
  const found = new Set<string>();
  const walk = (l: List, depth: number): void => {
    if (depth > DEEPEST) found.add(JSON.stringify([l.ordered, depth]));
    for (const item of l.items) if (item.children) walk(item.children, depth + 1);
  };
  for (const s of doc.sections) for (const b of s.blocks) if (b.type === "list") walk(b, 0);
  return found;
}

/** The numbering definitions `doc` uses: nine levels of each kind, and one per deeper list. */
export function numberingFor(doc: Document): INumberingOptions {
  const deep = [...deepLists(doc)].map((k) => JSON.parse(k) as [boolean, number]);
  return {
    config: [
      definition(false),
      definition(true),
      ...deep.map(([ordered, depth]) => definition(ordered, depth)),
    ],
  };
}
