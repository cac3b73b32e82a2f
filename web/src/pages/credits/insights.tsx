// Insights (/insights): the estimated hours Atelya saved, in total and per completed workroom,
// for a completion-date range kept in the address; owners and admins download the same
// breakdown as CSV. Its query sits under "workrooms" so a room finishing refreshes it live.
import { useMutation, useQuery } from "@tanstack/react-query";
import { Clock, Download, FileCheck2, Coins, Sparkles } from "lucide-react";
import { Link, useSearchParams } from "react-router";
import { toast } from "sonner";
import { api, call } from "../../api/client";
import { download } from "../../api/download";
import { useWorkspace } from "../../app/session";
import { Button } from "../../ui/button";
import { TextField } from "../../ui/field";
import { date, hours, number } from "../../ui/format";
import {
  Card,
  CardBody,
  CardHeader,
  EmptyState,
  ErrorNote,
  LoadingRows,
  Page,
  Skeleton,
} from "../../ui/surface";
import { usePageTitle } from "../../ui/title";

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function useRange() {
  const [params, setParams] = useSearchParams();
  const pick = (k: string) => {
    const v = params.get(k);
    return v && DAY.test(v) ? v : "";
  };
  const range = { from: pick("from"), to: pick("to") };
  const set = (k: "from" | "to", v: string) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        if (v) next.set(k, v);
        else next.delete(k);
        return next;
      },
      { replace: true },
    );
  return { range, set, clear: () => setParams({}, { replace: true }) };
}

const query = (r: { from: string; to: string }) => ({
  ...(r.from ? { from: r.from } : {}),
  ...(r.to ? { to: r.to } : {}),
});

function useCsvDownload(range: { from: string; to: string }) {
  return useMutation({
    mutationFn: () => {
      const qs = new URLSearchParams(query(range)).toString();
      return download(`/api/v1/insights.csv${qs ? `?${qs}` : ""}`, "atelya-insights.csv");
    },
    onSuccess: (name) => toast.success(`Downloaded ${name}`),
  });
}

export function InsightsPage() {
  const { can } = useWorkspace();
  usePageTitle("Insights");
  const { range, set, clear } = useRange();
  const insights = useQuery({
    queryKey: ["workrooms", "insights", range],
    queryFn: () => call(api.GET("/api/v1/insights", { params: { query: query(range) } })),
    placeholderData: (prev) => prev,
  });
  const csv = useCsvDownload(range);
  const badRange = range.from && range.to && range.from > range.to;
  const data = insights.data;
  return (
    <Page
      title="Insights"
      description="Estimated hours saved by completed workrooms, from each deliverable's size, the agents involved and its revisions."
      actions={
        can("insights.export") && (
          <Button
            busy={csv.isPending}
            onClick={() => csv.mutate()}
            icon={<Download className="size-4" aria-hidden />}
          >
            Download CSV
          </Button>
        )
      }
    >
      <ErrorNote error={csv.error} title="The CSV could not be downloaded" />
      <Card>
        <CardBody className="flex flex-col gap-3 sm:flex-row sm:items-end">
          <TextField
            label="Completed from"
            type="date"
            value={range.from}
            max={range.to || undefined}
            onChange={(e) => set("from", e.target.value)}
            className="sm:w-48"
          />
          <TextField
            label="Completed to"
            type="date"
            value={range.to}
            min={range.from || undefined}
            onChange={(e) => set("to", e.target.value)}
            className="sm:w-48"
            error={badRange ? "The end is before the start." : null}
          />
          {(range.from || range.to) && (
            <Button variant="ghost" onClick={clear}>
              All time
            </Button>
          )}
          <p className="text-sm text-muted sm:ml-auto sm:pb-2" aria-live="polite">
            {range.from || range.to
              ? `Completed ${range.from ? `from ${date(`${range.from}T12:00:00`)}` : ""}${range.from && range.to ? " " : ""}${range.to ? `to ${date(`${range.to}T12:00:00`)}` : ""} (UTC days)`
              : "All time"}
          </p>
        </CardBody>
      </Card>
      {insights.isPending ? (
        <div role="status" aria-label="Loading insights" className="flex flex-col gap-4">
          <div className="grid gap-4 sm:grid-cols-3">
            <Skeleton className="h-28" />
            <Skeleton className="h-28" />
            <Skeleton className="h-28" />
          </div>
          <LoadingRows rows={4} />
        </div>
      ) : !data ? (
        <ErrorNote
          error={insights.error}
          title="Insights could not be loaded"
          retry={() => void insights.refetch()}
        />
      ) : (
        <>
          <ErrorNote error={insights.error} retry={() => void insights.refetch()} />
          <div className="grid gap-4 sm:grid-cols-3">
            <Stat
              icon={Clock}
              label="Estimated hours saved"
              value={hours(data.total_hours_saved)}
            />
            <Stat
              icon={FileCheck2}
              label="Completed workrooms"
              value={number(data.completed_workrooms)}
            />
            <Stat icon={Coins} label="Credits they used" value={number(data.total_credits)} />
          </div>
          <Card>
            <CardHeader
              title="By workroom"
              description="Each completed workroom's estimate, most recent first."
            />
            {data.workrooms.length === 0 ? (
              <CardBody>
                <EmptyState
                  icon={Sparkles}
                  title={
                    range.from || range.to
                      ? "No workroom was completed in this range"
                      : "No completed workrooms yet"
                  }
                >
                  When a workroom finishes its deliverable, the hours it saved are estimated here.
                </EmptyState>
              </CardBody>
            ) : (
              <div className="overflow-x-auto">
                <table className="w-full text-sm">
                  <caption className="sr-only">Hours saved by workroom</caption>
                  <thead>
                    <tr className="border-b border-border text-left text-xs text-muted">
                      <th scope="col" className="px-5 py-2 font-medium">
                        Workroom
                      </th>
                      <th scope="col" className="px-3 py-2 font-medium">
                        Client
                      </th>
                      <th scope="col" className="px-3 py-2 font-medium">
                        Completed
                      </th>
                      <th scope="col" className="px-3 py-2 text-right font-medium">
                        Rounds
                      </th>
                      <th scope="col" className="px-3 py-2 text-right font-medium">
                        Credits
                      </th>
                      <th scope="col" className="px-5 py-2 text-right font-medium">
                        Hours saved
                      </th>
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-border">
                    {data.workrooms.map((r) => (
                      <tr key={r.id}>
                        <td className="min-w-48 px-5 py-2.5">
                          <Link
                            to={`/workrooms/${encodeURIComponent(r.id)}`}
                            className="font-medium underline-offset-2 hover:text-primary hover:underline"
                          >
                            {r.title}
                          </Link>
                        </td>
                        <td className="px-3 py-2.5 text-muted">{r.client ?? "—"}</td>
                        <td className="px-3 py-2.5 whitespace-nowrap">{date(r.completed_at)}</td>
                        <td className="px-3 py-2.5 text-right tabular-nums">{r.rounds}</td>
                        <td className="px-3 py-2.5 text-right tabular-nums">{number(r.credits)}</td>
                        <td className="px-5 py-2.5 text-right font-medium tabular-nums">
                          {hours(r.hours_saved)}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </Card>
        </>
      )}
    </Page>
  );
}

function Stat({ icon: Icon, label, value }: { icon: typeof Clock; label: string; value: string }) {
  return (
    <Card className="px-5 py-4">
      <h2 className="flex items-center gap-2 text-sm font-medium text-muted">
        <Icon className="size-4" aria-hidden />
        {label}
      </h2>
      <p className="mt-1 text-3xl font-semibold tracking-tight tabular-nums">{value}</p>
    </Card>
  );
}
