// People in the loop: approve or reject an approval task, answer a question, and the inbox of what
// waits for people. A second answer to a finished task is harmless: 200 with `applied: false`.
import { z } from "zod";
import { decide, inbox, type Decision } from "../../app/people.js";
import { defineRoute, type Route } from "../route.js";
import {
  AnswerSchema,
  ApproveSchema,
  DecisionResultSchema,
  InboxSchema,
  RejectSchema,
  toDecisionView,
  toInboxView,
} from "../views/people.js";

const tags = ["people"];
const TaskParams = z.object({ id: z.string().min(1), taskId: z.string().min(1) });

const approve = defineRoute({
  method: "POST",
  path: "/api/v1/workrooms/:id/tasks/:taskId/approve",
  operationId: "approveTask",
  summary: "Approve a waiting approval task",
  tags,
  auth: "workspace",
  action: "workroom.write",
  params: TaskParams,
  body: ApproveSchema,
  response: { kind: "json", schema: DecisionResultSchema },
  handler: async ({ deps, actor, params, body }) => {
    const decision: Decision = body.comment
      ? { type: "approve", comment: body.comment }
      : { type: "approve" };
    return toDecisionView(await decide(deps, actor, params.id, params.taskId, decision));
  },
});

const reject = defineRoute({
  method: "POST",
  path: "/api/v1/workrooms/:id/tasks/:taskId/reject",
  operationId: "rejectTask",
  summary: "Reject a waiting approval: the tasks it covers re-run once with the comment",
  tags,
  auth: "workspace",
  action: "workroom.write",
  params: TaskParams,
  body: RejectSchema,
  response: { kind: "json", schema: DecisionResultSchema },
  handler: async ({ deps, actor, params, body }) =>
    toDecisionView(
      await decide(deps, actor, params.id, params.taskId, {
        type: "reject",
        comment: body.comment,
      }),
    ),
});

const answer = defineRoute({
  method: "POST",
  path: "/api/v1/workrooms/:id/tasks/:taskId/answer",
  operationId: "answerTask",
  summary: "Answer a waiting question (user_input task)",
  tags,
  auth: "workspace",
  action: "workroom.write",
  params: TaskParams,
  body: AnswerSchema,
  response: { kind: "json", schema: DecisionResultSchema },
  handler: async ({ deps, actor, params, body }) =>
    toDecisionView(
      await decide(deps, actor, params.id, params.taskId, { type: "answer", text: body.text }),
    ),
});

const getInbox = defineRoute({
  method: "GET",
  path: "/api/v1/inbox",
  operationId: "getInbox",
  summary: "Open approvals and questions across the workspace's workrooms",
  tags,
  auth: "workspace",
  action: "workroom.read",
  response: { kind: "json", schema: InboxSchema },
  handler: async ({ deps, actor }) => toInboxView(await inbox(deps, actor)),
});

export const routes: readonly Route[] = [approve, reject, answer, getInbox];
