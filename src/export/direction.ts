// Paragraph direction as the Unicode bidi algorithm decides it (rule P2): the first strong letter.
// A paragraph that starts in English and quotes an Arabic word stays left to right.

const STRONG_RTL = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/u;
const STRONG = /[\p{L}\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/u;

/** Whether a paragraph reads right to left: its first letter is Hebrew or Arabic. */
export function isRtlParagraph(text: string): boolean {
  const first = STRONG.exec(text);
  return first !== null && STRONG_RTL.test(first[0]);
}

/** Whether a run contains Hebrew or Arabic letters (Word then lays it out right to left). */
export const hasRtl = (text: string): boolean => STRONG_RTL.test(text);
