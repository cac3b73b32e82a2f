// The workroom's Deliverable tab: the composed document of a round, a round switcher, the diff
// between two rounds, the revision panel (people who may write) and the export modal (people who
// may export). When a revision finishes the tab moves to the new round and offers its changes.
import { ArrowRight, Download, FileText, GitCompareArrows } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import { toast } from "sonner";
import type { Schemas } from "../../../api/client";
import { useWorkspace } from "../../../app/session";
import { Badge } from "../../../ui/badge";
import { Button } from "../../../ui/button";
import { cn } from "../../../ui/cn";
import { SelectField } from "../../../ui/field";
import { dateTime } from "../../../ui/format";
import { Card, CardBody, EmptyState, ErrorNote, Skeleton } from "../../../ui/surface";
import { DiffView } from "./diff-view";
import { DocumentView } from "./document-view";
import { ExportDialog } from "./export-dialog";
import { useDraft } from "./queries";
import { RevisionPanel } from "./revision-panel";

type Room = Schemas["WorkroomDetail"];
type View = "document" | "changes";

function Segmented<T extends string | number>({
  label,
  options,
  value,
  onChange,
}: {
  label: string;
  options: { value: T; label: string; disabled?: boolean; title?: string }[];
  value: T;
  onChange: (v: T) => void;
}) {
  return (
    <div
      role="group"
      aria-label={label}
      className="inline-flex max-w-full overflow-x-auto rounded-lg border border-border bg-surface-2 p-0.5"
    >
      {options.map((o) => (
        <button
          key={o.value}
          type="button"
          aria-pressed={o.value === value}
          disabled={o.disabled}
          title={o.title}
          onClick={() => onChange(o.value)}
          className={cn(
            "h-8 rounded-md px-3 text-sm font-medium whitespace-nowrap transition-colors disabled:cursor-not-allowed disabled:opacity-50",
            o.value === value ? "bg-surface text-fg shadow-sm" : "text-muted hover:text-fg",
          )}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}

function RoundSwitcher({
  rounds,
  latest,
  value,
  onChange,
}: {
  rounds: number[];
  latest: number;
  value: number;
  onChange: (round: number) => void;
}) {
  if (rounds.length > 6)
    return (
      <SelectField
        label="Round"
        hideLabel
        className="w-max min-w-44"
        value={String(value)}
        onChange={(e) => onChange(Number(e.target.value))}
      >
        {rounds.map((r) => (
          <option key={r} value={r}>
            Round {r}
            {r === latest ? " (latest)" : ""}
          </option>
        ))}
      </SelectField>
    );
  return (
    <Segmented
      label="Round"
      value={value}
      onChange={onChange}
      options={rounds.map((r) => ({ value: r, label: `Round ${r}` }))}
    />
  );
}

function NoDeliverable({ room }: { room: Room }) {
  const why =
    room.state === "draft"
      ? "Start the workroom: the Planner writes a plan, the agents do the tasks, then the Composer writes the document."
      : room.state === "failed" || room.state === "cancelled"
        ? "This workroom stopped before the Composer finished, so there is no document yet."
        : room.state === "paused"
          ? "The workroom is paused; resume it and the Composer writes the document after the tasks."
          : "The agents are working; the Composer writes the document once every task is done.";
  return (
    <EmptyState icon={FileText} title="No deliverable yet">
      <p>The deliverable appears here when the Composer finishes.</p>
      <p className="mt-1">{why}</p>
    </EmptyState>
  );
}

function DocumentCard({ room, round }: { room: Room; round: number }) {
  const draft = useDraft(room.id, round);
  if (draft.isPending)
    return (
      <Card>
        <CardBody className="flex flex-col gap-3 py-8" role="status" aria-label="Loading the draft">
          <Skeleton className="h-8 w-2/3" />
          <Skeleton className="h-4 w-1/3" />
          <Skeleton className="mt-4 h-6 w-1/4" />
          <Skeleton className="h-20 w-full" />
          <Skeleton className="h-6 w-1/4" />
          <Skeleton className="h-20 w-full" />
        </CardBody>
      </Card>
    );
  if (draft.data === undefined)
    return (
      <ErrorNote
        error={draft.error}
        title={`Round ${round} could not be loaded`}
        retry={() => void draft.refetch()}
      />
    );
  return (
    <Card>
      <div className="flex flex-wrap items-center gap-2 border-b border-border px-5 py-3 text-sm text-muted">
        <span className="font-medium text-fg">Round {round}</span>
        {round === room.final_round && <Badge tone="success">Latest</Badge>}
        <span>· written {dateTime(draft.data.created_at)}</span>
      </div>
      <CardBody className="px-5 py-8 sm:px-10">
        <DocumentView draft={draft.data} />
      </CardBody>
    </Card>
  );
}

export function DeliverablePanel({ room }: { room: Room }) {
  const { can } = useWorkspace();
  const rounds = room.rounds.map((r) => r.round);
  const latest = room.final_round;
  const [picked, setPicked] = useState<number | null>(null);
  const [view, setView] = useState<View>("document");
  const [pair, setPair] = useState<{ from: number; to: number } | null>(null);
  const [ready, setReady] = useState<{ from: number; to: number } | null>(null);
  const [exporting, setExporting] = useState(false);
  const seen = useRef(latest);

  const round = picked !== null && rounds.includes(picked) ? picked : latest;
  // The latest round's sections feed the revision form's section picker.
  const latestDraft = useDraft(room.id, latest);
  const sections = latestDraft.data?.document.sections.map((s) => s.title) ?? [];

  // A round finished while the page was open: show it and offer what changed.
  useEffect(() => {
    const before = seen.current;
    seen.current = latest;
    if (before > 0 && latest > before) {
      setPicked(null);
      setView("document");
      setPair(null);
      setReady({ from: before, to: latest });
      toast.success(`Round ${latest} is ready.`);
    }
  }, [latest]);

  if (rounds.length === 0) return <NoDeliverable room={room} />;

  const to = pair?.to ?? (round === 1 && rounds.length > 1 ? 2 : round);
  const others = rounds.filter((r) => r !== to);
  const from = pair?.from ?? others.filter((r) => r < to).at(-1) ?? others[0] ?? to;
  const showChanges = (f: number, t: number) => {
    setPair({ from: f, to: t });
    setView("changes");
    setReady(null);
  };

  return (
    <div
      className={cn(
        "grid items-start gap-6",
        can("workroom.write") && "lg:grid-cols-[minmax(0,1fr)_22rem]",
      )}
    >
      <div className="flex min-w-0 flex-col gap-4">
        <div className="flex flex-wrap items-center gap-3">
          <RoundSwitcher
            rounds={rounds}
            latest={latest}
            value={round}
            onChange={(r) => {
              setPicked(r === latest ? null : r);
              setPair(null);
            }}
          />
          <Segmented<View>
            label="View"
            value={view}
            onChange={(v) => {
              setView(v);
              setReady(null);
            }}
            options={[
              { value: "document", label: "Document" },
              {
                value: "changes",
                label: "Changes",
                disabled: rounds.length < 2,
                title: rounds.length < 2 ? "Changes appear after a revision round." : undefined,
              },
            ]}
          />
          {can("deliverable.export") && (
            <Button
              className="sm:ml-auto"
              icon={<Download className="size-4" aria-hidden />}
              onClick={() => setExporting(true)}
            >
              Export
            </Button>
          )}
        </div>

        {ready && view === "document" && (
          <div
            role="status"
            className="flex flex-wrap items-center justify-between gap-3 rounded-lg border border-success/40 bg-success/10 px-4 py-3 text-sm"
          >
            <p>
              <strong>Round {ready.to} is ready.</strong> See what changed since round {ready.from}.
            </p>
            <Button
              size="sm"
              icon={<GitCompareArrows className="size-4" aria-hidden />}
              onClick={() => showChanges(ready.from, ready.to)}
            >
              Show changes
            </Button>
          </div>
        )}

        {round !== latest && view === "document" && (
          <p className="flex flex-wrap items-center gap-2 text-sm text-muted">
            You are reading round {round}; the latest is round {latest}.
            <Button size="sm" variant="ghost" onClick={() => setPicked(null)}>
              Show round {latest} <ArrowRight className="size-4" aria-hidden />
            </Button>
          </p>
        )}

        {view === "document" || rounds.length < 2 ? (
          <DocumentCard room={room} round={round} />
        ) : (
          <Card>
            <div className="flex flex-wrap items-end gap-3 border-b border-border px-5 py-3">
              <SelectField
                label="Compare round"
                className="w-max min-w-44"
                value={String(from)}
                onChange={(e) => setPair({ from: Number(e.target.value), to })}
              >
                {rounds
                  .filter((r) => r !== to)
                  .map((r) => (
                    <option key={r} value={r}>
                      Round {r}
                    </option>
                  ))}
              </SelectField>
              <ArrowRight className="mb-3 size-4 text-muted" aria-hidden />
              <SelectField
                label="with round"
                className="w-max min-w-44"
                value={String(to)}
                onChange={(e) => {
                  const t = Number(e.target.value);
                  setPair({ from: from === t ? (rounds.find((r) => r !== t) ?? t) : from, to: t });
                }}
              >
                {rounds.map((r) => (
                  <option key={r} value={r}>
                    Round {r}
                    {r === latest ? " (latest)" : ""}
                  </option>
                ))}
              </SelectField>
            </div>
            <CardBody>
              <DiffView roomId={room.id} from={from} to={to} />
            </CardBody>
          </Card>
        )}
      </div>

      {can("workroom.write") && (
        <div className="lg:sticky lg:top-4">
          <RevisionPanel room={room} sections={sections} />
        </div>
      )}

      {can("deliverable.export") && (
        <ExportDialog room={room} round={round} open={exporting} onOpenChange={setExporting} />
      )}
    </div>
  );
}
