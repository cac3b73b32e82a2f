// People in the loop on the wire: the result of an approval, rejection or answer, and the inbox of
// everything waiting for a person across the workspace's rooms.
import { z } from "zod";
import { WORKROOM_STATES } from "../../domain/workroom.js";
import type { DecisionResult, InboxItem } from "../../app/people.js";
import { TaskSchema, toTaskView } from "./workrooms.js";

type In<S extends z.ZodType> = z.input<S>;

export const DecisionResultSchema = z
  .object({
    task: TaskSchema,
    applied: z
      .boolean()
      .meta({ description: "False when the task was already answered: nothing changed." }),
  })
  .meta({ id: "DecisionResult" });

export const toDecisionView = (d: DecisionResult): In<typeof DecisionResultSchema> => ({
  task: toTaskView(d.task),
  applied: d.applied,
});

export const InboxSchema = z
  .object({
    items: z.array(
      z.object({
        workroom: z.object({
          id: z.string(),
          title: z.string(),
          client: z.string().nullable(),
          state: z.enum(WORKROOM_STATES),
        }),
        task: TaskSchema,
        context: z
          .array(z.object({ ordinal: z.number().int(), title: z.string(), output: z.string() }))
          .meta({ description: "Outputs of the tasks an approval is about." }),
      }),
    ),
  })
  .meta({ id: "Inbox" });

export const toInboxView = (items: InboxItem[]): In<typeof InboxSchema> => ({
  items: items.map((i) => ({ workroom: i.room, task: toTaskView(i.task), context: i.context })),
});

export const ApproveSchema = z
  .object({ comment: z.string().trim().max(4000).optional() })
  .meta({ id: "ApproveRequest" });
export const RejectSchema = z
  .object({
    comment: z.string().trim().min(1, "say what to change; the tasks re-run with it").max(4000),
  })
  .meta({ id: "RejectRequest" });
export const AnswerSchema = z
  .object({ text: z.string().trim().min(1, "the answer is empty").max(20_000) })
  .meta({ id: "AnswerRequest" });
