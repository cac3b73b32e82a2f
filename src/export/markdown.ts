// The document model as GitHub-flavoured Markdown: the CLI's deliverable file and the plain-text
// twin of the .docx and .pdf renderings (same content, same order).
import type { Block, Document, Inline, List } from "../domain/document.js";

/** Characters that would otherwise start Markdown syntax inside plain text. */
const escapeText = (text: string): string =>
  text.replace(/([\\`*_[\]<>#|~])/g, "\\$1").replace(/&(?=#?\w+;)/g, "\\&");

/**
 * Text at the start of a line can open a block (list, setext underline, code block); escape those
 * openers so a paragraph that starts with "1. " or "- " stays a paragraph. A line break in the text
 * is a hard break (a trailing backslash): a bare newline is a soft break, which readers show as a
 * space, so "Line one⏎Line two" came out on one line. A break at the very end would show the
 * backslash, so there is none there.
 */
const escapeLineStarts = (text: string): string =>
  text
    .replace(/\n+$/, "")
    .split("\n")
    .map((line) =>
      line
        .replace(/^[ \t]+/, "")
        .replace(/^(\d+)([.)])(?=\s|$)/, "$1\\$2")
        .replace(/^([-+=])/, "\\$1"),
    )
    .join("\\\n");

/** Emphasis markers must hug the text (`** x**` is not bold), so spaces go outside them. */
function wrap(text: string, marker: string): string {
  const [, lead, core, trail] = /^(\s*)([\s\S]*?)(\s*)$/.exec(text)!;
  return `${lead}${marker}${core}${marker}${trail}`;
}

const url = (href: string): string =>
  href.replace(/[ ()<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function inline(run: Inline): string {
  let text = escapeText(run.text);
  if (!text.trim()) return text;
  if (run.bold) text = wrap(text, "**");
  if (run.italic) text = wrap(text, "*");
  if (run.link) text = `[${text}](${url(run.link)})`;
  return text;
}

export const inlines = (runs: readonly Inline[]): string => runs.map(inline).join("");

/** Children are indented to the parent's content column, so "10. " nests as well as "- ". */
function list(l: List, indent: string): string[] {
  return l.items.flatMap((item, i) => {
    const marker = `${l.ordered ? `${i + 1}.` : "-"} `;
    const inner = indent + " ".repeat(marker.length);
    return [
      `${indent}${marker}${escapeLineStarts(inlines(item.inlines)).replace(/\n/g, `\n${inner}`)}`,
      ...(item.children ? list(item.children, inner) : []),
    ];
  });
}

const cell = (text: string): string => escapeText(text).replace(/\r?\n/g, "<br>");
const oneLine = (text: string): string => escapeText(text).replace(/\s*\n\s*/g, " ");

function block(b: Block): string {
  switch (b.type) {
    case "heading":
      return `${"#".repeat(b.level + 1)} ${oneLine(b.text)}`;
    case "paragraph":
      return escapeLineStarts(inlines(b.inlines));
    case "list":
      return list(b, "").join("\n");
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
      return escapeLineStarts(inlines(b.inlines))
        .split("\n")
        .map((line) => `> ${line}`)
        .join("\n");
    case "page_break":
      // A thematic break: GitHub shows a rule, and Markdown-to-print tools treat it as a break.
      return "---";
  }
}

export function renderMarkdown(doc: Document): string {
  const parts = [`# ${oneLine(doc.title)}`];
  if (doc.subtitle) parts.push(wrap(oneLine(doc.subtitle), "*"));
  for (const section of doc.sections) {
    parts.push(`## ${oneLine(section.title)}`);
    section.blocks.forEach((b, i) => {
      // Two lists in a row are one list to a reader (the second numbered on from the first, and
      // every item a paragraph): an empty comment between them ends the first.
      if (b.type === "list" && section.blocks[i - 1]?.type === "list") parts.push("<!-- -->");
      parts.push(block(b));
    });
  }
  return `${parts.join("\n\n")}\n`;
}
