// Export file naming (SPEC 6): `{slugified-title}-v{round}.{format}`, accents transliterated.
// Shared with the web app's export dialog, so the name it shows is the name the server sends.
import slugify from "@sindresorhus/slugify";

export const EXPORT_FORMATS = ["docx", "pdf", "md"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Slugs longer than this are cut at a word boundary so file names stay portable. */
export const MAX_SLUG_LENGTH = 60;

const slug = (text: string) =>
  slugify(text, { separator: "-", lowercase: true, decamelize: false });

const LETTER = /\p{L}/u;
const MARK = /\p{M}/u;
/** A letter slugify has no transliteration for (Hebrew, Chinese, Korean, Thai…): it would drop it. */
const untransliterable = (c: string) => c > "\x7f" && LETTER.test(c) && slug(c) === "";

/**
 * Words in scripts slugify cannot transliterate are kept as they are, lower-cased, between
 * hyphens: every Hebrew or Chinese title came out as `deliverable` while Arabic was transliterated.
 */
function slugOf(title: string, { asciiOnly = false } = {}): string {
  const runs: { kept: boolean; text: string }[] = [];
  for (const c of title.normalize("NFC")) {
    const last = runs.at(-1);
    // A combining mark (Hebrew points, Devanagari vowel signs) stays with the letter it is on.
    const kept = untransliterable(c) || (MARK.test(c) && last?.kept === true);
    if (last && last.kept === kept) last.text += c;
    else runs.push({ kept, text: c });
  }
  return runs
    .map((r) => (!r.kept ? slug(r.text) : asciiOnly ? "" : r.text.toLowerCase()))
    .filter(Boolean)
    .join("-");
}

export function slugifyTitle(title: string, options?: { asciiOnly?: boolean }): string {
  const s = slugOf(title, options);
  if (s.length <= MAX_SLUG_LENGTH) return s || "deliverable";
  const cut = s.slice(0, MAX_SLUG_LENGTH + 1);
  const atWord = cut.lastIndexOf("-");
  // Without a hyphen to cut at, cut between characters, never inside a surrogate pair.
  const head = atWord > 0 ? cut.slice(0, atWord) : [...s].slice(0, MAX_SLUG_LENGTH).join("");
  return head.replace(/-+$/, "");
}

export function exportFilename(title: string, round: number, format: ExportFormat): string {
  return `${slugifyTitle(title)}-v${round}.${format}`;
}

/**
 * The name for clients that only read an ASCII `filename=`: the title's words slugify can spell
 * in ASCII (`deliverable` when none), rather than a Hebrew title's letters each turned to "_".
 */
export function asciiExportFilename(title: string, round: number, format: ExportFormat): string {
  return `${slugifyTitle(title, { asciiOnly: true })}-v${round}.${format}`;
}
