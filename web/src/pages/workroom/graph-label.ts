// Node labels of the dependency graph, clipped to the node's width: cut between characters as a
// reader sees them (grapheme clusters: an emoji with its skin tone, a letter with its accent, a
// flag), and by width rather than by count, as Japanese and Chinese characters are twice as wide.

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/** East Asian wide and full-width characters, and emoji: about one em wide. */
const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{20000}-\u{3fffd}]|\p{Extended_Pictographic}|\p{Regional_Indicator}/u;

/** A width in pixels from character classes alone, where nothing can measure the real font. */
export function estimateWidth(text: string, fontSize: number): number {
  let ems = 0;
  for (const { segment } of graphemes.segment(text))
    ems += WIDE.test(segment) ? 1 : segment === " " ? 0.3 : 0.6;
  return ems * fontSize;
}

/**
 * The label whole when `measure` says it fits in `width`, else its longest start of whole
 * characters that fits with "…" after it.
 */
export function fitLabel(text: string, width: number, measure: (s: string) => number): string {
  if (measure(text) <= width) return text;
  let kept = "";
  for (const { segment } of graphemes.segment(text)) {
    if (measure(`${kept}${segment}…`) > width) break;
    kept += segment;
  }
  return `${kept.trimEnd()}…`;
}
