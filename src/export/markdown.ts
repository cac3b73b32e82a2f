// The document model as GitHub-flavoured Markdown: the CLI's deliverable file and the plain-text
// twin of the .docx and .pdf renderings (same content, same order).
import type { Block, Document, Inline, List } from "../domain/document.js";

/** Characters that would otherwise start Markdown syntax inside plain text. */
const escapeText = (text: string): string => text.replace(/([\\`*_[\]<>#|])/g, "\\$1");

function inline(run: Inline): string {
  let text = escapeText(run.text);
  if (!text.trim()) return text;
  if (run.bold) text = `**${text}**`;
  if (run.italic) text = `*${text}*`;
  if (run.link) text = `[${text}](${run.link.replace(/\)/g, "%29")})`;
  return text;
}

export const inlines = (runs: readonly Inline[]): string => runs.map(inline).join("");

function list(l: List, depth: number): string[] {
  const indent = "   ".repeat(depth);
  return l.items.flatMap((item, i) => [
    `${indent}${l.ordered ? `${i + 1}.` : "-"} ${inlines(item.inlines)}`,
    ...(item.children ? list(item.children, depth + 1) : []),
  ]);
}

const cell = (text: string): string => escapeText(text).replace(/\n/g, "<br>");

function block(b: Block): string {
  switch (b.type) {
    case "heading":
      return `${"#".repeat(b.level + 1)} ${escapeText(b.text)}`;
    case "paragraph":
      return inlines(b.inlines);
    case "list":
      return list(b, 0).join("\n");
    case "table": {
      const width = Math.max(b.header.length, ...b.rows.map((r) => r.length));
      const row = (cells: readonly string[]) =>
        `| ${Array.from({ length: width }, (_, i) => cell(cells[i] ?? "")).join(" | ")} |`;
      return [
        row(b.header),
        `| ${Array.from({ length: width }, () => "---").join(" | ")} |`,
        ...b.rows.map(row),
      ].join("\n");
    }
    case "quote":
      return inlines(b.inlines)
        .split("\n")
        .map((line) => `> ${line}`)
        .join("\n");
    case "page_break":
      return "---";
  }
}

export function renderMarkdown(doc: Document): string {
  const parts = [`# ${escapeText(doc.title)}`];
  if (doc.subtitle) parts.push(`*${escapeText(doc.subtitle)}*`);
  for (const section of doc.sections)
    parts.push(`## ${escapeText(section.title)}`, ...section.blocks.map(block));
  return `${parts.join("\n\n")}\n`;
}
