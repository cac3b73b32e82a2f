import { describe, expect, it } from "vitest";
import { accentForFill, accentForText, contrast, textOn } from "./colour.js";

describe("accent colour", () => {
  it("keeps a brand colour that already reads on white", () => {
    expect(accentForText("#0f766e")).toBe("#0f766e");
    expect(textOn("#0f766e")).toBe("#ffffff");
  });

  it("darkens a light brand colour for headings until it reads on white", () => {
    const heading = accentForText("#facc15");
    expect(contrast(heading, "#ffffff")).toBeGreaterThanOrEqual(4.5);
    // Still the same hue: yellow turns olive, not grey.
    const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(heading.slice(i, i + 2), 16));
    expect(r! > b! && g! > b!).toBe(true);
  });

  it("darkens a white or near-white accent for rules and fills, so they show on the page", () => {
    for (const white of ["#ffffff", "#fafafa", "#eeeeee"]) {
      const fill = accentForFill(white);
      expect(contrast(fill, "#ffffff")).toBeGreaterThanOrEqual(1.3);
      // Pale: one step of darkening past the threshold at most.
      expect(contrast(fill, "#ffffff")).toBeLessThan(1.6);
    }
    // A light brand colour that already shows keeps its exact value.
    expect(accentForFill("#facc15")).toBe("#facc15");
    expect(accentForFill("#0f766e")).toBe("#0f766e");
  });

  it("writes dark text on a light table header and white on a dark one", () => {
    expect(textOn("#facc15")).toBe("#1a1a1a");
    expect(textOn("#1e3a8a")).toBe("#ffffff");
  });
});
