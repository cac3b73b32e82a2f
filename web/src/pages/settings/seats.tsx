// The workspace's plan at a glance: seats used (members plus pending invites) against the plan's
// limit, shared by the team and plan pages.
import type { UseQueryResult } from "@tanstack/react-query";
import { AlertTriangle } from "lucide-react";
import { cn } from "../../ui/cn";
import { number } from "../../ui/format";
import { Card, CardBody, ErrorNote, Skeleton } from "../../ui/surface";
import { seatsFull, seatsTaken, type Overview } from "./queries";

export function SeatsCard({ overview }: { overview: UseQueryResult<Overview> }) {
  if (overview.isPending)
    return (
      <Card>
        <CardBody className="flex flex-col gap-3" role="status" aria-label="Loading seats">
          <Skeleton className="h-5 w-40" />
          <Skeleton className="h-2 w-full" />
        </CardBody>
      </Card>
    );
  if (overview.data === undefined)
    return (
      <ErrorNote
        error={overview.error}
        title="The plan's seats could not be loaded"
        retry={() => void overview.refetch()}
      />
    );
  const o = overview.data;
  const taken = seatsTaken(o);
  const full = seatsFull(o);
  const share = o.max_users === null ? 0 : Math.min(1, taken / Math.max(1, o.max_users));
  const pending = o.seats_used.pending_invites;
  return (
    <Card>
      <CardBody className="flex flex-col gap-3">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <p className="text-sm">
            <span className="text-lg font-semibold">{number(taken)}</span>{" "}
            {o.max_users === null ? (
              <>
                {taken === 1 ? "seat" : "seats"} used · the {o.plan_label} plan has unlimited seats
              </>
            ) : (
              <>
                of {number(o.max_users)} seat{o.max_users === 1 ? "" : "s"} used on the{" "}
                {o.plan_label} plan
              </>
            )}
          </p>
          <p className="text-xs text-muted">
            {number(o.seats_used.members)} member{o.seats_used.members === 1 ? "" : "s"}
            {" · "}
            {number(pending)} pending invite{pending === 1 ? "" : "s"}
          </p>
        </div>
        {o.max_users !== null && (
          <div
            role="meter"
            aria-label="Seats used"
            aria-valuemin={0}
            aria-valuemax={o.max_users}
            aria-valuenow={taken}
            className="h-2 overflow-hidden rounded-full bg-surface-2"
          >
            <div
              className={cn("h-full rounded-full", full ? "bg-warning" : "bg-primary")}
              style={{ width: `${share * 100}%` }}
            />
          </div>
        )}
        {full && (
          <p className="flex items-start gap-2 text-sm">
            <AlertTriangle className="mt-0.5 size-4 shrink-0 text-warning" aria-hidden />
            Every seat is taken. A new invite waits until there is room: revoke a pending invite,
            remove a member, or move to a larger plan.
          </p>
        )}
      </CardBody>
    </Card>
  );
}
