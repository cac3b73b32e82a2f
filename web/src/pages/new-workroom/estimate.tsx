// The credit estimate of the workroom being filled in, from the server (POST /workrooms/estimate:
// the same figures the room shows once created), refreshed a moment after the material or the cap
// changes, never on a timer.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Coins } from "lucide-react";
import { useEffect, useState } from "react";
import { api, call } from "../../api/client";
import { credits, number } from "../../ui/format";
import { ErrorNote, Skeleton } from "../../ui/surface";
import type { CreateRequest } from "./draft";

function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}

export function useDraftEstimate(
  body: {
    inputs: CreateRequest["inputs"];
    max_credits?: number;
    agent_ids?: CreateRequest["agent_ids"];
  },
  enabled: boolean,
) {
  const settled = useSettled(JSON.stringify(body), 400);
  return useQuery({
    // Under "credits": a change of balance (the live stream) refreshes it.
    queryKey: ["credits", "draft-estimate", settled],
    queryFn: () =>
      call(
        api.POST("/api/v1/workrooms/estimate", {
          body: JSON.parse(settled) as typeof body,
        }),
      ),
    enabled,
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}

export function EstimatePanel({
  estimate,
  blockedBy,
}: {
  estimate: ReturnType<typeof useDraftEstimate>;
  /** Why no estimate can be made now (over the limits). */
  blockedBy: string | null;
}) {
  const e = estimate.data;
  return (
    <div className="flex flex-col gap-3" aria-live="polite" aria-busy={estimate.isFetching}>
      <div className="flex items-center gap-2 text-sm font-semibold">
        <Coins className="size-4 text-muted" aria-hidden /> Estimated cost
      </div>
      {blockedBy ? (
        <p className="text-sm text-danger">No estimate while the material is over the limit.</p>
      ) : estimate.error ? (
        <ErrorNote error={estimate.error} title="No estimate" />
      ) : !e ? (
        <div role="status" aria-label="Estimating" className="flex flex-col gap-2">
          <Skeleton className="h-8 w-32" />
          <Skeleton className="h-4 w-48" />
        </div>
      ) : (
        <>
          <div>
            <p className="text-2xl font-semibold tabular-nums" data-testid="estimate-expected">
              {credits(e.expected)}
            </p>
            <p className="text-sm text-muted">
              Likely {number(e.low)}–{number(e.high)} credits · {e.calls} model calls (a typical
              plan; the Planner decides the real one)
            </p>
          </div>
          <dl className="grid grid-cols-2 gap-x-3 gap-y-1 text-sm">
            <dt className="text-muted">Balance</dt>
            <dd className="text-right tabular-nums">{credits(e.balance)}</dd>
            <dt className="text-muted">Credit cap</dt>
            <dd className="text-right tabular-nums">
              {e.max_credits === null ? "None" : credits(e.max_credits)}
            </dd>
          </dl>
          {e.exceeds_cap && (
            <p className="rounded-lg border border-warning/40 bg-warning/10 px-3 py-2 text-sm">
              The expected cost is above the cap of {credits(e.max_credits ?? 0)}: the workroom will
              pause when its next call would cross it. Raise the cap, or start and raise it then.
            </p>
          )}
          {e.exceeds_balance && (
            <p className="rounded-lg border border-warning/40 bg-warning/10 px-3 py-2 text-sm">
              The expected cost is above the workspace balance of {credits(e.balance)}: the workroom
              will pause when the credits run out. Top up first to avoid it.
            </p>
          )}
          <p className="text-xs text-muted">
            Nothing is charged until you start; the cap is never crossed.
          </p>
        </>
      )}
    </div>
  );
}
