// The JSON of one message on a live stream: the history event view of the workroom routes (the
// same fields GET /workrooms/:id/events pages through) plus the room it belongs to, which the
// workspace stream needs and the room stream repeats for uniformity.
import { z } from "zod";
import type { HistoryEvent } from "../../domain/types.js";
import { HistoryEventSchema, toEventView } from "./workrooms.js";

export const StreamEventSchema = HistoryEventSchema.extend({ workroom_id: z.string() }).meta({
  id: "StreamEvent",
});
export type StreamEventView = z.input<typeof StreamEventSchema>;

export const toStreamEventView = (e: HistoryEvent): StreamEventView => ({
  workroom_id: e.workroomId,
  ...toEventView(e),
});
