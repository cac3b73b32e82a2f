// Credits (/credits): the balance (allowance left this month, top-ups, total), a top-up form for
// owners and admins, what each workroom has spent, and the ledger. The workspace stream keeps
// every part current while rooms run.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { BarChart3, CirclePlus } from "lucide-react";
import { useMemo, useState } from "react";
import { toast } from "sonner";
import { api, call, newIdempotencyKey, type Schemas } from "../../api/client";
import { useWorkspace } from "../../app/session";
import { Button } from "../../ui/button";
import { cn } from "../../ui/cn";
import { TextField } from "../../ui/field";
import { credits, number } from "../../ui/format";
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
import { CostChart } from "./cost-chart";
import { Ledger } from "./ledger";
import { creditKeys, useBalance, useWorkroomCosts } from "./queries";

type Balance = Schemas["CreditBalance"];

export function CreditsPage() {
  const { can } = useWorkspace();
  usePageTitle("Credits");
  const balance = useBalance();
  const costs = useWorkroomCosts();
  const titles = useMemo(
    () => new Map((costs.data?.workrooms ?? []).map((r) => [r.id, r.title])),
    [costs.data],
  );
  return (
    <Page
      title="Credits"
      description="Every model call is metered in credits. The monthly allowance is spent first; top-ups never expire."
    >
      {balance.isPending ? (
        <div role="status" aria-label="Loading the balance" className="grid gap-4 sm:grid-cols-3">
          <Skeleton className="h-28" />
          <Skeleton className="h-28" />
          <Skeleton className="h-28" />
        </div>
      ) : !balance.data ? (
        <ErrorNote
          error={balance.error}
          title="The balance could not be loaded"
          retry={() => void balance.refetch()}
        />
      ) : (
        <BalanceCards b={balance.data} />
      )}
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <Card className="min-w-0">
          <CardHeader
            title="Spent by workroom"
            description="Credits each workroom has used so far, most first; the mark is its cap."
          />
          <CardBody>
            {costs.isPending ? (
              <LoadingRows rows={4} label="Loading workroom costs" />
            ) : !costs.data ? (
              <ErrorNote error={costs.error} retry={() => void costs.refetch()} />
            ) : costs.data.workrooms.length === 0 ? (
              <EmptyState icon={BarChart3} title="No workroom has spent credits yet">
                Start a workroom and its cost appears here as it runs.
              </EmptyState>
            ) : (
              <CostChart rooms={costs.data.workrooms} />
            )}
          </CardBody>
        </Card>
        {can("credits.manage") && <TopUpCard />}
      </div>
      <Card>
        <CardHeader title="Ledger" description="Every grant and debit, newest first." />
        <CardBody>
          <Ledger titles={titles} />
        </CardBody>
      </Card>
    </Page>
  );
}

function Stat({
  label,
  value,
  detail,
  tone,
}: {
  label: string;
  value: string;
  detail: string;
  tone?: "warning";
}) {
  return (
    <Card className="px-5 py-4">
      <h2 className="text-sm font-medium text-muted">{label}</h2>
      <p className="mt-1 text-3xl font-semibold tracking-tight tabular-nums">{value}</p>
      <p
        className={cn(
          "mt-1 text-xs",
          tone === "warning" ? "font-medium text-warning" : "text-muted",
        )}
      >
        {detail}
      </p>
    </Card>
  );
}

function BalanceCards({ b }: { b: Balance }) {
  const month = new Intl.DateTimeFormat("en", { month: "long", year: "numeric", timeZone: "UTC" });
  const period = month.format(new Date(`${b.period}-01T00:00:00Z`));
  return (
    <div className="grid gap-4 sm:grid-cols-3">
      <Stat label="Total balance" value={number(b.total)} detail="Allowance left plus top-ups" />
      <Stat
        label={`Allowance left in ${period}`}
        value={number(b.allowance)}
        detail={
          // A plan changed this month gives its allowance from the next one.
          b.allowance_granted !== b.monthly_allowance
            ? `of ${credits(b.allowance_granted)} granted this month; from next month the plan gives ${credits(b.monthly_allowance)} a month`
            : b.allowance_notice
              ? `Most of the ${credits(b.allowance_granted)} is spent; it resets next month.`
              : `of ${credits(b.allowance_granted)}; resets next month, unused credits do not roll over`
        }
        {...(b.allowance_notice ? { tone: "warning" as const } : {})}
      />
      <Stat
        label="Top-ups"
        value={number(b.topup)}
        detail="Never expire; spent after the allowance"
      />
    </div>
  );
}

function TopUpCard() {
  const qc = useQueryClient();
  const [amount, setAmount] = useState("");
  // One key per intended top-up: a retry after a lost answer adds the credits once.
  const [key, setKey] = useState(() => newIdempotencyKey());
  const topUp = useMutation({
    mutationFn: (n: number) =>
      call(api.POST("/api/v1/credits/top-ups", { body: { amount: n, idempotency_key: key } })),
    onSuccess: (b, n) => {
      qc.setQueryData(creditKeys.balance, b);
      void qc.invalidateQueries({ queryKey: creditKeys.ledger });
      toast.success(`${credits(n)} added. The balance is now ${credits(b.total)}.`);
      setAmount("");
      setKey(newIdempotencyKey());
    },
  });
  const n = Number(amount);
  const invalid = amount !== "" && (!Number.isInteger(n) || n <= 0);
  return (
    <Card className="self-start">
      <CardHeader title="Add a top-up" description="Top-up credits never expire." />
      <CardBody>
        <form
          className="flex flex-col gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            if (!invalid) topUp.mutate(n);
          }}
        >
          <TextField
            label="Credits to add"
            type="number"
            inputMode="numeric"
            min={1}
            step={1}
            required
            value={amount}
            onChange={(e) => {
              setAmount(e.target.value);
              topUp.reset();
            }}
            error={invalid ? "Enter a whole number of credits above zero." : null}
          />
          <div className="flex flex-wrap gap-2" role="group" aria-label="Common amounts">
            {[1_000, 5_000, 20_000].map((v) => (
              <Button key={v} size="sm" onClick={() => setAmount(String(v))}>
                {number(v)}
              </Button>
            ))}
          </div>
          <ErrorNote error={topUp.error} />
          <Button
            type="submit"
            variant="primary"
            busy={topUp.isPending}
            disabled={invalid}
            icon={<CirclePlus className="size-4" aria-hidden />}
          >
            Add credits
          </Button>
        </form>
      </CardBody>
    </Card>
  );
}
