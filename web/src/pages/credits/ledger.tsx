// The ledger: every grant and debit, newest first, a page at a time ("Show older").
import { ReceiptText } from "lucide-react";
import { Link } from "react-router";
import type { Schemas } from "../../api/client";
import { Badge, type Tone } from "../../ui/badge";
import { Button } from "../../ui/button";
import { cn } from "../../ui/cn";
import { dateTime, number } from "../../ui/format";
import { EmptyState, ErrorNote, LoadingRows } from "../../ui/surface";
import { useLedger } from "./queries";

type Entry = Schemas["LedgerEntry"];

const KIND: Record<Entry["kind"], { label: string; tone: Tone }> = {
  allowance_grant: { label: "Monthly allowance", tone: "success" },
  allowance_expiry: { label: "Allowance expired", tone: "neutral" },
  topup: { label: "Top-up", tone: "success" },
  debit: { label: "Spent", tone: "info" },
  adjustment: { label: "Adjustment", tone: "warning" },
};

const signed = (n: number) => (n > 0 ? `+${number(n)}` : n < 0 ? `−${number(-n)}` : "0");

export function Ledger({ titles }: { titles: ReadonlyMap<string, string> }) {
  const ledger = useLedger();
  if (ledger.isPending) return <LoadingRows rows={5} label="Loading the ledger" />;
  if (!ledger.data)
    return (
      <ErrorNote
        error={ledger.error}
        title="The ledger could not be loaded"
        retry={() => void ledger.refetch()}
      />
    );
  // A failed "Show older" keeps the entries already shown and says why under them.
  const moreError = ledger.isFetchNextPageError ? ledger.error : null;
  const entries = ledger.data.pages.flatMap((p) => p.entries);
  if (entries.length === 0)
    return (
      <EmptyState icon={ReceiptText} title="No ledger entries yet">
        Grants, top-ups and what each workroom spends are listed here.
      </EmptyState>
    );
  return (
    <div className="flex flex-col gap-3">
      <div className="overflow-x-auto">
        <table className="w-full text-sm">
          <caption className="sr-only">Credit ledger, newest first</caption>
          <thead>
            <tr className="border-b border-border text-left text-xs text-muted">
              <th scope="col" className="py-2 pr-4 font-medium">
                When
              </th>
              <th scope="col" className="py-2 pr-4 font-medium">
                What
              </th>
              <th scope="col" className="py-2 pr-4 font-medium">
                Details
              </th>
              <th scope="col" className="py-2 text-right font-medium">
                Credits
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-border">
            {entries.map((e) => (
              <tr key={e.id} className="align-top">
                <td className="py-2.5 pr-4 whitespace-nowrap text-muted">
                  <time dateTime={e.at}>{dateTime(e.at)}</time>
                </td>
                <td className="py-2.5 pr-4">
                  <Badge tone={KIND[e.kind].tone}>{KIND[e.kind].label}</Badge>
                </td>
                <td className="min-w-48 py-2.5 pr-4">
                  {e.workroom_id && (
                    <Link
                      to={`/workrooms/${encodeURIComponent(e.workroom_id)}`}
                      className="block font-medium underline-offset-2 hover:text-primary hover:underline"
                    >
                      {titles.get(e.workroom_id) ?? "Workroom"}
                    </Link>
                  )}
                  {e.note && <span className="text-muted">{e.note}</span>}
                </td>
                <td
                  className={cn(
                    "py-2.5 text-right font-medium whitespace-nowrap tabular-nums",
                    e.credits > 0 && "text-success",
                  )}
                >
                  {signed(e.credits)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ErrorNote error={moreError} />
      {ledger.hasNextPage && (
        <Button
          className="self-center"
          busy={ledger.isFetchingNextPage}
          onClick={() => void ledger.fetchNextPage()}
        >
          Show older entries
        </Button>
      )}
    </div>
  );
}
