import { describe, expect, it } from "vitest";
import { blurredLogoWarning, logoPrintDpi, SHARP_DPI } from "./logo-print.js";

describe("whether a letterhead logo prints sharp", () => {
  it("warns about a tiny logo, saying how large one must be at its proportions", () => {
    expect(blurredLogoWarning(8, 8)).toBe(
      "This logo is 8 × 8 pixels: the letterhead prints it at about 11 pixels an inch, so it will look blurred. At least 109 × 109 pixels prints sharp.",
    );
    // A wide banner is bound by the box's width, a tall mark by its height.
    expect(blurredLogoWarning(200, 20)).toMatch(/At least 292 × 30 pixels/);
  });

  it("says nothing of a logo large enough, whatever its shape", () => {
    for (const [w, h] of [
      [400, 120],
      [120, 400],
      [300, 300],
      [4000, 1000],
    ] as const) {
      expect(logoPrintDpi(w, h)).toBeGreaterThanOrEqual(SHARP_DPI);
      expect(blurredLogoWarning(w, h)).toBeNull();
    }
  });
});
