// The Activity tab: the room's history in words, newest first, kept current by the room's live
// stream (which refreshes the history query); older pages load on request.
import { Activity, Bot, Coins, FileText, Flag, ListChecks, MessageSquare } from "lucide-react";
import { Button } from "../../ui/button";
import { dateTime, timeOrDate } from "../../ui/format";
import { EmptyState, ErrorNote, LoadingRows } from "../../ui/surface";
import { describeEvent, type EventKind } from "../../../../src/domain/event-text";
import { useHistory, usePeople, type Room } from "./queries";

const ICON: Record<EventKind, typeof Activity> = {
  state: Flag,
  task: ListChecks,
  model: Bot,
  person: MessageSquare,
  budget: Coins,
  document: FileText,
  note: Activity,
};

export function ActivityTab({ room }: { room: Room }) {
  const history = useHistory(room.id);
  const people = usePeople();
  if (history.isPending) return <LoadingRows rows={6} label="Loading the activity" />;
  if (history.data === undefined)
    return (
      <ErrorNote
        error={history.error}
        title="The activity could not be loaded"
        retry={() => void history.refetch()}
      />
    );
  if (history.events.length === 0)
    return <EmptyState icon={Activity} title="Nothing has happened yet" />;
  const events = [...history.events].reverse();
  return (
    <div className="flex flex-col gap-3">
      {history.hasNextPage && (
        <Button
          className="self-start"
          busy={history.isFetchingNextPage}
          onClick={() => void history.fetchNextPage()}
        >
          Load later events
        </Button>
      )}
      <ol
        aria-label="Activity"
        className="flex flex-col rounded-[var(--radius-card)] border border-border bg-surface"
      >
        {events.map((e) => {
          const line = describeEvent(e, { tasks: room.tasks, agents: room.agents, people });
          const Icon = ICON[line.kind];
          return (
            <li key={e.seq} className="flex gap-3 border-b border-border px-4 py-3 last:border-b-0">
              <Icon className="mt-0.5 size-4 shrink-0 text-muted" aria-hidden />
              <div className="min-w-0 flex-1">
                <p className="text-sm break-words">{line.text}</p>
                {line.detail && (
                  <p
                    dir="auto"
                    className="mt-1 border-s-2 border-border ps-2 text-sm break-words text-muted"
                  >
                    {line.detail}
                  </p>
                )}
              </div>
              <time
                dateTime={e.at}
                title={dateTime(e.at)}
                className="shrink-0 text-xs text-muted tabular-nums"
              >
                {timeOrDate(e.at)}
              </time>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
