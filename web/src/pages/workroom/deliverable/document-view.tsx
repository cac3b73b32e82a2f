// One round's document model rendered as a readable page: the title, each section under its own
// heading, and the blocks the exporters know (headings, paragraphs of bold/italic/link runs,
// nested lists, tables, quotes, page breaks), in the same order as the .docx and .pdf. Each block
// takes the direction of its first letter (dir="auto"), as the exporters pick each paragraph's.
// A word longer than the line breaks (styles.css, .prose-doc); a table scrolls in its own box.
import type { ReactNode } from "react";
import type { Schemas } from "../../../api/client";
import type { Draft } from "./queries";

type Doc = Draft["document"];
type Block = Doc["sections"][number]["blocks"][number];
type Inline = Extract<Block, { type: "paragraph" }>["inlines"][number];
type List = Schemas["DocumentList"];

function Inlines({ runs }: { runs: Inline[] }) {
  return runs.map((r, i) => {
    let node: ReactNode = r.text;
    if (r.italic) node = <em>{node}</em>;
    if (r.bold) node = <strong>{node}</strong>;
    if (r.link)
      node = (
        <a
          href={r.link}
          target="_blank"
          rel="noopener noreferrer"
          className="text-primary underline underline-offset-2"
        >
          {node}
        </a>
      );
    return <span key={i}>{node}</span>;
  });
}

function ListBlock({ list }: { list: List }) {
  const Tag = list.ordered ? "ol" : "ul";
  return (
    <Tag dir="auto">
      {list.items.map((item, i) => (
        <li key={i} dir="auto">
          <Inlines runs={item.inlines} />
          {item.children && <ListBlock list={item.children} />}
        </li>
      ))}
    </Tag>
  );
}

function BlockView({ block }: { block: Block }) {
  switch (block.type) {
    case "heading":
      return block.level === 2 ? (
        <h4 dir="auto" className="mt-4 mb-2 text-lg font-semibold">
          {block.text}
        </h4>
      ) : (
        <h5 dir="auto" className="mt-3 mb-1 font-semibold">
          {block.text}
        </h5>
      );
    case "paragraph":
      return (
        <p dir="auto">
          <Inlines runs={block.inlines} />
        </p>
      );
    case "list":
      return <ListBlock list={block} />;
    case "table":
      // Too wide for the screen (a phone, many columns, a long address in a cell), it scrolls
      // sideways in its own box, which takes focus so the keyboard can scroll it too.
      return (
        <div
          className="overflow-x-auto"
          tabIndex={0}
          role="region"
          aria-label={`Table: ${block.header.join(", ")}`}
        >
          <table>
            <thead>
              <tr>
                {block.header.map((h, i) => (
                  <th key={i} scope="col" dir="auto">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {block.rows.map((row, r) => (
                <tr key={r}>
                  {row.map((cell, c) => (
                    <td key={c} dir="auto">
                      {cell}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
    case "quote":
      return (
        <blockquote dir="auto" className="my-3 border-s-4 border-primary/40 ps-4 text-muted italic">
          <Inlines runs={block.inlines} />
        </blockquote>
      );
    case "page_break":
      return (
        <div role="separator" aria-label="Page break" className="my-6 flex items-center gap-3">
          <span className="h-px flex-1 border-t border-dashed border-border" />
          <span className="text-xs text-muted" aria-hidden>
            Page break
          </span>
          <span className="h-px flex-1 border-t border-dashed border-border" />
        </div>
      );
  }
}

export function DocumentView({ draft }: { draft: Draft }) {
  const doc = draft.document;
  return (
    <article aria-label={`Deliverable, round ${draft.round}`} className="prose-doc mx-auto">
      {/* The page's h1 is the room's title: the document's own headings sit below it. */}
      <h2 dir="auto" className="mt-0! mb-3! text-2xl!">
        {doc.title}
      </h2>
      {doc.subtitle && (
        <p dir="auto" className="-mt-1 text-muted">
          {doc.subtitle}
        </p>
      )}
      {doc.sections.map((section, i) => (
        <section key={i} aria-labelledby={`doc-section-${draft.round}-${i}`}>
          <h3 id={`doc-section-${draft.round}-${i}`} dir="auto" className="mt-6! text-xl!">
            {section.title}
          </h3>
          {section.blocks.map((block, j) => (
            <BlockView key={j} block={block} />
          ))}
        </section>
      ))}
    </article>
  );
}
