// The dashboard's side: the workspace's credit balance, and what is waiting for a person —
// approvals and questions (the inbox), plans held for review, rooms paused for credits and rooms
// a model provider asked to wait (they resume by themselves then, which the line says; a person
// may resume them sooner).
import { useQuery } from "@tanstack/react-query";
import {
  ArrowRight,
  CheckCircle2,
  CircleHelp,
  ClipboardCheck,
  Coins,
  Hourglass,
  Inbox,
} from "lucide-react";
import { Link } from "react-router";
import { api, call, type Schemas } from "../../api/client";
import { useWorkspace } from "../../app/session";
import { Badge } from "../../ui/badge";
import { cn } from "../../ui/cn";
import { credits, number, timeOrDate } from "../../ui/format";
import { Card, CardHeader, ErrorNote, Skeleton } from "../../ui/surface";
import { useBalance } from "../credits/queries";

export function BalanceCard() {
  const balance = useBalance();
  const b = balance.data;
  // What this month granted: a plan changed since gives its allowance from next month.
  const granted = b ? Math.max(b.allowance_granted, b.allowance) : 0;
  const used = b && granted > 0 ? 1 - b.allowance / granted : 0;
  return (
    <Card aria-labelledby="balance-heading">
      <div className="flex items-center justify-between gap-2 px-5 pt-4">
        <h2 id="balance-heading" className="flex items-center gap-2 text-sm font-medium text-muted">
          <Coins className="size-4" aria-hidden /> Credit balance
        </h2>
        <Link to="/credits" className="text-xs font-medium text-primary hover:underline">
          Details
        </Link>
      </div>
      <div className="px-5 pt-1 pb-4">
        {balance.isPending ? (
          <div role="status" aria-label="Loading the balance" className="flex flex-col gap-2">
            <Skeleton className="h-8 w-32" />
            <Skeleton className="h-2 w-full" />
          </div>
        ) : !balance.data ? (
          <ErrorNote error={balance.error} retry={() => void balance.refetch()} />
        ) : (
          b && (
            <>
              <p className="text-3xl font-semibold tracking-tight tabular-nums">
                {number(b.total)}
                <span className="ml-1.5 text-sm font-normal text-muted">credits</span>
              </p>
              <div
                className="mt-3 h-2 overflow-hidden rounded-full bg-surface-2"
                role="meter"
                aria-label="Monthly allowance left"
                aria-valuemin={0}
                aria-valuemax={granted}
                aria-valuenow={b.allowance}
                aria-valuetext={`${credits(b.allowance)} of ${credits(granted)} left`}
              >
                <div
                  className={cn(
                    "h-full rounded-full",
                    b.allowance_notice ? "bg-warning" : "bg-primary",
                  )}
                  style={{ width: `${Math.round((1 - used) * 100)}%` }}
                />
              </div>
              <p className="mt-2 text-xs text-muted">
                {b.allowance_granted !== b.monthly_allowance
                  ? `${number(b.allowance)} of ${number(b.allowance_granted)} allowance left this month (${number(b.monthly_allowance)} a month from next month)`
                  : `${number(b.allowance)} of ${number(b.allowance_granted)} monthly allowance left`}
                {b.topup > 0 && ` · ${number(b.topup)} top-up`}
              </p>
              {b.allowance_notice && (
                <p className="mt-2 text-xs font-medium text-warning">
                  Most of this month's allowance is spent.
                </p>
              )}
            </>
          )
        )}
      </div>
    </Card>
  );
}

type InboxItem = Schemas["Inbox"]["items"][number];
type Workroom = Schemas["Workroom"];

const PAUSED_SAYS: Partial<Record<NonNullable<Workroom["pause_reason"]>, string>> = {
  plan_review: "Plan ready for your review",
  budget: "Paused at its credit cap",
  insufficient_credits: "Paused: the workspace is out of credits",
  rate_limited: "Paused: the model provider asked to wait",
};

interface Waiting {
  key: string;
  roomId: string;
  room: string;
  what: string;
  kind: "approval" | "question" | "plan" | "credits" | "provider";
}

function toWaiting(items: InboxItem[], paused: Workroom[]): Waiting[] {
  const fromInbox = items.map((i): Waiting => ({
    key: i.task.id,
    roomId: i.workroom.id,
    room: i.workroom.title,
    what:
      i.task.type === "approval"
        ? `Approve: ${i.task.title}`
        : `Question: ${i.task.question ?? i.task.title}`,
    kind: i.task.type === "approval" ? "approval" : "question",
  }));
  const fromPaused = paused.flatMap((r): Waiting[] => {
    const says = r.pause_reason ? PAUSED_SAYS[r.pause_reason] : undefined;
    return says
      ? [
          {
            key: `paused-${r.id}`,
            roomId: r.id,
            room: r.title,
            what: r.resume_at ? `${says}; resumes by itself at ${timeOrDate(r.resume_at)}` : says,
            kind:
              r.pause_reason === "plan_review"
                ? "plan"
                : r.pause_reason === "rate_limited"
                  ? "provider"
                  : "credits",
          },
        ]
      : [];
  });
  return [...fromInbox, ...fromPaused];
}

const KIND_ICON = {
  approval: ClipboardCheck,
  question: CircleHelp,
  plan: ClipboardCheck,
  credits: Coins,
  provider: Hourglass,
} as const;

export function WaitingCard() {
  const { can } = useWorkspace();
  const inbox = useQuery({
    queryKey: ["inbox"],
    queryFn: () => call(api.GET("/api/v1/inbox")),
  });
  const paused = useQuery({
    queryKey: ["workrooms", "list", { states: ["paused"], limit: 100 }],
    queryFn: () =>
      call(api.GET("/api/v1/workrooms", { params: { query: { state: "paused", limit: 100 } } })),
  });
  const pending = inbox.isPending || paused.isPending;
  const items = toWaiting(inbox.data?.items ?? [], paused.data?.items ?? []);
  return (
    <Card aria-labelledby="waiting-heading">
      <CardHeader
        title={
          <span id="waiting-heading" className="flex items-center gap-2">
            <Inbox className="size-4 text-muted" aria-hidden /> Waiting for you
            {items.length > 0 && <Badge tone="warning">{items.length}</Badge>}
          </span>
        }
      />
      {pending ? (
        <div role="status" aria-label="Loading what is waiting" className="flex flex-col gap-2 p-4">
          <Skeleton className="h-10 w-full" />
          <Skeleton className="h-10 w-full" />
        </div>
      ) : !inbox.data || !paused.data ? (
        <div className="p-4">
          <ErrorNote
            error={inbox.error ?? paused.error}
            retry={() => {
              void inbox.refetch();
              void paused.refetch();
            }}
          />
        </div>
      ) : items.length === 0 ? (
        <p className="flex items-center gap-2 px-5 py-4 text-sm text-muted">
          <CheckCircle2 className="size-4 text-success" aria-hidden />
          Nothing needs you right now.
        </p>
      ) : (
        <ul className="divide-y divide-border">
          {items.map((w) => {
            const Icon = KIND_ICON[w.kind];
            return (
              <li key={w.key}>
                <Link
                  to={`/workrooms/${encodeURIComponent(w.roomId)}`}
                  className="group flex items-start gap-3 px-5 py-3 hover:bg-surface-2"
                >
                  <Icon className="mt-0.5 size-4 shrink-0 text-warning" aria-hidden />
                  <span className="min-w-0 flex-1">
                    <span className="block truncate text-sm font-medium">{w.what}</span>
                    <span className="block truncate text-xs text-muted">{w.room}</span>
                  </span>
                  <ArrowRight
                    className="mt-0.5 size-4 shrink-0 text-muted group-hover:text-fg"
                    aria-hidden
                  />
                </Link>
              </li>
            );
          })}
        </ul>
      )}
      {!can("workroom.write") && items.length > 0 && (
        <p className="border-t border-border px-5 py-2 text-xs text-muted">
          As a viewer you can read these; a member answers them.
        </p>
      )}
    </Card>
  );
}
