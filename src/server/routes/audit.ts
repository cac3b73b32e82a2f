// The audit log of the workspace (owners and admins), newest first, a page at a time.
import { AUDIT_PAGE_MAX, auditLog } from "../../app/audit.js";
import { defineRoute, type Route } from "../route.js";
import { AuditPageSchema, toAuditPageView } from "../views/audit.js";
import { pageOptions, pageQuery } from "../views/paging.js";

const list = defineRoute({
  method: "GET",
  path: "/api/v1/audit",
  operationId: "listAudit",
  summary: "Every change by a person or an API key, newest first",
  tags: ["audit"],
  auth: "workspace",
  action: "audit.read",
  query: pageQuery(AUDIT_PAGE_MAX),
  response: { kind: "json", schema: AuditPageSchema },
  handler: async ({ deps, actor, query }) =>
    toAuditPageView(await auditLog(deps, actor, pageOptions(query))),
});

export const routes: readonly Route[] = [list];
