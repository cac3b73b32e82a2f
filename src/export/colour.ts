// The accent colour as it can be read: a brand colour such as #facc15 (yellow) is fine for a rule or
// a table header's fill, but headings drawn in it on white, or white text on it, cannot be read.

const channels = (hex: string): [number, number, number] => {
  const n = Number.parseInt(hex.replace("#", ""), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
};

const toHex = (rgb: readonly number[]) =>
  `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, "0")).join("")}`;

/** WCAG relative luminance. */
function luminance(hex: string): number {
  const [r, g, b] = channels(hex).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/** WCAG contrast ratio of two colours (1 to 21). */
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

/** The colour darkened in steps, keeping its hue, until it reaches `ratio` against white. */
function darkenedTo(colour: string, ratio: number): string {
  let rgb = channels(colour);
  while (contrast(toHex(rgb), "#ffffff") < ratio) rgb = [rgb[0] * 0.9, rgb[1] * 0.9, rgb[2] * 0.9];
  return toHex(rgb);
}

/** The accent for text on white: darkened until it reaches 4.5:1, the WCAG minimum for body text. */
export const accentForText = (accent: string): string => darkenedTo(accent, 4.5);

/**
 * The accent for rules, bars and fills on white: a white or near-white brand colour would draw
 * them invisibly, so it is darkened until it stands out from the page (1.3:1, a pale grey).
 * Light brand colours such as yellow (#facc15, 1.5:1) are kept as they are.
 */
export const accentForFill = (accent: string): string => darkenedTo(accent, 1.3);

/** White or near-black, whichever reads better on a fill of the accent colour. */
export const textOn = (fill: string): string =>
  contrast(fill, "#ffffff") >= contrast(fill, "#1a1a1a") ? "#ffffff" : "#1a1a1a";
