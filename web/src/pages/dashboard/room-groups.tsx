// The dashboard's workrooms, one card per client (rooms without a client in a group of their
// own, last), each room with its state, cost so far against its cap, deadline and last change.
import { CalendarClock, Coins, History } from "lucide-react";
import { Fragment, useId } from "react";
import { Link } from "react-router";
import type { Schemas } from "../../api/client";
import { StateBadge } from "../../ui/badge";
import { cn } from "../../ui/cn";
import { ago, credits, date, dateTime, deadline, number } from "../../ui/format";
import { Card } from "../../ui/surface";

type Workroom = Schemas["Workroom"];

export interface ClientGroup {
  client: string | null;
  rooms: Workroom[];
}

/** Clients alphabetically, rooms newest first within each, the rooms without a client last. */
export function groupByClient(rooms: readonly Workroom[]): ClientGroup[] {
  const byClient = new Map<string | null, Workroom[]>();
  for (const r of rooms) {
    const key = r.client?.trim() || null;
    byClient.set(key, [...(byClient.get(key) ?? []), r]);
  }
  return [...byClient.entries()]
    .map(([client, rooms]) => ({ client, rooms }))
    .sort((a, b) =>
      a.client === null ? 1 : b.client === null ? -1 : a.client.localeCompare(b.client),
    );
}

export function RoomGroups({ groups }: { groups: ClientGroup[] }) {
  return (
    <div className="flex flex-col gap-5">
      {groups.map((g) => (
        <RoomGroup key={g.client ?? "\u0000none"} group={g} />
      ))}
    </div>
  );
}

function RoomGroup({ group }: { group: ClientGroup }) {
  const name = group.client ?? "No client";
  // Not derived from the name: a name in another script, or two differing only in punctuation,
  // would share an id and label each other's card.
  const headingId = useId();
  return (
    <Card aria-labelledby={headingId}>
      <div className="flex items-baseline justify-between gap-3 border-b border-border px-5 py-3">
        <h2
          id={headingId}
          dir="auto"
          className={cn("text-base font-semibold", group.client === null && "text-muted")}
        >
          {name}
        </h2>
        <span className="text-xs text-muted">
          {group.rooms.length === 1 ? "1 workroom" : `${group.rooms.length} workrooms`}
        </span>
      </div>
      <ul className="divide-y divide-border">
        {group.rooms.map((r) => (
          <RoomRow key={r.id} room={r} />
        ))}
      </ul>
    </Card>
  );
}

const SETTLED = new Set<Workroom["state"]>(["completed", "cancelled"]);

function RoomRow({ room }: { room: Workroom }) {
  const due = room.deadline ? deadline(room.deadline) : null;
  const late = due?.late && !SETTLED.has(room.state);
  const share =
    room.max_credits && room.max_credits > 0
      ? Math.min(1, room.credits_spent / room.max_credits)
      : null;
  return (
    <li className="flex flex-col gap-1.5 px-5 py-3 hover:bg-surface-2/60" aria-label={room.title}>
      <div className="flex items-start justify-between gap-3">
        <div className="min-w-0">
          <Link
            to={`/workrooms/${encodeURIComponent(room.id)}`}
            dir="auto"
            className="block font-medium break-words underline-offset-2 hover:text-primary hover:underline"
          >
            {room.title}
          </Link>
          <p className="truncate text-xs text-muted">
            {room.deliverables.map((d, i) => (
              <Fragment key={i}>
                {i > 0 && " · "}
                <bdi>{d}</bdi>
              </Fragment>
            ))}
          </p>
        </div>
        <span className="shrink-0">
          <StateBadge state={room.state} />
        </span>
      </div>
      <div className="flex flex-wrap items-center gap-x-5 gap-y-1 text-xs text-muted">
        <span className="flex items-center gap-1.5">
          <Coins className="size-3.5" aria-hidden />
          <span className="sr-only">Cost so far: </span>
          <span className="text-fg tabular-nums">
            {room.max_credits !== null
              ? `${number(room.credits_spent)} / ${credits(room.max_credits)}`
              : credits(room.credits_spent)}
          </span>
          {share !== null && (
            <span aria-hidden className="h-1 w-14 overflow-hidden rounded-full bg-surface-2">
              <span
                className={cn(
                  "block h-full rounded-full",
                  share >= 0.9 ? "bg-warning" : "bg-primary/70",
                )}
                style={{ width: `${Math.round(share * 100)}%` }}
              />
            </span>
          )}
        </span>
        <span className="flex items-center gap-1.5">
          <CalendarClock className={cn("size-3.5", late && "text-danger")} aria-hidden />
          <span className="sr-only">Deadline: </span>
          {room.deadline && due ? (
            <span
              className={cn(late ? "font-medium text-danger" : "text-fg")}
              title={date(`${room.deadline}T12:00:00`)}
            >
              {SETTLED.has(room.state) ? date(`${room.deadline}T12:00:00`) : due.text}
            </span>
          ) : (
            <span>No deadline</span>
          )}
        </span>
        <span className="flex items-center gap-1.5">
          <History className="size-3.5" aria-hidden />
          <span>
            Updated{" "}
            <time dateTime={room.updated_at} title={dateTime(room.updated_at)}>
              {ago(room.updated_at)}
            </time>
          </span>
        </span>
      </div>
    </li>
  );
}
