// Layout rules shared by the .docx and .pdf renderers.

/** Documents with more sections than this get a table of contents. */
export const TOC_MIN_SECTIONS = 5;

/** Where the embedded fonts come from (Debian's fonts-dejavu-core, installed by the project's scripts). */
export const DEFAULT_FONT_DIR = "/usr/share/fonts/truetype/dejavu";
