// Test documents built by small factories: a proposal with every block type, a long one, and one in
// Arabic, Hebrew, Greek and Cyrillic.
import type { Document, Section } from "../../src/domain/document.js";
import { ExportProfileSchema, type ExportProfile } from "../../src/domain/export-profile.js";

export const profile = (over: Partial<ExportProfile> = {}): ExportProfile =>
  ExportProfileSchema.parse({
    company_name: "Northwind Studio",
    tagline: "Brand and product for independent retail",
    address: "Rua das Flores 12, 1200-195 Lisboa",
    email: "hello@northwind.studio",
    phone: "+351 210 000 000",
    website: "northwind.studio",
    accent_color: "#0f766e",
    ...over,
  });

export function proposal(): Document {
  return {
    title: "Aurora Coffee — Q4 Proposal",
    subtitle: "Loyalty app relaunch",
    sections: [
      {
        title: "Scope",
        blocks: [
          {
            type: "paragraph",
            inlines: [
              { text: "We relaunch the " },
              { text: "loyalty app", bold: true },
              { text: " before the holidays; see " },
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
                inlines: [{ text: "Offline mode at the counter" }],
                children: {
                  type: "list",
                  ordered: true,
                  items: [
                    { inlines: [{ text: "Queue stamps locally" }] },
                    { inlines: [{ text: "Sync when online" }] },
                  ],
                },
              },
              { inlines: [{ text: "Single sign-on for staff" }] },
            ],
          },
          {
            type: "quote",
            inlines: [{ text: "One coffee, one point; ten points, one free drink." }],
          },
        ],
      },
      {
        title: "Pricing",
        blocks: [
          {
            type: "table",
            header: ["Phase", "Weeks", "Fee"],
            rows: [
              ["Discovery", "2", "€6,000"],
              ["Pilot in three stores", "4", "€14,000"],
              ["Rollout", "6", "€20,000"],
            ],
          },
          { type: "heading", level: 3, text: "Payment terms" },
          {
            type: "list",
            ordered: true,
            items: [
              { inlines: [{ text: "30% on signature" }] },
              { inlines: [{ text: "70% on delivery" }] },
            ],
          },
        ],
      },
      {
        title: "Next steps",
        blocks: [
          {
            type: "paragraph",
            inlines: [{ text: "Sign by 20 November to start the pilot on 1 December." }],
          },
        ],
      },
    ],
  };
}

/** A long document: `sections` sections of several paragraphs and a table each. */
export function longDocument(sections: number): Document {
  const para = (n: number) => ({
    type: "paragraph" as const,
    inlines: [
      {
        text: `Paragraph ${n}. `.concat(
          "The team reviews the work each week with the client and records decisions in the shared log. ".repeat(
            6,
          ),
        ),
      },
    ],
  });
  const section = (i: number): Section => ({
    title: `Section ${i + 1}: Workstream ${i + 1}`,
    blocks: [
      para(1),
      para(2),
      {
        type: "table",
        header: ["Item", "Owner", "Due"],
        rows: Array.from({ length: 6 }, (_, r) => [
          `Item ${i + 1}.${r + 1}`,
          "Agency",
          `Week ${r + 1}`,
        ]),
      },
      para(3),
    ],
  });
  return {
    title: "Annual retainer report",
    sections: Array.from({ length: sections }, (_, i) => section(i)),
  };
}

export function multilingual(): Document {
  return {
    title: "Σύνοψη — Обзор — Résumé",
    sections: [
      {
        title: "Ελληνικά",
        blocks: [
          { type: "paragraph", inlines: [{ text: "Η πρόταση καλύπτει το πιλοτικό πρόγραμμα." }] },
        ],
      },
      {
        title: "Русский",
        blocks: [
          { type: "paragraph", inlines: [{ text: "Предложение охватывает пилотный проект." }] },
        ],
      },
      {
        title: "العربية",
        blocks: [{ type: "paragraph", inlines: [{ text: "يغطي الاقتراح المشروع التجريبي" }] }],
      },
      {
        title: "עברית",
        blocks: [{ type: "paragraph", inlines: [{ text: "ההצעה מכסה את פרויקט הפיילוט" }] }],
      },
      {
        title: "Français",
        blocks: [{ type: "paragraph", inlines: [{ text: "Café, façade, élève — São João." }] }],
      },
    ],
  };
}
