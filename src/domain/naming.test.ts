import { describe, expect, it } from "vitest";
import { MAX_SLUG_LENGTH, exportFilename, slugifyTitle } from "./naming.js";

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
