// What changed between two rounds, section by section: changed sections show their word-level
// insertions and deletions as <ins>/<del> (underlined / struck through, tinted, and named for
// screen readers, so the diff reads without colour), added and removed sections show their text,
// unchanged ones fold into one line.
import { FileMinus2, FilePen, FilePlus2, FileCheck2, type LucideIcon } from "lucide-react";
import { useId, useState } from "react";
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
  "rounded-sm bg-success/15 px-0.5 text-fg underline decoration-success decoration-2 underline-offset-2 [text-decoration-skip-ink:none]";
const delClass =
  "rounded-sm bg-danger/10 px-0.5 text-fg line-through decoration-danger decoration-2";

function Ins({ children }: { children: string }) {
  return (
    <ins className={insClass}>
      <span className="sr-only">[inserted: </span>
      {children}
      <span className="sr-only">]</span>
    </ins>
  );
}

function Del({ children }: { children: string }) {
  return (
    <del className={delClass}>
      <span className="sr-only">[deleted: </span>
      {children}
      <span className="sr-only">]</span>
    </del>
  );
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
          <span className="truncate">{section.title}</span>
        </h3>
        <Badge tone={kind.tone}>{kind.label}</Badge>
      </header>
      <div className="px-4 py-3 text-sm leading-relaxed whitespace-pre-wrap">
        {section.kind === "changed" &&
          section.changes.map((c, i) =>
            c.kind === "added" ? (
              <Ins key={i}>{c.text}</Ins>
            ) : c.kind === "removed" ? (
              <Del key={i}>{c.text}</Del>
            ) : (
              <span key={i}>{c.text}</span>
            ),
          )}
        {section.kind === "added" && <Ins>{section.text}</Ins>}
        {section.kind === "removed" && <Del>{section.text}</Del>}
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
            <p className="text-xs text-muted">
              Unchanged: {unchanged.map((s) => s.title).join(" · ")}
            </p>
          )}
        </div>
      )}
    </div>
  );
}
