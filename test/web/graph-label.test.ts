// The dependency graph's node labels, clipped to fit their node: never inside a character (an
// emoji with its skin tone, a letter with its accent, a flag), and by width, so Japanese or
// Chinese words, twice as wide as Latin letters, stay inside the box too.
import { describe, expect, it } from "vitest";
import { estimateWidth, fitLabel } from "../../web/src/pages/workroom/graph-label.js";

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const at13px = (s: string) => estimateWidth(s, 13);

describe("fitLabel", () => {
  it("keeps a label that fits as it is", () => {
    expect(fitLabel("1. Scope", 132, at13px)).toBe("1. Scope");
  });

  it("never cuts an emoji, an accented letter or a flag in two", () => {
    for (const label of [
      "abc👍🏽 Plan for the launch week",
      "Cafe\u0301 menu and the whole winter card",
      "🇩🇪🇯🇵🇫🇷🇸🇦🇨🇳🇺🇸🇬🇧🇮🇹🇪🇸🇧🇷🇲🇽🇨🇦🇦🇺 flags",
    ])
      for (let width = 10; width < 200; width += 3) {
        const shown = fitLabel(label, width, at13px);
        expect(LONE_SURROGATE.test(shown)).toBe(false);
        expect(shown.endsWith("…")).toBe(true);
        // What is kept is a whole-character start of the label.
        const kept = shown.slice(0, -1);
        expect(label.startsWith(kept)).toBe(true);
        const rest = label.slice(kept.length);
        // What follows is not an accent or a skin tone left behind.
        expect(/^(\p{M}|\p{Emoji_Modifier})/u.test(rest)).toBe(false);
        const flags = [...kept].filter((c) => /\p{Regional_Indicator}/u.test(c)).length;
        expect(flags % 2).toBe(0);
      }
  });

  it("counts Japanese and Chinese characters about twice as wide as Latin letters", () => {
    expect(at13px("提案書")).toBeGreaterThan(at13px("abc") * 1.6);
    const shown = fitLabel("4. Compose the 提案書", 132, at13px);
    expect(shown).not.toBe("4. Compose the 提案書");
    expect(at13px(shown)).toBeLessThanOrEqual(132);
    // The same number of Latin letters still fits.
    expect(fitLabel("4. Compose the abc", 132, at13px)).toBe("4. Compose the abc");
  });

  it("fits within the width whatever it measures", () => {
    const label = "株式会社さくら 第4四半期 提案書「春の新商品キャンペーン」";
    for (let width = 20; width < 300; width += 7)
      expect(at13px(fitLabel(label, width, at13px))).toBeLessThanOrEqual(width);
  });
});
