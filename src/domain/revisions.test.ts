// Adding a section refuses a title the draft already has, and the diff matches sections of the same
// title by their order, so two rounds that hold a repeated title still compare section by section.
import { describe, expect, it } from "vitest";
import { diffDrafts } from "./diff.js";
import { paragraph, type Document } from "./document.js";
import { BUILTIN_PRESETS, planRevision } from "./revisions.js";

const doc = (...sections: [string, string][]): Document => ({
  title: "Proposal",
  sections: sections.map(([title, text]) => ({ title, blocks: [paragraph(text)] })),
});
const add = BUILTIN_PRESETS.find((p) => p.slug === "add_section")!;

describe("adding a section", () => {
  it("refuses a title the draft already has, whatever its case or spacing", () => {
    const draft = doc(["Scope", "a"], ["Pricing", "b"]);
    const r = planRevision(draft, add, { section_title: " scope ", instruction: "more" });
    expect(r.ok || r.error.message).toMatch(/already has a section "Scope" \(section 1\)/);
    expect(planRevision(draft, add, { section_title: "Risks", instruction: "x" })).toEqual({
      ok: true,
      value: { kind: "insert", at: 2, title: "Risks" },
    });
  });
});

describe("the diff of two rounds", () => {
  const kinds = (d: ReturnType<typeof diffDrafts>) => d.sections.map((s) => `${s.kind} ${s.title}`);

  it("matches repeated titles by their order: a second one is added, or removed", () => {
    const one = doc(["Notes", "first"], ["Pricing", "b"]);
    const two = doc(["Notes", "first"], ["Pricing", "b"], ["Notes", "second"]);
    expect(kinds(diffDrafts(one, two, 1, 2))).toEqual([
      "unchanged Notes",
      "unchanged Pricing",
      "added Notes",
    ]);
    expect(kinds(diffDrafts(two, one, 2, 1))).toEqual([
      "unchanged Notes",
      "unchanged Pricing",
      "removed Notes",
    ]);
  });

  it("places removed sections where they were, and reordered ones are not removed", () => {
    const a = doc(["Scope", "a"], ["Risks", "r"], ["Pricing", "b"]);
    const b = doc(["Pricing", "b"], ["Scope", "a changed"]);
    expect(kinds(diffDrafts(a, b, 1, 2))).toEqual([
      "removed Risks",
      "unchanged Pricing",
      "changed Scope",
    ]);
  });
});
