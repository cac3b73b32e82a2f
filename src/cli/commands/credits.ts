// `atelya credits balance|ledger|topup|estimate`.
import { randomUUID } from "node:crypto";
import type { Command } from "commander";
import { addTopUp, balance, estimateRoom, ledger } from "../../app/credits.js";
import { credits, number } from "../../domain/format.js";
import { withRoomSession, withSession, withSessionMakingWorkspace } from "../session.js";

export function registerCredits(program: Command): void {
  const command = program
    .command("credits")
    .description("workspace credits: balance, ledger, top-ups, estimates");
  command
    .command("balance")
    .description("show the balance (monthly allowance first, then top-ups)")
    .action(() =>
      withSession(async (s) => {
        const b = await balance(s.runtime.deps, s.actor);
        process.stdout.write(
          `${credits(b.total)}: ${
            // A plan changed this month gives its allowance from the next one.
            b.granted !== b.monthlyAllowance
              ? `${number(b.allowance)} of ${number(b.granted)} allowance left this month (${b.period}; ${number(b.monthlyAllowance)} a month from next month)`
              : `${number(b.allowance)} of this month's ${number(b.granted)} allowance (${b.period})`
          } + ${number(b.topup)} top-up\n`,
        );
      }),
    );
  command
    .command("ledger")
    .description("list every grant, top-up and debit")
    .action(() =>
      withSession(async (s) => {
        for (const l of await ledger(s.runtime.deps, s.actor)) {
          const amount = l.allowanceDelta + l.topupDelta;
          process.stdout.write(
            `${new Date(l.at).toISOString().slice(0, 19)}  ${(amount > 0 ? `+${number(amount)}` : number(amount)).padStart(9)}  ${l.kind.padEnd(16)} ${l.note}${l.workroomId ? `  (${l.workroomId})` : ""}\n`,
          );
        }
      }),
    );
  command
    .command("topup <credits>")
    .description("add a top-up pack (never expires)")
    .option("--key <key>", "idempotency key: repeating a top-up with the same key adds nothing")
    .action((amount: string, o: { key?: string }) =>
      withSessionMakingWorkspace(async (s) => {
        // The amount is checked where every top-up is (a clear error for "abc" or too many zeros).
        const b = await addTopUp(s.runtime.deps, s.actor, Number(amount), o.key ?? randomUUID());
        process.stdout.write(`Balance: ${credits(b.total)} (${number(b.topup)} top-up).\n`);
      }),
    );
  command
    .command("estimate <room>")
    .description("estimate what a room will cost, before it starts")
    .action((roomId: string) =>
      withRoomSession(roomId, async (s) => {
        const e = await estimateRoom(s.runtime.deps, s.actor, roomId);
        process.stdout.write(
          `About ${credits(e.expected)} (${number(e.low)}–${number(e.high)}) over ${number(e.calls)} model calls.\n`,
        );
        if (e.exceedsCap)
          process.stdout.write(
            `Warning: that is more than this room's cap of ${credits(e.maxCredits ?? 0)}; it will pause when it reaches it.\n`,
          );
      }),
    );
}
