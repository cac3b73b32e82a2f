// The workspace dashboard (/): workrooms by client and state, filtered by state (kept in the
// address), the credit balance and what waits for a person. Everything here follows the
// workspace stream: a room that starts, pauses or finishes changes here without a reload.
import { useInfiniteQuery } from "@tanstack/react-query";
import { LayoutDashboard, Plus } from "lucide-react";
import { useMemo } from "react";
import { useSearchParams } from "react-router";
import { api, call } from "../../api/client";
import { ScriptedNotice } from "../../app/scripted-notice";
import { useWorkspace } from "../../app/session";
import { Button, ButtonLink } from "../../ui/button";
import { cn } from "../../ui/cn";
import { EmptyState, ErrorNote, LoadingRows, Page } from "../../ui/surface";
import { usePageTitle } from "../../ui/title";
import { filterById, STATE_FILTERS, type StateFilter } from "./filters";
import { groupByClient, RoomGroups } from "./room-groups";
import { BalanceCard, WaitingCard } from "./waiting";

const PAGE = 50;

function useRooms(filter: StateFilter) {
  return useInfiniteQuery({
    queryKey: ["workrooms", "list", { states: filter.states ?? null, limit: PAGE }],
    queryFn: ({ pageParam }) =>
      call(
        api.GET("/api/v1/workrooms", {
          params: {
            query: {
              limit: PAGE,
              ...(filter.states ? { state: filter.states.join(",") } : {}),
              ...(pageParam ? { cursor: pageParam } : {}),
            },
          },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

export function DashboardPage() {
  const { workspace, can } = useWorkspace();
  const [params, setParams] = useSearchParams();
  const filter = filterById(params.get("state"));
  const rooms = useRooms(filter);
  const list = useMemo(() => rooms.data?.pages.flatMap((p) => p.items) ?? [], [rooms.data]);
  const groups = useMemo(() => groupByClient(list), [list]);
  const moreError = rooms.isFetchNextPageError ? rooms.error : null;
  const writable = can("workroom.write");
  usePageTitle("Workrooms");
  const newRoom = writable && (
    <ButtonLink
      to="/workrooms/new"
      variant="primary"
      icon={<Plus className="size-4" aria-hidden />}
    >
      New workroom
    </ButtonLink>
  );
  const choose = (id: string) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        if (id === "all") next.delete("state");
        else next.set("state", id);
        return next;
      },
      { replace: true },
    );

  return (
    <Page title="Workrooms" description={workspace.name} actions={newRoom}>
      <ScriptedNotice />
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <aside aria-label="Summary" className="flex flex-col gap-4 lg:col-start-2 lg:row-start-1">
          <BalanceCard />
          <WaitingCard />
        </aside>
        <section
          aria-label="Workrooms by client"
          className="flex min-w-0 flex-col gap-4 lg:col-start-1 lg:row-start-1"
        >
          <div
            role="group"
            aria-label="Filter by state"
            className="-mx-1 flex gap-1.5 overflow-x-auto px-1 pb-1"
          >
            {STATE_FILTERS.map((f) => (
              <button
                key={f.id}
                type="button"
                aria-pressed={f.id === filter.id}
                onClick={() => choose(f.id)}
                className={cn(
                  "h-8 shrink-0 rounded-full border px-3 text-sm font-medium whitespace-nowrap transition-colors",
                  f.id === filter.id
                    ? "border-primary bg-primary text-primary-fg"
                    : "border-border bg-surface text-muted hover:bg-surface-2 hover:text-fg",
                )}
              >
                {f.label}
              </button>
            ))}
          </div>
          {rooms.isPending ? (
            <LoadingRows rows={5} label="Loading workrooms" />
          ) : !rooms.data ? (
            <ErrorNote
              error={rooms.error}
              title="The workrooms could not be loaded"
              retry={() => void rooms.refetch()}
            />
          ) : list.length === 0 ? (
            filter.id === "all" ? (
              <EmptyState icon={LayoutDashboard} title="No workrooms yet" action={newRoom}>
                {writable
                  ? "A workroom turns pasted client material — a brief, meeting notes, an e-mail thread — into one finished, branded document. Start your first one."
                  : "When your team creates workrooms, they appear here, grouped by client."}
              </EmptyState>
            ) : (
              <EmptyState
                icon={LayoutDashboard}
                title={filter.none}
                action={<Button onClick={() => choose("all")}>Show all workrooms</Button>}
              />
            )
          ) : (
            <>
              <RoomGroups groups={groups} />
              <ErrorNote error={moreError} />
              {rooms.hasNextPage && (
                <Button
                  className="self-center"
                  busy={rooms.isFetchingNextPage}
                  onClick={() => void rooms.fetchNextPage()}
                >
                  Show more
                </Button>
              )}
            </>
          )}
        </section>
      </div>
    </Page>
  );
}
