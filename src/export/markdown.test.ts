import { describe, expect, it } from "vitest";
import type { Document } from "../domain/document.js";
import { renderMarkdown } from "./markdown.js";

const doc = (): Document => ({
  title: "Aurora Coffee — Q4 Proposal",
  subtitle: "Loyalty relaunch",
  sections: [
    {
      title: "Scope",
      blocks: [
        {
          type: "paragraph",
          inlines: [
            { text: "We will " },
            { text: "relaunch", bold: true },
            { text: " the app, see " },
            { text: "the brief", link: "https://example.com/brief" },
            { text: "." },
          ],
        },
        { type: "heading", level: 2, text: "In scope" },
        {
          type: "list",
          ordered: false,
          items: [
            {
              inlines: [{ text: "Offline mode" }],
              children: {
                type: "list",
                ordered: true,
                items: [{ inlines: [{ text: "Counter sync" }] }],
              },
            },
          ],
        },
      ],
    },
    {
      title: "Pricing",
      blocks: [
        {
          type: "table",
          header: ["Item", "Cost"],
          rows: [
            ["Pilot | 3 stores", "€12,000"],
            ["Rollout", "€28,000"],
          ],
        },
        { type: "quote", inlines: [{ text: "One coffee, one point.", italic: true }] },
        { type: "page_break" },
      ],
    },
  ],
});

describe("markdown rendering", () => {
  it("renders title, sections, headings, emphasis, links, nested lists, tables and quotes in order", () => {
    expect(renderMarkdown(doc())).toBe(
      [
        "# Aurora Coffee — Q4 Proposal",
        "*Loyalty relaunch*",
        "## Scope",
        "We will **relaunch** the app, see [the brief](https://example.com/brief).",
        "### In scope",
        "- Offline mode\n  1. Counter sync",
        "## Pricing",
        "| Item | Cost |\n| --- | --- |\n| Pilot \\| 3 stores | €12,000 |\n| Rollout | €28,000 |",
        "> *One coffee, one point.*",
        "---",
      ].join("\n\n") + "\n",
    );
  });

  it("escapes text that would turn into markup", () => {
    const md = renderMarkdown({
      title: "A # title",
      sections: [
        { title: "S", blocks: [{ type: "paragraph", inlines: [{ text: "2*3 and <b>" }] }] },
      ],
    });
    expect(md).toContain("# A \\# title");
    expect(md).toContain("2\\*3 and \\<b\\>");
  });

  it("keeps text that looks like Markdown syntax as plain text", () => {
    const md = renderMarkdown(
      section([
        { type: "paragraph", inlines: [{ text: "1. not a list, ~~not struck~~ &amp; - no" }] },
        { type: "paragraph", inlines: [{ text: "- not a bullet\n=== not a heading" }] },
      ]),
    );
    expect(md).toContain("1\\. not a list, \\~\\~not struck\\~\\~ \\&amp; - no");
    expect(md).toContain("\\- not a bullet\\\n\\=== not a heading");
  });

  it("keeps spaces outside emphasis so bold and italic runs stay bold and italic", () => {
    const md = renderMarkdown(
      section([
        {
          type: "paragraph",
          inlines: [
            { text: "Fee" },
            { text: " due now ", bold: true },
            { text: "and" },
            { text: " later", italic: true },
          ],
        },
      ]),
    );
    expect(md).toContain("Fee **due now** and *later*");
  });

  it("nests children under long numbers and keeps links with spaces and parentheses working", () => {
    const items = Array.from({ length: 10 }, (_, i) => ({ inlines: [{ text: `Step ${i + 1}` }] }));
    items[9] = {
      ...items[9]!,
      children: { type: "list", ordered: false, items: [{ inlines: [{ text: "Detail" }] }] },
    } as (typeof items)[number];
    const md = renderMarkdown(
      section([
        { type: "list", ordered: true, items },
        {
          type: "paragraph",
          inlines: [{ text: "spec", link: "https://example.com/a (draft).pdf" }],
        },
      ]),
    );
    expect(md).toContain("10. Step 10\n    - Detail");
    expect(md).toContain("[spec](https://example.com/a%20%28draft%29.pdf)");
  });

  // CommonMark joins two lists with only blank lines between them into one (a second numbered
  // list read on as 4., 5., every item a paragraph); an HTML block between them ends the first.
  it("ends a list before the next one, so a second numbered list starts at 1 again", () => {
    const items = (...texts: string[]) => texts.map((text) => ({ inlines: [{ text }] }));
    const md = renderMarkdown(
      section([
        { type: "list", ordered: true, items: items("First goal", "Second goal") },
        { type: "list", ordered: true, items: items("Another list") },
        { type: "list", ordered: false, items: items("A bullet") },
        { type: "list", ordered: false, items: items("Another bullet") },
      ]),
    );
    expect(md).toContain(
      "1. First goal\n2. Second goal\n\n<!-- -->\n\n1. Another list\n\n<!-- -->\n\n- A bullet\n\n<!-- -->\n\n- Another bullet",
    );
  });

  // A bare newline is a soft break, shown as a space; a backslash before it is a line break.
  it("keeps a line break inside a paragraph, a list item and a quote", () => {
    const md = renderMarkdown(
      section([
        { type: "paragraph", inlines: [{ text: "Line one\nLine two\n\nAfter a blank line\n" }] },
        { type: "list", ordered: true, items: [{ inlines: [{ text: "Item\nsecond line" }] }] },
        { type: "quote", inlines: [{ text: "Quoted\nand on" }] },
      ]),
    );
    expect(md).toContain("\n\nLine one\\\nLine two\\\n\\\nAfter a blank line\n\n");
    expect(md).toContain("1. Item\\\n   second line");
    expect(md).toContain("> Quoted\\\n> and on");
  });
});

function section(blocks: Document["sections"][number]["blocks"]): Document {
  return { title: "T", sections: [{ title: "S", blocks }] };
}
