// Where Chinese and Japanese may wrap: they have no spaces between words, so a line may end between
// most characters, but not before closing punctuation (、。，」), small kana or the long vowel mark
// ー, nor after an opening bracket (「（) — kinsoku shori — and never inside a number. The Unicode
// line breaking algorithm (UAX #14, the `linebreak` package pdfkit itself uses) knows those rules;
// we keep its opportunities next to Chinese and Japanese characters only, so Latin text still
// wraps at spaces alone (as before, and as the .docx does), and Korean, written with spaces, too.
import LineBreaker from "linebreak";

/** Han, kana, CJK punctuation and fullwidth forms (fullwidth digits and ¥ included). */
export const CJK =
  /[\u2E80-\u2FFF\u3000-\u30FF\u31F0-\u31FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFFEF]/;

// UAX #14 gives fullwidth digits and letters the class of ideographs, breakable anywhere, so
// "１，２００" could still be torn; a number and its separators stay together, as in Latin text.
const ALPHANUMERIC = /[0-9A-Za-z\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]/;
const SEPARATOR = /[,.\uFF0C\uFF0E]/;

const insideNumber = (text: string, at: number) =>
  ALPHANUMERIC.test(text[at] ?? "") &&
  (ALPHANUMERIC.test(text[at - 1] ?? "") ||
    (SEPARATOR.test(text[at - 1] ?? "") && ALPHANUMERIC.test(text[at - 2] ?? "")));

/**
 * The offsets inside `word` (text without spaces) where a line may break, in order: a line may
 * start there. Empty for a word without Chinese or Japanese.
 */
export function breaksInside(word: string): number[] {
  if (!CJK.test(word)) return [];
  const out: number[] = [];
  const breaker = new LineBreaker(word);
  for (let bk = breaker.nextBreak(); bk; bk = breaker.nextBreak()) {
    const at = bk.position;
    if (at <= 0 || at >= word.length || insideNumber(word, at)) continue;
    if (CJK.test(word[at - 1]!) || CJK.test(word[at]!)) out.push(at);
  }
  return out;
}
