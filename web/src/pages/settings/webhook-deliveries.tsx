// A webhook's delivery log, newest first: the event, its status, the last answer's code and first
// 500 characters (or the error), the attempts and when; finished deliveries can be sent again.
// Deliveries are not history events, so no live stream announces them: after a test send or a
// redelivery the log follows that one delivery until its first attempt has an outcome (a few
// re-reads over at most 30 s, then it stops); "Refresh" shows later retries.
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { History, RefreshCw, Send } from "lucide-react";
import { useCallback, useEffect, useRef } from "react";
import { toast } from "sonner";
import { api, call, type Schemas } from "../../api/client";
import { Badge, type Tone } from "../../ui/badge";
import { Button } from "../../ui/button";
import { ago, dateTime } from "../../ui/format";
import { EmptyState, ErrorNote, LoadingRows } from "../../ui/surface";
import { EVENT_LABEL } from "./webhook-form";

type Delivery = Schemas["WebhookDeliveryPage"]["deliveries"][number];

export const deliveriesKey = (id: string) => ["webhook-deliveries", id] as const;

/** An attempt was stored (a claimed row counts its attempt before the answer is in). */
const hasOutcome = (d: Delivery) =>
  d.attempts > 0 && (d.last_status_code !== null || d.last_error !== null);

const FOLLOW_MS = 30_000;

function useDeliveries(webhookId: string) {
  return useInfiniteQuery({
    queryKey: deliveriesKey(webhookId),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      call(
        api.GET("/api/v1/webhooks/{id}/deliveries", {
          params: { path: { id: webhookId }, query: { limit: 20, before: pageParam } },
        }),
      ),
    getNextPageParam: (last) => last.next ?? undefined,
  });
}

/**
 * Waits for a just-queued delivery's first outcome: re-reads the log at 0.4, 0.8, 1.6 s, then
 * every 4 s, and stops at the outcome or after 30 s (an attempt has 10 s to get an answer).
 */
export function useFollowDelivery(webhookId: string) {
  const qc = useQueryClient();
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  return useCallback(
    (deliveryId: string) => {
      clearTimeout(timer.current);
      const until = Date.now() + FOLLOW_MS;
      const check = async (wait: number) => {
        await qc.refetchQueries({ queryKey: deliveriesKey(webhookId) });
        const pages = qc.getQueryData<{ pages: Schemas["WebhookDeliveryPage"][] }>(
          deliveriesKey(webhookId),
        );
        const d = pages?.pages.flatMap((p) => p.deliveries).find((x) => x.id === deliveryId);
        const settled = d && (d.status !== "pending" || hasOutcome(d));
        if (!settled && Date.now() < until)
          timer.current = setTimeout(() => void check(Math.min(wait * 2, 4_000)), wait);
      };
      void check(400);
    },
    [qc, webhookId],
  );
}
function statusOf(d: Delivery): { label: string; tone: Tone } {
  switch (d.status) {
    case "delivered":
      return { label: "Delivered", tone: "success" };
    case "failed":
      return { label: "Failed", tone: "danger" };
    case "pending":
      if (d.attempts === 0) return { label: "Queued", tone: "info" };
      return hasOutcome(d)
        ? { label: "Retrying", tone: "warning" }
        : { label: "Sending", tone: "info" };
  }
}

function DeliveryRow({ d, webhookId }: { d: Delivery; webhookId: string }) {
  const follow = useFollowDelivery(webhookId);
  const redeliver = useMutation({
    mutationFn: () =>
      call(
        api.POST("/api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver", {
          params: { path: { id: webhookId, deliveryId: d.id } },
        }),
      ),
    onSuccess: (q) => {
      toast.success("Sent again as a new delivery");
      follow(q.delivery_id);
    },
  });
  const s = statusOf(d);
  const event = d.event_type === "webhook.test" ? "Test send" : EVENT_LABEL[d.event_type];
  return (
    <li className="flex flex-col gap-2 py-3">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <Badge tone={s.tone}>{s.label}</Badge>
        <span className="text-sm font-medium">{event}</span>
        <code className="text-xs text-muted">{d.event_type}</code>
        <span className="ml-auto text-xs text-muted" title={dateTime(d.created_at)}>
          {dateTime(d.created_at)} · {ago(d.created_at)}
        </span>
      </div>
      <div className="flex flex-wrap items-start gap-3">
        <dl className="grid flex-1 grid-cols-3 gap-x-4 gap-y-1 text-xs">
          <div>
            <dt className="text-muted">Status code</dt>
            <dd className="font-mono">{d.last_status_code ?? "—"}</dd>
          </div>
          <div>
            <dt className="text-muted">Attempts</dt>
            <dd>{d.attempts}</dd>
          </div>
          <div>
            <dt className="text-muted">{d.delivered_at ? "Delivered at" : "Next attempt"}</dt>
            <dd>
              {d.delivered_at
                ? dateTime(d.delivered_at)
                : d.next_attempt_at && d.status === "pending"
                  ? dateTime(d.next_attempt_at)
                  : "—"}
            </dd>
          </div>
        </dl>
        {d.status !== "pending" && (
          <Button
            size="sm"
            variant="ghost"
            busy={redeliver.isPending}
            icon={<Send className="size-4" aria-hidden />}
            onClick={() => redeliver.mutate()}
          >
            Redeliver
          </Button>
        )}
      </div>
      {d.last_error && (
        <p className="rounded-md bg-danger/10 px-3 py-2 text-xs text-danger">{d.last_error}</p>
      )}
      {d.last_response && (
        <div className="flex flex-col gap-1">
          <span className="text-xs text-muted">Answer (first 500 characters)</span>
          <pre className="max-h-32 overflow-auto rounded-md bg-surface-2 px-3 py-2 font-mono text-xs break-all whitespace-pre-wrap">
            {d.last_response}
          </pre>
        </div>
      )}
      <ErrorNote error={redeliver.error} />
    </li>
  );
}

export function DeliveryLog({ webhookId }: { webhookId: string }) {
  const log = useDeliveries(webhookId);
  const deliveries = log.data?.pages.flatMap((p) => p.deliveries) ?? [];
  return (
    <section aria-label="Delivery log" className="flex flex-col gap-2">
      <div className="flex items-center justify-between gap-2">
        <h4 className="text-sm font-semibold">Delivery log</h4>
        <Button
          size="sm"
          variant="ghost"
          busy={log.isRefetching}
          icon={<RefreshCw className="size-4" aria-hidden />}
          onClick={() => void log.refetch()}
        >
          Refresh
        </Button>
      </div>
      {log.isPending ? (
        <LoadingRows rows={2} label="Loading deliveries" />
      ) : !log.data ? (
        <ErrorNote
          error={log.error}
          title="The delivery log could not be loaded"
          retry={() => void log.refetch()}
        />
      ) : deliveries.length === 0 ? (
        <EmptyState icon={History} title="Nothing delivered yet">
          Each event this webhook receives shows here with its answer. Send a test to try it.
        </EmptyState>
      ) : (
        <>
          <ul className="divide-y divide-border">
            {deliveries.map((d) => (
              <DeliveryRow key={d.id} d={d} webhookId={webhookId} />
            ))}
          </ul>
          {log.hasNextPage && (
            <Button
              size="sm"
              className="self-center"
              busy={log.isFetchingNextPage}
              onClick={() => void log.fetchNextPage()}
            >
              Show older deliveries
            </Button>
          )}
        </>
      )}
    </section>
  );
}
