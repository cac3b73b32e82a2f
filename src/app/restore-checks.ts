// What a restore checks across the rows of an archive, as it restores them (a row on its own is
// checked by archive-rows.ts): the members and their accounts, each room's history against its
// count of events, and the ledger against the balance. Each check throws RestoreRefusedError, and
// the restore's transaction undoes what was written before it.
import type { ArchivedRow } from "../store/workspace-data.js";
import { RestoreRefusedError } from "./archive-reader.js";

/**
 * The memberships, checked as they are restored: each of a person in users.jsonl (whose account
 * here `people` gives), each person a member (an export writes only members' accounts), and one
 * owner at most. Not exactly one: a workspace the CLI made has no members until someone claims it.
 */
export function membersCheck(people: ReadonlyMap<string, string>) {
  const seen = new Set<string>();
  let owners = 0;
  return {
    /** The membership as restored, under the person's account here. */
    restore(m: ArchivedRow): ArchivedRow {
      const archived = String(m["user_id"]);
      const user = people.get(archived);
      if (user === undefined || seen.has(archived))
        throw new RestoreRefusedError(
          `The archive's memberships.jsonl names ${archived} ${user === undefined ? "who is not in users.jsonl" : "twice"}: it is not as an export wrote it.`,
        );
      seen.add(archived);
      if (m["role"] === "owner" && ++owners > 1)
        throw new RestoreRefusedError(
          "The archive's memberships.jsonl has more than one owner; a workspace has one.",
        );
      return { ...m, user_id: user };
    },
    check(): void {
      const without = [...people.keys()].filter((u) => !seen.has(u));
      if (without.length > 0)
        throw new RestoreRefusedError(
          `The archive's users.jsonl has ${without.length} ${without.length === 1 ? "person" : "people"} without a membership (${without.join(", ")}); an export writes only members: it is not as an export wrote it.`,
        );
    },
  };
}

/**
 * Each room's history as it is restored: its events are numbered 1 to the room's last sequence
 * number (event_seq) without a gap (the database refuses a number twice), as the history is
 * written. A room whose history is missing, cut or padded would show a history that is not its
 * own.
 */
export function historyCheck(rooms: readonly ArchivedRow[]) {
  const expected = new Map(rooms.map((r) => [String(r["id"]), Number(r["event_seq"])]));
  const counts = new Map<string, number>();
  return {
    /** Counts the event (answers it): its number must be within its room's. */
    count(e: ArchivedRow): ArchivedRow {
      const room = String(e["workroom_id"]);
      const last = expected.get(room) ?? 0;
      if (Number(e["seq"]) > last)
        throw new RestoreRefusedError(
          `The archive's history.jsonl has event ${String(e["seq"])} of room ${room}, whose last event is ${last}: it is not as an export wrote it.`,
        );
      counts.set(room, (counts.get(room) ?? 0) + 1);
      return e;
    },
    check(): void {
      for (const [room, last] of expected) {
        const found = counts.get(room) ?? 0;
        if (found !== last)
          throw new RestoreRefusedError(
            `The archive's history.jsonl has ${found} events of room ${room} where the room has ${last}: it is incomplete.`,
          );
      }
    },
  };
}

/**
 * The ledger as it is restored: every change of the balance is a ledger row written in the same
 * transaction, so the archive's rows add up to the workspace's allowance and top-up credits.
 */
export function ledgerCheck(workspace: ArchivedRow) {
  let allowance = 0;
  let topup = 0;
  return {
    add(l: ArchivedRow): ArchivedRow {
      allowance += Number(l["allowance_delta"]);
      topup += Number(l["topup_delta"]);
      return l;
    },
    check(): void {
      const [a, t] = [Number(workspace["allowance_credits"]), Number(workspace["topup_credits"])];
      if (allowance !== a || topup !== t)
        throw new RestoreRefusedError(
          `The archive's ledger.jsonl adds up to ${allowance} allowance and ${topup} top-up credits where its workspace.json says ${a} and ${t}: they are not as an export wrote them.`,
        );
    },
  };
}
