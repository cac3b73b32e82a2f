// What each workroom has spent, as a horizontal bar chart made of plain elements: every bar has
// its value in text beside it (and its cap, when the room has one), so it reads without the bars.
import type { Schemas } from "../../api/client";
import { Link } from "react-router";
import { StateBadge } from "../../ui/badge";
import { cn } from "../../ui/cn";
import { credits, number } from "../../ui/format";

type RoomCost = Schemas["WorkroomCostList"]["workrooms"][number];

export function CostChart({ rooms }: { rooms: RoomCost[] }) {
  const top = Math.max(1, ...rooms.map((r) => Math.max(r.credits_spent, r.max_credits ?? 0)));
  return (
    <ul className="flex flex-col gap-4" aria-label="Credits spent by workroom">
      {rooms.map((r) => {
        const spent = (r.credits_spent / top) * 100;
        const cap = r.max_credits !== null ? (r.max_credits / top) * 100 : null;
        const nearCap = r.max_credits !== null && r.credits_spent >= r.max_credits * 0.9;
        return (
          <li key={r.id} className="flex flex-col gap-1.5">
            <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
              <span className="flex min-w-0 items-center gap-2">
                <Link
                  to={`/workrooms/${encodeURIComponent(r.id)}`}
                  className="truncate text-sm font-medium underline-offset-2 hover:text-primary hover:underline"
                >
                  {r.title}
                </Link>
                {r.client && <span className="truncate text-xs text-muted">{r.client}</span>}
                <StateBadge state={r.state} />
              </span>
              <span className="text-sm tabular-nums">
                {credits(r.credits_spent)}
                {r.max_credits !== null && (
                  <span className="text-muted"> of {number(r.max_credits)} cap</span>
                )}
              </span>
            </div>
            <div aria-hidden className="relative h-3 rounded-full bg-surface-2">
              <div
                className={cn(
                  "absolute inset-y-0 left-0 rounded-full",
                  nearCap ? "bg-warning" : "bg-primary",
                )}
                style={{ width: `${Math.max(spent, r.credits_spent > 0 ? 1 : 0)}%` }}
              />
              {cap !== null && (
                <div
                  className="absolute -inset-y-0.5 w-0.5 rounded bg-fg/60"
                  style={{ left: `calc(${cap}% - 1px)` }}
                />
              )}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
