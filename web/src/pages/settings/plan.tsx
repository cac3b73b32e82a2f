// Plan: the workspace's plan, seats and monthly credits, beside every plan's limits (the table is
// src/domain/roles.ts). The API has no route to change a plan — on a self-hosted server the
// operator sets it from the CLI — so the page says how, with the exact command.
import { useQuery } from "@tanstack/react-query";
import { Check, Minus } from "lucide-react";
import { PLAN_LABELS } from "../../../../src/domain/accounts";
import { PLAN_NAMES, PLANS } from "../../../../src/domain/roles";
import { api, call } from "../../api/client";
import { useWorkspace } from "../../app/session";
import { Badge } from "../../ui/badge";
import { cn } from "../../ui/cn";
import { credits, number } from "../../ui/format";
import { Card, CardBody, CardHeader, ErrorNote, Skeleton } from "../../ui/surface";
import { CopyButton, SectionHeader } from "./common";
import { useWorkspaceOverview } from "./queries";
import { SeatsCard } from "./seats";

function Allowance() {
  const balance = useQuery({
    queryKey: ["credits", "balance"],
    queryFn: () => call(api.GET("/api/v1/credits")),
  });
  if (balance.isPending)
    return (
      <div role="status" aria-label="Loading credits" className="flex flex-col gap-2">
        <Skeleton className="h-6 w-40" />
        <Skeleton className="h-4 w-64" />
      </div>
    );
  if (balance.data === undefined)
    return (
      <ErrorNote
        error={balance.error}
        title="The credit balance could not be loaded"
        retry={() => void balance.refetch()}
      />
    );
  const b = balance.data;
  return (
    <div className="flex flex-col gap-1">
      <p className="text-sm text-muted">Monthly credits</p>
      <p className="text-lg font-semibold">{credits(b.monthly_allowance)}</p>
      <p className="text-xs text-muted">
        {number(b.allowance)} left this month ({b.period}, resets monthly, no roll-over) ·{" "}
        {number(b.topup)} in top-ups (never expire)
      </p>
    </div>
  );
}

function ChangePlan({ workspaceId }: { workspaceId: string }) {
  const { can } = useWorkspace();
  const command = `atelya workspace plan <plan> --workspace ${workspaceId}`;
  return (
    <Card>
      <CardHeader level={3} title="Changing the plan" />
      <CardBody className="flex flex-col gap-3 text-sm">
        <p>
          On a self-hosted Atelya, whoever runs the server sets the plan on the server itself (any
          of {PLAN_NAMES.join(", ")}):
        </p>
        <div className="flex flex-col gap-2 sm:flex-row sm:items-center">
          {/* Wraps on a phone: a scrolling box would hide its end from keyboard and zoom users. */}
          <code className="flex-1 rounded-lg bg-surface-2 px-3 py-2 font-mono text-xs break-all">
            {command}
          </code>
          <CopyButton value={command} label="Copy command" />
        </div>
        <p className="text-muted">
          The new plan&rsquo;s monthly credits apply from the next allowance period. Moving to a
          smaller plan keeps everyone already in; new invites wait until there is room.
          {can("credits.manage")
            ? " Need credits sooner? Add a top-up on the Credits page."
            : " Owners and admins can add top-up credits on the Credits page."}
        </p>
      </CardBody>
    </Card>
  );
}

function PlanTable({ current }: { current: string }) {
  return (
    <Card>
      <CardHeader level={3} title="Plans" />
      {/* Scrolls sideways on a phone: focusable, so arrow keys can scroll it too. */}
      <CardBody
        tabIndex={0}
        role="region"
        aria-label="Plans table"
        className="overflow-x-auto px-0 py-0"
      >
        <table className="w-full min-w-[32rem] text-sm">
          <caption className="sr-only">What each plan includes</caption>
          <thead className="border-b border-border text-left text-xs text-muted">
            <tr>
              <th scope="col" className="px-5 py-2 font-medium">
                Plan
              </th>
              <th scope="col" className="px-3 py-2 text-right font-medium">
                Seats
              </th>
              <th scope="col" className="px-3 py-2 text-right font-medium">
                Monthly credits
              </th>
              <th scope="col" className="px-5 py-2 text-center font-medium">
                API access
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-border">
            {PLAN_NAMES.map((p) => {
              const plan = PLANS[p];
              const here = p === current;
              return (
                <tr
                  key={p}
                  className={cn(here && "bg-primary/5")}
                  aria-current={here ? "true" : undefined}
                >
                  <th scope="row" className="px-5 py-2.5 text-left font-medium">
                    <span className="flex items-center gap-2">
                      {PLAN_LABELS[p]}
                      {here && <Badge tone="primary">Current</Badge>}
                    </span>
                  </th>
                  <td className="px-3 py-2.5 text-right tabular-nums">
                    {plan.maxUsers === null ? "Unlimited" : number(plan.maxUsers)}
                  </td>
                  <td className="px-3 py-2.5 text-right tabular-nums">
                    {number(plan.monthlyCredits)}
                  </td>
                  <td className="px-5 py-2.5 text-center">
                    {plan.canUseApiAccess ? (
                      <Check className="mx-auto size-4 text-success" aria-label="Included" />
                    ) : (
                      <Minus className="mx-auto size-4 text-muted" aria-label="Not included" />
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </CardBody>
    </Card>
  );
}

export function PlanSettings() {
  const overview = useWorkspaceOverview();
  const o = overview.data;
  return (
    <>
      <SectionHeader title="Plan" description="Seats, API access and monthly credits." />
      <Card>
        <CardBody className="grid gap-5 sm:grid-cols-3">
          {overview.isPending ? (
            <div role="status" aria-label="Loading the plan" className="flex flex-col gap-2">
              <Skeleton className="h-6 w-32" />
              <Skeleton className="h-4 w-48" />
            </div>
          ) : !overview.data ? (
            <ErrorNote
              error={overview.error}
              className="sm:col-span-3"
              title="The plan could not be loaded"
              retry={() => void overview.refetch()}
            />
          ) : (
            <>
              <div className="flex flex-col gap-1">
                <p className="text-sm text-muted">Plan</p>
                <p className="text-lg font-semibold">{overview.data.plan_label}</p>
              </div>
              <div className="flex flex-col gap-1">
                <p className="text-sm text-muted">API access</p>
                <p className="text-lg font-semibold">
                  {overview.data.api_access ? "Included" : "Not included"}
                </p>
                {!overview.data.api_access && (
                  <p className="text-xs text-muted">Growth and Agency include it.</p>
                )}
              </div>
            </>
          )}
          <Allowance />
        </CardBody>
      </Card>
      <SeatsCard overview={overview} />
      {o && <PlanTable current={o.plan} />}
      {o && <ChangePlan workspaceId={o.id} />}
    </>
  );
}
