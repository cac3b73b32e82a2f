// Credits: the balance, the ledger (paged, newest first), top-ups by owners and admins, and what
// each workroom has spent (the credits screen's chart).
import {
  addTopUp,
  balance,
  costByWorkroom,
  LEDGER_PAGE_MAX,
  ledgerPage,
} from "../../app/credits.js";
import { idempotencyKey } from "../idempotency.js";
import { defineRoute, type Route } from "../route.js";
import { pageOptions, pageQuery } from "../views/paging.js";
import {
  BalanceSchema,
  LedgerPageSchema,
  RoomCostListSchema,
  toBalanceView,
  toLedgerEntryView,
  toRoomCostView,
  TopUpRequestSchema,
} from "../views/credits.js";

const tags = ["credits"] as const;

const getBalance = defineRoute({
  method: "GET",
  path: "/api/v1/credits",
  operationId: "getCredits",
  summary: "The workspace's credit balance: allowance left, top-ups, the month",
  tags,
  auth: "workspace",
  action: "credits.read",
  response: { kind: "json", schema: BalanceSchema },
  handler: async ({ deps, actor }) => toBalanceView(await balance(deps, actor)),
});

const getLedger = defineRoute({
  method: "GET",
  path: "/api/v1/credits/ledger",
  operationId: "listLedger",
  summary: "Every debit and grant, newest first",
  tags,
  auth: "workspace",
  action: "credits.read",
  query: pageQuery(LEDGER_PAGE_MAX),
  response: { kind: "json", schema: LedgerPageSchema },
  handler: async ({ deps, actor, query }) => {
    const page = await ledgerPage(deps, actor, pageOptions(query));
    return { entries: page.entries.map(toLedgerEntryView), next_before: page.nextBefore };
  },
});

const byWorkroom = defineRoute({
  method: "GET",
  path: "/api/v1/credits/by-workroom",
  operationId: "listWorkroomCosts",
  summary: "Credits spent by each workroom, most first, with its cap",
  tags,
  auth: "workspace",
  action: "credits.read",
  response: { kind: "json", schema: RoomCostListSchema },
  handler: async ({ deps, actor }) => ({
    workrooms: (await costByWorkroom(deps, actor)).map(toRoomCostView),
  }),
});

const postTopUp = defineRoute({
  method: "POST",
  path: "/api/v1/credits/top-ups",
  operationId: "addTopUp",
  summary: "Add a top-up pack (owners and admins)",
  description:
    "Top-up credits never expire. Send an `Idempotency-Key` header (or `idempotency_key`) so a retried request adds the credits once.",
  tags,
  auth: "workspace",
  action: "credits.manage",
  idempotency: { replayHeader: false },
  body: TopUpRequestSchema,
  response: { kind: "json", schema: BalanceSchema, status: 201 },
  handler: async ({ deps, actor, body, request }) => {
    const key = idempotencyKey(request, body.idempotency_key);
    return toBalanceView(await addTopUp(deps, actor, body.amount, key));
  },
});

export const routes: readonly Route[] = [getBalance, getLedger, byWorkroom, postTopUp];
