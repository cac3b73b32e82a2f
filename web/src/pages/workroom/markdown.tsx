// Task outputs are Markdown as agents write it: headings, paragraphs, bullet and numbered lists,
// pipe tables, **bold**, *italic*, `code` and links. Rendered as React elements (never as HTML),
// so whatever a model wrote cannot inject markup into the page. Each block takes the direction of
// its first letter (dir="auto"), so an Arabic paragraph reads right to left beside English ones.
import type { ReactNode } from "react";

type Block =
  | { type: "heading"; level: number; text: string }
  | { type: "paragraph"; text: string }
  | { type: "list"; ordered: boolean; items: string[] }
  | { type: "table"; head: string[]; rows: string[][] }
  | { type: "code"; text: string };

const BULLET = /^\s*[-*+]\s+(.*)$/;
const NUMBERED = /^\s*\d+[.)]\s+(.*)$/;
const cells = (line: string) =>
  line
    .trim()
    .replace(/^\||\|$/g, "")
    .split("|")
    .map((c) => c.trim());

function parse(markdown: string): Block[] {
  const lines = markdown.replace(/\r\n?/g, "\n").split("\n");
  const blocks: Block[] = [];
  let para: string[] = [];
  const flush = () => {
    if (para.length) blocks.push({ type: "paragraph", text: para.join(" ") });
    para = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.trim()) {
      flush();
      continue;
    }
    if (line.startsWith("```")) {
      flush();
      const code: string[] = [];
      for (i++; i < lines.length && !lines[i]!.startsWith("```"); i++) code.push(lines[i]!);
      blocks.push({ type: "code", text: code.join("\n") });
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      flush();
      blocks.push({ type: "heading", level: heading[1]!.length, text: heading[2]! });
      continue;
    }
    const ordered = NUMBERED.test(line);
    if (ordered || BULLET.test(line)) {
      flush();
      const re = ordered ? NUMBERED : BULLET;
      const items: string[] = [];
      for (; i < lines.length && re.test(lines[i]!); i++) items.push(re.exec(lines[i]!)![1]!);
      i--;
      blocks.push({ type: "list", ordered, items });
      continue;
    }
    if (line.trim().startsWith("|")) {
      flush();
      const rows: string[][] = [];
      for (; i < lines.length && lines[i]!.trim().startsWith("|"); i++) {
        if (/^\s*\|?[\s:|-]+\|?\s*$/.test(lines[i]!)) continue; // the |---|---| rule
        rows.push(cells(lines[i]!));
      }
      i--;
      blocks.push({ type: "table", head: rows[0] ?? [], rows: rows.slice(1) });
      continue;
    }
    para.push(line.trim());
  }
  flush();
  return blocks;
}

const INLINE =
  /(\*\*[^*]+\*\*|__[^_]+__|\*[^*\s][^*]*\*|_[^_\s][^_]*_|`[^`]+`|\[[^\]]+\]\([^)\s]+\))/g;

function inline(text: string): ReactNode[] {
  return text.split(INLINE).map((part, i) => {
    if (!part) return null;
    if (/^(\*\*|__)/.test(part) && part.length > 4)
      return <strong key={i}>{part.slice(2, -2)}</strong>;
    if (/^`/.test(part))
      return (
        <code key={i} className="rounded bg-surface-2 px-1 text-[0.9em]">
          {part.slice(1, -1)}
        </code>
      );
    const link = /^\[([^\]]+)\]\(([^)\s]+)\)$/.exec(part);
    if (link) {
      const href = /^(https?:|mailto:)/i.test(link[2]!) ? link[2]! : undefined;
      return href ? (
        <a
          key={i}
          href={href}
          target="_blank"
          rel="noreferrer noopener"
          className="text-primary underline"
        >
          {link[1]}
        </a>
      ) : (
        link[1]
      );
    }
    if (/^[*_]/.test(part) && part.length > 2) return <em key={i}>{part.slice(1, -1)}</em>;
    return part;
  });
}

export function Markdown({ text, className }: { text: string; className?: string }) {
  return (
    <div className={className ?? "prose-doc text-sm"}>
      {parse(text).map((b, i) => {
        switch (b.type) {
          case "heading": {
            // Inside a page, an output's headings sit below the page's own (h3 at most).
            const H = b.level <= 2 ? "h3" : "h4";
            return (
              <H key={i} dir="auto" className="font-semibold">
                {inline(b.text)}
              </H>
            );
          }
          case "paragraph":
            return (
              <p key={i} dir="auto">
                {inline(b.text)}
              </p>
            );
          case "list": {
            const L = b.ordered ? "ol" : "ul";
            return (
              <L key={i} dir="auto">
                {b.items.map((item, j) => (
                  <li key={j} dir="auto">
                    {inline(item)}
                  </li>
                ))}
              </L>
            );
          }
          case "table":
            return (
              <div key={i} className="overflow-x-auto">
                <table>
                  <thead>
                    <tr>
                      {b.head.map((c, j) => (
                        <th key={j} scope="col" dir="auto">
                          {inline(c)}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {b.rows.map((r, j) => (
                      <tr key={j}>
                        {r.map((c, k) => (
                          <td key={k} dir="auto">
                            {inline(c)}
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            );
          case "code":
            return (
              <pre
                key={i}
                dir="auto"
                className="overflow-x-auto rounded-lg bg-surface-2 p-3 text-xs [unicode-bidi:plaintext]"
              >
                {b.text}
              </pre>
            );
        }
      })}
    </div>
  );
}
