// What changed between two rounds, section by section: changed sections show their word-level
// insertions and deletions as <ins>/<del> (underlined / struck through, tinted, and named for
// screen readers, so the diff reads without colour), added and removed sections show their text,
// unchanged ones fold into one line. Each paragraph takes the direction of its first letter, and
// each change is isolated in its own direction (as <bdi> is), so an Arabic insertion into an
// English sentence, or the reverse, shows where it was made.
import { FileMinus2, FilePen, FilePlus2, FileCheck2, type LucideIcon } from "lucide-react";
import { Fragment, useId, useState } from "react";
import { Badge, type Tone } from "../../../ui/badge";
import { Checkbox } from "../../../ui/field";
import { ErrorNote, LoadingRows } from "../../../ui/surface";
import { cn } from "../../../ui/cn";
import { useDiff, type DraftDiff } from "./queries";

type SectionDiff = DraftDiff["sections"][number];

const KIND: Record<SectionDiff["kind"], { label: string; tone: Tone; icon: LucideIcon }> = {
  changed: { label: "Changed", tone: "primary", icon: FilePen },
  added: { label: "Added", tone: "success", icon: FilePlus2 },
  removed: { label: "Removed", tone: "danger", icon: FileMinus2 },
  unchanged: { label: "Unchanged", tone: "neutral", icon: FileCheck2 },
};

const insClass =
  "[unicode-bidi:plaintext] rounded-sm bg-success/15 px-0.5 text-fg underline decoration-success decoration-2 underline-offset-2 [text-decoration-skip-ink:none]";
const delClass =
  "[unicode-bidi:plaintext] rounded-sm bg-danger/10 px-0.5 text-fg line-through decoration-danger decoration-2";

function Ins({ children }: { children: string }) {
  return (
    <ins className={insClass}>
      {/* dir="ltr": these English words are not what the text's direction is taken from. */}
      <span className="sr-only" dir="ltr">
        [inserted:{" "}
      </span>
      {children}
      <span className="sr-only" dir="ltr">
        ]
      </span>
    </ins>
  );
}

function Del({ children }: { children: string }) {
  return (
    <del className={delClass}>
      <span className="sr-only" dir="ltr">
        [deleted:{" "}
      </span>
      {children}
      <span className="sr-only" dir="ltr">
        ]
      </span>
    </del>
  );
}

type Piece = { kind: "same" | "added" | "removed"; text: string };

function pieces(section: SectionDiff): Piece[] {
  switch (section.kind) {
    case "changed":
      return section.changes;
    case "added":
      return [{ kind: "added", text: section.text }];
    case "removed":
      return [{ kind: "removed", text: section.text }];
    case "unchanged":
      return [];
  }
}

/** The pieces cut at line breaks, one list per paragraph, so each can take its own direction. */
function paragraphs(all: readonly Piece[]): Piece[][] {
  if (all.length === 0) return [];
  const lines: Piece[][] = [[]];
  for (const p of all)
    p.text.split("\n").forEach((text, i) => {
      if (i > 0) lines.push([]);
      if (text) lines.at(-1)!.push({ kind: p.kind, text });
    });
  return lines;
}

function SectionCard({ section }: { section: SectionDiff }) {
  const kind = KIND[section.kind];
  const Icon = kind.icon;
  return (
    <section
      aria-label={`${section.title}: ${kind.label.toLowerCase()}`}
      className={cn(
        "rounded-lg border bg-surface",
        section.kind === "changed" && "border-primary/40",
        section.kind === "added" && "border-success/40",
        section.kind === "removed" && "border-danger/40",
        section.kind === "unchanged" && "border-border",
      )}
    >
      <header className="flex flex-wrap items-center justify-between gap-2 border-b border-border px-4 py-2.5">
        <h3 className="flex min-w-0 items-center gap-2 font-semibold">
          <Icon className="size-4 shrink-0 text-muted" aria-hidden />
          <span className="truncate" dir="auto">
            {section.title}
          </span>
        </h3>
        <Badge tone={kind.tone}>{kind.label}</Badge>
      </header>
      <div className="px-4 py-3 text-sm leading-relaxed wrap-anywhere whitespace-pre-wrap">
        {paragraphs(pieces(section)).map((line, i) => (
          // Each paragraph in the direction of its own first letter, inserted text included.
          <div key={i} dir="auto">
            {line.length === 0 ? (
              <br />
            ) : (
              line.map((c, j) =>
                c.kind === "added" ? (
                  <Ins key={j}>{c.text}</Ins>
                ) : c.kind === "removed" ? (
                  <Del key={j}>{c.text}</Del>
                ) : (
                  <span key={j}>{c.text}</span>
                ),
              )
            )}
          </div>
        ))}
      </div>
    </section>
  );
}

function Summary({ diff }: { diff: DraftDiff }) {
  const count = (k: SectionDiff["kind"]) => diff.sections.filter((s) => s.kind === k).length;
  const parts = (["changed", "added", "removed", "unchanged"] as const)
    .map((k) => [k, count(k)] as const)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${KIND[k].label.toLowerCase()}`);
  return (
    <p className="text-sm text-muted">
      Round {diff.from} → round {diff.to}: {parts.join(", ") || "no sections"}
      {diff.title_changed && "; the title changed"}.
    </p>
  );
}

function Legend() {
  return (
    <p className="flex flex-wrap items-center gap-3 text-xs text-muted" aria-hidden>
      <span>Key:</span>
      <ins className={insClass}>inserted text</ins>
      <del className={delClass}>deleted text</del>
    </p>
  );
}

export function DiffView({ roomId, from, to }: { roomId: string; from: number; to: number }) {
  const diff = useDiff(roomId, from, to);
  const [showUnchanged, setShowUnchanged] = useState(false);
  const heading = useId();
  if (diff.isPending) return <LoadingRows rows={4} label="Comparing rounds" />;
  if (diff.data === undefined)
    return (
      <ErrorNote
        error={diff.error}
        title="The comparison could not be loaded"
        retry={() => void diff.refetch()}
      />
    );
  const unchanged = diff.data.sections.filter((s) => s.kind === "unchanged");
  const shown = diff.data.sections.filter((s) => showUnchanged || s.kind !== "unchanged");
  return (
    <div className="flex flex-col gap-4" aria-labelledby={heading} role="region">
      {/* The sections' h3s need an h2 above them; sighted readers have the selects instead. */}
      <h2 id={heading} className="sr-only">
        Changes from round {from} to round {to}
      </h2>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <Summary diff={diff.data} />
        <Legend />
      </div>
      {shown.length === 0 && (
        <p className="rounded-lg border border-dashed border-border px-4 py-6 text-center text-sm text-muted">
          Every section is the same in both rounds.
        </p>
      )}
      {shown.map((s, i) => (
        <SectionCard key={`${s.kind}-${s.title}-${i}`} section={s} />
      ))}
      {unchanged.length > 0 && (
        <div className="flex flex-col gap-2 rounded-lg border border-dashed border-border px-4 py-3">
          <Checkbox
            label={`Show the ${unchanged.length} unchanged section${unchanged.length === 1 ? "" : "s"}`}
            checked={showUnchanged}
            onChange={(e) => setShowUnchanged(e.target.checked)}
          />
          {!showUnchanged && (
            <p className="text-xs wrap-anywhere text-muted">
              Unchanged:{" "}
              {unchanged.map((s, i) => (
                <Fragment key={i}>
                  {i > 0 && " · "}
                  <bdi>{s.title}</bdi>
                </Fragment>
              ))}
            </p>
          )}
        </div>
      )}
    </div>
  );
}
