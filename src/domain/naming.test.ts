import { describe, expect, it } from "vitest";
import { MAX_SLUG_LENGTH, asciiExportFilename, exportFilename, slugifyTitle } from "./naming.js";

describe("export file names", () => {
  it("slugifies the title and appends the round", () => {
    expect(exportFilename("Aurora Coffee — Q4 Proposal!", 1, "docx")).toBe(
      "aurora-coffee-q4-proposal-v1.docx",
    );
    expect(exportFilename("Aurora Coffee — Q4 Proposal!", 2, "pdf")).toBe(
      "aurora-coffee-q4-proposal-v2.pdf",
    );
  });

  it("transliterates accents and other scripts", () => {
    expect(slugifyTitle("Café São João — Año Nuevo")).toBe("cafe-sao-joao-ano-nuevo");
    expect(slugifyTitle("Größe & Straße")).toBe("groesse-and-strasse");
  });

  it("gives an ASCII-only name of the words it can spell, for clients that read no other", () => {
    expect(asciiExportFilename("Aurora הצעה Q4", 2, "docx")).toBe("aurora-q4-v2.docx");
    expect(asciiExportFilename("הצעה לרבעון הרביעי", 1, "pdf")).toBe("deliverable-v1.pdf");
    expect(asciiExportFilename("Café São João", 1, "pdf")).toBe(
      exportFilename("Café São João", 1, "pdf"),
    );
  });

  it("keeps Hebrew, Chinese and other words slugify cannot transliterate, so rooms differ", () => {
    expect(exportFilename("הצעה לרבעון הרביעי", 1, "pdf")).toBe("הצעה-לרבעון-הרביעי-v1.pdf");
    expect(exportFilename("提案书 第四季度", 2, "docx")).toBe("提案书-第四季度-v2.docx");
    expect(slugifyTitle("提案書：東京")).toBe("提案書-東京");
    expect(slugifyTitle("제안서 4분기")).toBe("제안서-4-분기");
    expect(slugifyTitle("Q4 提案书 (final)")).toBe("q4-提案书-final");
    // Points on Hebrew letters and Devanagari vowel signs stay on their letters.
    expect(slugifyTitle("שָׁלוֹם עולם")).toBe("שָׁלוֹם-עולם");
    expect(slugifyTitle("हिन्दी प्रस्ताव")).toBe("हिन्दी-प्रस्ताव");
    // Scripts slugify does transliterate still are.
    expect(slugifyTitle("عرض الربع الرابع")).toBe("erd-alrbe-alrabe");
    expect(slugifyTitle("Привет мир")).toBe("privet-mir");
  });

  it("keeps kept-script names safe as file names", () => {
    for (const title of ['הצעה / לרבעון: "ב"', "提案书*第四季度?", "提案书<>|第四季度"])
      expect(slugifyTitle(title)).toMatch(/^[\p{L}\p{M}\p{N}]+(-[\p{L}\p{M}\p{N}]+)*$/u);
    const long = slugifyTitle("第四季度提案书".repeat(20));
    expect([...long].length).toBe(MAX_SLUG_LENGTH);
    expect(long).not.toMatch(/\p{Cs}/u);
  });

  it("cuts long titles at a word boundary", () => {
    const slug = slugifyTitle(
      "A very long proposal title that goes on and on about the many wonderful things we will do",
    );
    expect(slug.length).toBeLessThanOrEqual(MAX_SLUG_LENGTH);
    expect(slug.endsWith("-")).toBe(false);
    expect(
      "a-very-long-proposal-title-that-goes-on-and-on-about-the-many-wonderful".startsWith(slug),
    ).toBe(true);
  });

  it("never produces an empty name", () => {
    expect(exportFilename("!!!", 1, "md")).toBe("deliverable-v1.md");
  });
});
