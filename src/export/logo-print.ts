// Whether a letterhead logo prints sharp: the PDF fits it in a box a few centimetres wide, so a
// small image is enlarged and its pixels show on paper. Saving one is allowed (it may be all an
// agency has); the settings page and the CLI say so when it is chosen. No Node imports: the web
// app uses this too.

/** The box the PDF's letterhead fits the logo in, points (1/72 in). */
export const PDF_LOGO_BOX = { width: 140, height: 52 } as const;

/** Below this many pixels per inch on paper, a logo looks blurred or blocky. */
export const SHARP_DPI = 150;

/** Pixels per inch of a `width` × `height` logo as the PDF's letterhead prints it. */
export function logoPrintDpi(width: number, height: number): number {
  const pointsPerPixel = Math.min(PDF_LOGO_BOX.width / width, PDF_LOGO_BOX.height / height);
  return 72 / pointsPerPixel;
}

/** A sentence for a logo too small to print sharp, or null when it prints sharp. */
export function blurredLogoWarning(width: number, height: number): string | null {
  const dpi = logoPrintDpi(width, height);
  if (dpi >= SHARP_DPI) return null;
  // The same proportions, enlarged until they print at SHARP_DPI.
  const grow = SHARP_DPI / dpi;
  const enough = `${Math.ceil(width * grow)} × ${Math.ceil(height * grow)}`;
  return `This logo is ${width} × ${height} pixels: the letterhead prints it at about ${Math.round(dpi)} pixels an inch, so it will look blurred. At least ${enough} pixels prints sharp.`;
}
