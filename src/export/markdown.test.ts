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
        "- Offline mode\n   1. Counter sync",
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
});
