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

/** The accent for text on white: darkened in steps until it reaches 4.5:1, the WCAG minimum for body text. */
export function accentForText(accent: string): string {
  let rgb = channels(accent);
  while (contrast(toHex(rgb), "#ffffff") < 4.5) rgb = [rgb[0] * 0.9, rgb[1] * 0.9, rgb[2] * 0.9];
  return toHex(rgb);
}

/** White or near-black, whichever reads better on a fill of the accent colour. */
export const textOn = (fill: string): string =>
  contrast(fill, "#ffffff") >= contrast(fill, "#1a1a1a") ? "#ffffff" : "#1a1a1a";
